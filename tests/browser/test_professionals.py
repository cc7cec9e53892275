"""Professionals in a real browser, by clicking only: an info-moment registration from the home page, and a
social worker booking two clients on the same day with the same work phone. Screenshots of the public pages
at 1280 and 320 px go to SHOTS_DIR (default /work/shots/info) when that folder exists."""

from __future__ import annotations

import os
import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser.conftest import LiveServer

SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/info"))


def shoot(page, name: str) -> None:
    if SHOTS.is_dir():
        size = page.viewport_size
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        # A full-page shot stretches the viewport for a moment; a click right after can land nowhere.
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture(scope="module")
def info_moment_id(live_server: LiveServer) -> int:
    from inschrijving.extensions import db
    from inschrijving.planning.models import MomentKind
    from tests.factories.planning import MomentFactory, SlotFactory, local

    with live_server.app.app_context():
        held_on = date.today() + timedelta(days=12)
        moment = MomentFactory(kind=MomentKind.INFO, held_on=held_on, desks=1, slot_minutes=120,
                               location_name="Woonclub, Sociaal Huis Kortrijk",
                               topics={"nl": "Hoe werkt de groepsinschrijving voor een sociale woning?",
                                       "fr": "Comment fonctionne l'inscription groupée ?"},
                               booking_closes_at=local(held_on, time(13)))
        SlotFactory(moment=moment, starts_at=local(held_on, time(14)), ends_at=local(held_on, time(16)), capacity=30)
        db.session.commit()
        moment_id = moment.id
        db.session.remove()
    return moment_id


def click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


@pytest.mark.parametrize("width", [1280, 320])
def test_from_the_home_page_to_an_info_moment_confirmation_by_clicking(new_page, live_server, info_moment_id, width):
    page = new_page(width=width)
    page.goto("/")
    click(page, 'footer a[href="/hulpverleners/"]')
    assert page.locator("h1").inner_text() == "Voor hulpverleners"
    assert "Hoe werkt de groepsinschrijving voor een sociale woning?" in page.content()
    shoot(page, f"hulpverleners-{width}")
    click(page, f'main a[href="/hulpverleners/{info_moment_id}"]')
    page.locator("#contact_name").fill(f"Sara Klik {width}")
    page.locator("#organisation").fill("CAW Zuid-West-Vlaanderen")
    page.locator("#email").fill(f"sara{width}@caw.example.org")
    page.locator("#attendees").fill("2")
    shoot(page, f"infomoment-form-{width}")
    click(page, "main form button[type=submit]")
    assert re.search(r"/hulpverleners/inschrijving/[^/]+/bevestigd$", page.url), page.url
    assert page.locator("h1").inner_text() == "U bent ingeschreven"
    assert "CAW Zuid-West-Vlaanderen" in page.content()
    shoot(page, f"infomoment-bevestigd-{width}")
    click(page, ".manage-link a")
    assert "Aantal deelnemers veranderen" in page.content()
    shoot(page, f"infomoment-beheren-{width}")
    if width == 320:
        # Nothing may stick out sideways on a small phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def _book_client(page, live_server: LiveServer, *, slot_index: int, name: str, birth_year: str, width: int,
                 shot: str | None = None) -> None:
    """From the moment's hours page: pick an hour, switch to the on-behalf form, book."""
    click(page, f"main a.slot >> nth={slot_index}")
    click(page, "main .on-behalf-link a")
    page.locator("#social_worker_name").fill("Sara Declercq")
    page.locator("#social_worker_organisation").fill("CAW Zuid-West-Vlaanderen")
    page.locator("#social_worker_phone").fill("056 23 45 67")
    page.locator("#social_worker_email").fill("sara.declercq@caw.example.org")
    page.locator("#contact_name").fill(name)
    page.locator("#client_birth_year").fill(birth_year)
    page.locator("#household_size").fill("2")
    if shot:
        shoot(page, shot)
    click(page, "main form button[type=submit].primary")
    assert re.search(r"/afspraak/[^/]+/bevestigd$", page.url), page.url
    assert f"De afspraak voor {name} is gemaakt" in page.content()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_social_worker_books_two_clients_the_same_day_with_the_same_work_phone(new_page, live_server, width):
    from inschrijving.booking.models import Booking, ContactChannel
    from inschrijving.extensions import db

    page = new_page(width=width)
    page.goto("/")
    names = [f"Youssef Klik {width}", f"Marie Klik {width}"]
    click(page, f'main a[href="/inschrijven/{live_server.scenario.moment_id}"]')
    _book_client(page, live_server, slot_index=0, name=names[0], birth_year="1984", width=width,
                 shot=f"voor-iemand-anders-{width}")
    shoot(page, f"voor-iemand-anders-bevestigd-{width}")
    click(page, "main a.button >> text=Nog een kandidaat inschrijven")
    _book_client(page, live_server, slot_index=1, name=names[1], birth_year="1990", width=width)
    with live_server.app.app_context():
        rows = db.session.scalars(sa.select(Booking).where(Booking.contact_name.in_(names))).all()
        assert len(rows) == 2 and {b.phone for b in rows} == {"+3256234567"}
        assert all(b.contact_channel == ContactChannel.BOOKER for b in rows)
        assert len({b.moment_id for b in rows}) == 1
        db.session.remove()


def test_the_coordinator_sees_the_registrations_and_checks_attendance_by_clicking(new_page, live_server,
                                                                                     info_moment_id):
    from tests.browser.conftest import log_in

    page = new_page(width=1280)
    # A registration to check in (the first test of this module may not have run).
    page.goto(f"/hulpverleners/{info_moment_id}")
    page.locator("#contact_name").fill("Koen Aanwezig")
    page.locator("#organisation").fill("OCMW Menen")
    page.locator("#email").fill("koen@ocmw-menen.example.org")
    page.locator("#attendees").fill("3")
    click(page, "main form button[type=submit]")
    log_in(page, live_server, "coordinator")
    page.goto("/planning/")
    click(page, f'main a[href="/planning/{info_moment_id}"]')
    assert "/infomoment" in page.url and "Koen Aanwezig" in page.content()
    shoot(page, "planning-infomoment-1280")
    click(page, 'nav.tabs a:has-text("Daglijst")')
    assert "/aanwezigheid" in page.url and "Aanwezigheidslijst" in page.content()
    row = page.locator("tr", has_text="Koen Aanwezig")
    with page.expect_navigation():
        row.locator("button", has_text="Aanwezig").click()
    # The session is not today: checking in asks a second click, as on the candidates' day list (issue 15).
    assert "Aanmelden op een andere dag?" in page.content()
    click(page, "main form button[type=submit] >> text=Toch aanmelden")
    assert "Aanwezig" in page.locator("tr", has_text="Koen Aanwezig").inner_text()
    shoot(page, "planning-aanwezigheid-1280")
