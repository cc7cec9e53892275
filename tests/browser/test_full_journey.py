"""The whole journey across roles, in real Chromium: a candidate books in Arabic, a volunteer checks them in
and completes their dossier with uploaded scans, a landlord downloads the packet and marks the dossier
registered, and the candidate's manage page shows the result."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from tests.browser.conftest import LiveServer, Site

CANDIDATE = "Karim Reis"


def _fill_the_intake_steps(live_server: LiveServer, dossier_id: int) -> int:
    """Answer the intake questions directly in the database; the step pages have their own tests.

    The scans are uploaded through the browser afterwards. Returns the reference tenant's person id.
    """
    from inschrijving.accounts.models import User
    from inschrijving.dossiers.models.household import Dossier, Preferences
    from inschrijving.dossiers.models.means import AssetsDeclaration
    from inschrijving.extensions import db
    from tests.factories.dossiers import IncomeRecordFactory, PersonFactory, share_with
    from tests.factories.landlords import MunicipalityFactory

    with live_server.app.app_context():
        dossier = db.session.get(Dossier, dossier_id)
        landlord = db.session.scalars(
            sa.select(User).where(User.email == live_server.scenario.users["landlord"])).one().landlord
        municipality = MunicipalityFactory()
        landlord.municipalities.append(municipality)
        tenant = PersonFactory(dossier=dossier)
        IncomeRecordFactory(person=tenant, dossier=dossier)
        dossier.assets = AssetsDeclaration(total_balances=1200, declared_on=dossier.moment.held_on)
        dossier.has_property = False
        dossier.preferences = Preferences(dwelling_types=["flat"], municipalities=[municipality])
        dossier.cir_registered = False
        share_with(dossier, landlord)
        db.session.commit()
        person_id = tenant.id
        db.session.remove()
    return person_id


def _row(live_server: LiveServer, model, **where):
    from inschrijving.extensions import db

    with live_server.app.app_context():
        row = db.session.scalars(sa.select(model).filter_by(**where)).one()
        db.session.expunge(row)
        return row


def test_book_check_in_complete_download_register_and_see_it(browser, live_server: LiveServer, site: Site,
                                                              tmp_path):
    from inschrijving.booking.models import Booking
    from inschrijving.dossiers.models.consent import LandlordChoice
    from inschrijving.dossiers.models.household import Dossier
    from tests.factories.packets import scan_jpeg

    moment_id = live_server.scenario.moment_id

    def context_for(role: str | None):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                      storage_state=site.storage_states.get(role) if role else None)
        context.set_default_timeout(10_000)
        return context

    # The candidate books, in Arabic.
    candidate = context_for(None).new_page()
    candidate.goto("/?lang=ar")
    candidate.click(f'main a[href="/inschrijven/{moment_id}"]')
    candidate.locator("main a.slot").last.click()
    candidate.fill("#contact_name", CANDIDATE)
    candidate.fill("#email", "karim.reis@example.org")
    candidate.click("main form button[type=submit].primary")
    candidate.wait_for_url(re.compile(r"/bevestigd$"))
    manage_url = candidate.locator(".manage-link a").get_attribute("href")
    booking = _row(live_server, Booking, contact_name=CANDIDATE)
    assert booking.language == "ar"

    # A volunteer checks them in on the day list and opens their dossier.
    volunteer = context_for("volunteer").new_page()
    volunteer.goto(f"/planning/{moment_id}/dag")
    row = volunteer.locator("tr", has_text=CANDIDATE)
    with volunteer.expect_navigation():
        row.get_by_role("button", name="Aanmelden").click()
    if "/aanwezig" in volunteer.url:  # not the moment's own day: the page warns and asks for a second click
        with volunteer.expect_navigation():
            volunteer.locator("main").get_by_role("button", name="Toch aanmelden").click()
    assert _row(live_server, Booking, id=booking.id).status == "checked_in"
    # The row's one next step is now "Dossier starten" (a POST button).
    with volunteer.expect_navigation():
        volunteer.locator("tr", has_text=CANDIDATE).get_by_role("button", name="Dossier starten").click()
    volunteer.wait_for_url(re.compile(r"/dossiers/\d+"))
    dossier_id = int(re.search(r"/dossiers/(\d+)", volunteer.url).group(1))
    person_id = _fill_the_intake_steps(live_server, dossier_id)

    # ... uploads both scans at once, each in the field of the paper it is ...
    volunteer.goto(f"/dossiers/{dossier_id}/documenten")
    for item, name in (("identity", "identiteitskaart.jpg"), ("income", "loonbrief.jpg")):
        scan = tmp_path / name
        scan.write_bytes(scan_jpeg(name))
        volunteer.set_input_files(f"input[name='item-doc_{item}_{person_id}']", str(scan))
    with volunteer.expect_navigation():
        volunteer.click("main form[enctype='multipart/form-data'] button[type=submit]")

    # ... and completes the dossier.
    volunteer.goto(f"/dossiers/{dossier_id}")
    volunteer.click(f"form[action$='/dossiers/{dossier_id}/afronden'] button[type=submit]")
    volunteer.wait_for_load_state()
    assert _row(live_server, Dossier, id=dossier_id).status == "complete"

    # The landlord downloads the packet and marks the dossier registered.
    landlord = context_for("landlord").new_page()
    landlord.goto(f"/verhuurder/momenten/{moment_id}")
    packet = landlord.request.get(f"/verhuurder/momenten/{moment_id}/pakket.pdf")
    assert packet.ok and packet.body().startswith(b"%PDF")
    landlord.goto(f"/verhuurder/dossiers/{dossier_id}")
    landlord.check("input[name=status][value=registered]")
    landlord.fill("#reference", "SHM-2026-0042")
    landlord.fill("#registered_on", date.today().isoformat())
    landlord.click("form[action*='/verhuurder/dossiers/'] button[type=submit]")
    landlord.wait_for_load_state()
    assert _row(live_server, LandlordChoice, dossier_id=dossier_id).status == "registered"

    # The candidate's manage page shows it, still in Arabic.
    candidate.goto(manage_url)
    assert candidate.locator("html").get_attribute("lang") == "ar"
    status = candidate.locator(".dossier-status").inner_text()
    assert "ملفك كامل" in status  # "Uw dossier is volledig."
    # "<landlord> registered you (سجّلك) on <day>, number <the landlord's own number>."
    lines = candidate.locator(".landlord-status-lines li").all_inner_texts()
    assert len(lines) == 1 and "سجّلك" in lines[0] and "SHM-2026-0042" in lines[0], lines
