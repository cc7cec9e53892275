"""The reference household of issue 15 through the real pages in Chromium at 1280 px, from the day list to the
receipt, with a screenshot of every page (saved under test-output/screenshots/reference-intake/ and, when
SHOTS_DIR is set, there too)."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.browser.conftest import SCREENSHOTS, LiveServer, log_in


def _setup(live_server: LiveServer) -> dict:
    import sqlalchemy as sa

    from inschrijving.accounts.models import User
    from inschrijving.extensions import db
    from tests.factories.booking import BookingFactory
    from tests.factories.landlords import LandlordFactory, MunicipalityFactory
    from tests.factories.planning import MomentFactory, SlotFactory

    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    with live_server.app.app_context():
        town = MunicipalityFactory(name="Harelbeke")
        landlord = LandlordFactory(name="Wonen Harelbeke", municipalities=[town])
        moment = MomentFactory(held_on=today, location_name="Sociaal Huis Kortrijk")
        # The volunteer works this moment: volunteers reach only the dossiers of the moments they staff (13.7).
        moment.staff.append(db.session.scalars(sa.select(User).where(User.email == "vrijwilliger@example.org")).one())
        slot = SlotFactory(moment=moment)
        booking = BookingFactory(slot=slot, contact_name="Samira Benali", household_size=4, language="fr",
                                 needs_interpreter=True, interpreter_language="Frans",
                                 assistance_note="Komt met de kinderwagen.")
        db.session.commit()
        ids = {"moment": moment.id, "booking": booking.id, "town": town.id, "landlord": landlord.id,
               "today": today}
        db.session.remove()
    return ids


def test_reference_intake_in_chromium(page, live_server: LiveServer, tmp_path):
    from tests.factories.dossiers import national_number
    from tests.factories.packets import scan_jpeg

    ids = _setup(live_server)
    folders = [SCREENSHOTS / "reference-intake"] + ([Path(os.environ["SHOTS_DIR"])] if os.environ.get("SHOTS_DIR")
                                                     else [])
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    shot_number = iter(range(1, 100))

    def shot(name: str) -> None:
        number = next(shot_number)
        for folder in folders:
            page.screenshot(path=str(folder / f"intake-{number:02d}-{name}.png"), full_page=True)
        # A full-page shot resizes the viewport for a moment; let the page settle before the next click.
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)

    def save_and_go_on(button: str = "Bewaren en verder") -> None:
        target = page.locator("main").get_by_role("button", name=button).first
        target.scroll_into_view_if_needed()
        with page.expect_navigation():
            target.click()

    log_in(page, live_server, "volunteer")
    page.goto(f"/planning/{ids['moment']}/dag")
    shot("day-list")
    row = page.locator(f"#booking-{ids['booking']}")
    assert "Komt met de kinderwagen." in row.inner_text() and "Tolk: Frans" in row.inner_text()
    # Search as you type: another name hides the row, without a page load.
    page.fill("#day-search", "iemand anders")
    assert row.is_hidden()
    page.fill("#day-search", "benali")
    assert row.is_visible()
    with page.expect_navigation():
        row.get_by_role("button", name="Aanmelden").click()
    with page.expect_navigation():
        page.locator(f"#booking-{ids['booking']}").get_by_role("button", name="Dossier starten").click()
    assert re.search(r"/stap/household$", page.url)
    shot("household")

    people = [("partner", "Karim", None), ("child", "Nour", "minor_domiciled"), ("child", "Adam", "minor_domiciled")]
    for index, (role, first, reason) in enumerate(people, start=1):
        page.select_option(f"#persons-{index}-role", role)
        page.fill(f"#persons-{index}-first_name", first)
        page.fill(f"#persons-{index}-last_name", "Benali")
        if reason:
            page.check(f"#persons-{index}-is_dependant")
            page.select_option(f"#persons-{index}-dependant_reason", reason)
    page.fill("#contact_phone", "0470 12 34 56")
    save_and_go_on()
    assert page.url.endswith("/stap/identity")
    births = [(1988, 3, 14), (1985, 11, 2), (2015, 6, 1), (2019, 9, 23)]
    for index, (year, month, day) in enumerate(births):
        page.fill(f"#rows-{index}-national_number", national_number(year, month, day, 20 + index))
        page.fill(f"#rows-{index}-birth_day", str(day))
        page.fill(f"#rows-{index}-birth_month", str(month))
        page.fill(f"#rows-{index}-birth_year", str(year))
        page.select_option(f"#rows-{index}-register_type", "population")
    shot("identity")
    save_and_go_on()
    assert page.url.endswith("/stap/income")
    for index, amount in enumerate(("18.250,00", "12.000,00")):
        page.fill(f"#rows-{index}-taxable_total", amount)
        page.select_option(f"#rows-{index}-source", "assessment")
    shot("income")
    save_and_go_on()
    page.fill("#total_balances", "1.500,00")
    save_and_go_on()
    assert page.url.endswith("/stap/property")
    assert page.locator(".property-details").is_hidden()
    page.check("#has_property-0")  # yes: the details appear
    assert page.locator(".property-details").is_visible()
    shot("property-yes")
    page.check("#has_property-1")
    save_and_go_on()
    assert page.url.endswith("/stap/addresses")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Overslaan").click()
    page.check(f"input[name=municipalities][value='{ids['town']}']")
    save_and_go_on()
    assert page.url.endswith("/stap/landlords")
    page.check(f"input[name=landlords][value='{ids['landlord']}']")
    shot("landlords-consent")
    # Without the read-out box the ticked landlord is kept and the page says why.
    save_and_go_on("Toestemming bewaren en verder")
    assert page.url.endswith("/stap/landlords") and page.locator(".error").count() >= 1
    assert page.is_checked(f"input[name=landlords][value='{ids['landlord']}']")
    page.check("#consent_read")
    save_and_go_on("Toestemming bewaren en verder")
    assert page.url.endswith("/documenten")
    inputs = page.locator("main input[type=file][name^='item-']")
    assert inputs.count() == 4
    for index in range(4):
        scan = tmp_path / f"scan-{index}.jpg"
        scan.write_bytes(scan_jpeg(f"Scan {index}"))
        inputs.nth(index).set_input_files(str(scan))
    shot("documents-chosen")
    save_and_go_on("Toevoegen")
    assert page.url.endswith("/stap/cir")
    page.check("#cir_registered-0")
    page.fill("#cir_registered_on", ids["today"].isoformat())
    page.fill("#cir_reference", "CIR-42")
    save_and_go_on()
    assert re.search(r"/dossiers/\d+$", page.url)
    shot("check-your-answers")
    for section in ("household", "identity", "income", "means_test", "property", "preferences", "landlords",
                    "documents", "cir"):
        assert page.locator(f"#answers-{section}").is_visible()
    save_and_go_on("Dossier afronden")
    assert page.locator(".flash-success").count() >= 1
    shot("completed")
    receipt = page.request.get(page.locator("main a", has_text="Bewijs van inschrijving").get_attribute("href"))
    assert receipt.ok and receipt.body().startswith(b"%PDF")
    for folder in folders:
        (folder / "reference-receipt.pdf").write_bytes(receipt.body())
    page.goto(f"/planning/{ids['moment']}/dag")
    assert "Dossier openen" in page.locator(f"#booking-{ids['booking']}").inner_text()
    shot("day-list-after")
