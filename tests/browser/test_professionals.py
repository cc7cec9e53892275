"""Professionals in a real browser, by clicking only: an info-moment registration from the home page, and a
social worker booking two clients on the same day with the same work phone. Screenshots of the public pages
at 1280 and 320 px go to SHOTS_DIR (default /work/shots/info) when that folder exists."""

from __future__ import annotations

import email
import email.policy
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


def mailed_link(live_server: LiveServer, recipient: str, pattern: str) -> str:
    """The newest link matching `pattern` in a mail to `recipient`, read from the outbox folder (.eml files),
    as it was delivered: the outbox is sent first, as the worker process would."""
    from inschrijving.extensions import db
    from inschrijving.notifications.delivery import send_outbox

    with live_server.app.app_context():
        send_outbox()
        db.session.remove()
    folder = Path(live_server.app.config["OUTBOX_FOLDER"])
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if recipient in str(mail["To"]):
            found = re.search(pattern, mail.get_body(("plain",)).get_content())
            if found:
                return found.group(0).replace(live_server.app.config["PUBLIC_BASE_URL"].rstrip("/"), "")
    raise AssertionError(f"no mail to {recipient} with {pattern}")


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
    assert page.url.endswith(f"/hulpverleners/{info_moment_id}/ontvangen"), page.url
    assert page.locator("h1").inner_text() == "Bedankt, uw inschrijving is verstuurd"
    shoot(page, f"infomoment-ontvangen-{width}")
    # The confirmation comes by e-mail: its manage link, as the professional would click it.
    page.goto(mailed_link(live_server, f"sara{width}@caw.example.org", r"/afspraak/[\w-]+"))
    assert "Aantal deelnemers veranderen" in page.content() and "CAW Zuid-West-Vlaanderen" in page.content()
    shoot(page, f"infomoment-beheren-{width}")
    if width == 320:
        # Nothing may stick out sideways on a small phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def _book_client(page, live_server: LiveServer, *, slot_index: int, name: str, birth_year: str, width: int,
                 shot: str | None = None, work_email: str = "sara.declercq@caw.example.org",
                 work_phone: str = "056 23 45 67") -> None:
    """From the moment's hours page: pick an hour, switch to the on-behalf form, book."""
    click(page, f"main a.slot >> nth={slot_index}")
    click(page, "main .on-behalf-link a")
    page.locator("#social_worker_name").fill("Sara Declercq")
    page.locator("#social_worker_organisation").fill("CAW Zuid-West-Vlaanderen")
    page.locator("#social_worker_phone").fill(work_phone)
    page.locator("#social_worker_email").fill(work_email)
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


@pytest.mark.parametrize("width", [1280, 320])
def test_a_social_workers_day_by_clicking(new_page, live_server, info_moment_id, width):
    """From the home page: an info moment registered and confirmed from the mail, two clients booked on one day
    with one work phone, the list link from the mail, one booking moved from it; the client's own link lives on."""
    page = new_page(width=width)
    work_email = f"an.dag{width}@ocmw.example.org"
    page.goto("/")
    click(page, 'footer a[href="/hulpverleners/"]')
    click(page, f'main a[href="/hulpverleners/{info_moment_id}"]')
    page.locator("#contact_name").fill("An Dag")
    page.locator("#organisation").fill("OCMW Wevelgem")
    page.locator("#email").fill(work_email)
    click(page, "main form button[type=submit]")
    assert page.locator("h1").inner_text() == "Bedankt, uw inschrijving is verstuurd"
    shoot(page, f"dag-1-infomoment-ontvangen-{width}")
    page.goto(mailed_link(live_server, work_email, r"/afspraak/[\w-]+"))
    assert "OCMW Wevelgem" in page.content()
    shoot(page, f"dag-2-infomoment-uit-de-mail-{width}")
    page.goto("/")
    click(page, f'main a[href="/inschrijven/{live_server.scenario.moment_id}"]')
    names = [f"Amina Dag {width}", f"Ilse Dag {width}"]
    _book_client(page, live_server, slot_index=0, name=names[0], birth_year="1979", width=width,
                 work_email=work_email, work_phone="056 43 21 00", shot=f"dag-3-voor-een-client-{width}")
    client_confirmation = page.url
    shoot(page, f"dag-4-client-bevestigd-{width}")
    click(page, "main a.button >> text=Nog een kandidaat inschrijven")
    _book_client(page, live_server, slot_index=1, name=names[1], birth_year="1988", width=width,
                 work_email=work_email, work_phone="056 43 21 00")
    click(page, "main a >> text=Alle afspraken die u maakte, in één lijst")
    page.locator("#email").fill(work_email)
    click(page, "main form button[type=submit]")
    assert "Kijk in uw mailbox" in page.content()
    page.goto(mailed_link(live_server, work_email, r"/hulpverleners/mijn-afspraken/[\w.\-]+"))
    assert names[0] in page.content() and names[1] in page.content()
    shoot(page, f"dag-5-lijst-{width}")
    click(page, f'main a[aria-label="Beheren: {names[0]}"]')
    assert page.locator("h1").inner_text() == f"De afspraak voor {names[0]}"
    assert "Terug naar de afspraken die u maakte" in page.content()
    shoot(page, f"dag-6-beheren-{width}")
    click(page, "main a >> text=Ander uur of andere dag")
    click(page, "main form.inline-form button.slot >> nth=-1")
    assert f"De afspraak van {names[0]} is verplaatst" in page.content()
    shoot(page, f"dag-7-verplaatst-{width}")
    # The client's own link (the letter, its QR code) still opens the booking, now at its new hour.
    page.goto(client_confirmation.replace("/bevestigd", ""))
    assert names[0] in page.content() and "Uw afspraak" in page.content()
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


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


@pytest.fixture(scope="module")
def own_moment_id(live_server: LiveServer) -> int:
    """A moment of this test's own, so the hours the session's other tests filled do not matter."""
    from inschrijving.extensions import db
    from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

    with live_server.app.app_context():
        moment = MomentFactory(held_on=date.today() + timedelta(days=28), location_name="Sociaal Huis Menen",
                               address="Grote Markt 1, 8930 Menen")
        OpeningBlockFactory(moment=moment)
        SlotFactory.create_batch(2, moment=moment)
        db.session.commit()
        moment_id = moment.id
        db.session.remove()
    return moment_id


@pytest.mark.parametrize("width", [1280, 320])
def test_a_worker_corrects_a_clients_details_and_claims_the_seat_offered_after_new_hours(new_page, live_server,
                                                                                       own_moment_id, width):
    """The worker's list link from the mail, the booking, the details form about the client; then the client's
    hour goes away with new opening hours, the seat offer comes to the worker, and the claim books on behalf again."""
    from inschrijving.booking.models import BookedBy, Booking, ContactChannel
    from inschrijving.booking.services import lifecycle, waitlist
    from inschrijving.db_types import utcnow
    from inschrijving.extensions import db
    from tests.factories.accounts import UserFactory

    page = new_page(width=width)
    work_email, name = f"jo.gegevens{width}@caw.example.org", f"Samira Gegevens {width}"
    page.goto("/")
    click(page, f'main a[href="/inschrijven/{own_moment_id}"]')
    _book_client(page, live_server, slot_index=0, name=name, birth_year="1975", width=width, work_email=work_email,
                 work_phone="056 11 22 33")
    click(page, "main a >> text=Alle afspraken die u maakte, in één lijst")
    page.locator("#email").fill(work_email)
    click(page, "main form button[type=submit]")
    page.goto(mailed_link(live_server, work_email, r"/hulpverleners/mijn-afspraken/[\w.\-]+"))
    click(page, f'main a[aria-label="Beheren: {name}"]')
    page.locator("main summary >> text=Gegevens aanpassen").click()
    form = page.locator("main details.correct-details form")
    for label in ("Naam van de kandidaat", "Telefoonnummer van de kandidaat", "Met hoeveel mensen gaat de kandidaat",
                  "De kandidaat heeft een tolk nodig"):
        assert label in form.inner_text()
    assert "Uw naam" not in form.inner_text() and form.locator("#phone").input_value() == ""
    shoot(page, f"worker-gegevens-{width}")
    form.locator("#household_size").fill("4")
    click(page, "main form button >> text=Bewaar de gegevens van de kandidaat")
    assert "De gegevens van de kandidaat zijn aangepast." in page.content()
    shoot(page, f"worker-gegevens-bewaard-{width}")
    # New opening hours leave no seat for the client; a seat frees up and is offered to the worker.
    with live_server.app.app_context():
        booking = db.session.scalars(sa.select(Booking).where(Booking.contact_name == name)).one()
        lifecycle.unseat_for_new_times(booking, actor=UserFactory(), ip=None, now=utcnow())
        assert waitlist.offer_freed_seat(booking.slot, now=utcnow()) is not None
        db.session.commit()
        db.session.remove()
    page.goto(mailed_link(live_server, work_email, r"/aanbod/[\w-]+"))
    assert page.locator("h1").inner_text() == f"Er is een plaats voor {name}"
    shoot(page, f"worker-aanbod-{width}")
    click(page, "main form button >> text=Ja, neem deze plaats voor de kandidaat")
    assert f"De afspraak voor {name} is gemaakt" in page.content()
    shoot(page, f"worker-aanbod-bevestigd-{width}")
    with live_server.app.app_context():
        new = db.session.scalars(sa.select(Booking).where(Booking.contact_name == name, Booking.is_live)).one()
        assert (new.booked_by, new.contact_channel, new.social_worker_email) == (
            BookedBy.SOCIAL_WORKER, ContactChannel.BOOKER, work_email)
        assert new.household_size == 4 and new.client_birth_year == 1975
        db.session.remove()
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
