"""A coordinator in Chromium: the staff menu reaches every page, editing a moment previews first, the season's
statistics and the audit log read well. Screenshots go to /work/shots/coord/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import log_in

SHOTS = Path("/work/shots/coord")


def shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_staff_menu_leads_to_every_coordinator_page(page, live_server):
    log_in(page, live_server, "coordinator")
    for link, heading in [
        ("Dossiers", "Dossiers"),
        ("Statistiek", "Statistiek over alle momenten"),
        ("Inkomensgrenzen", "Inkomensgrenzen per inschrijvingsjaar"),
        ("API-sleutels", None),
        ("Auditlog", "Auditlog"),
    ]:
        with page.expect_navigation():
            page.locator("nav.staff-nav").get_by_role("link", name=link, exact=True).click()
        if heading:
            assert page.locator("h1").inner_text().startswith(heading)
        shot(page, f"menu-{link.lower()}")


def test_editing_a_moment_shows_the_preview_and_the_lost_minutes_first(page, live_server):
    log_in(page, live_server, "coordinator")
    page.goto(f"/planning/{live_server.scenario.moment_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Bewerken").first.click()
    assert page.locator("#location_name").input_value() == "Sociaal Huis Kortrijk"
    page.locator("#blocks-0-end").fill("11:10")
    with page.expect_navigation():
        page.get_by_role("button", name="Voorbeeld").click()
    warning = page.get_by_text("de laatste 10 minuten krijgen geen slot")
    assert warning.is_visible()
    assert page.get_by_text("Wat verandert: openingsuren.").is_visible()
    shot(page, "edit-preview")


def test_the_audit_log_speaks_dutch_and_never_breaks_an_address_mid_word(new_page, live_server):
    page = new_page(width=1280)
    log_in(page, live_server, "coordinator")
    page.goto("/beheer/audit")
    assert page.get_by_role("cell", name="Aangemeld", exact=True).first.is_visible()
    cell = page.locator("td", has_text="coordinator@").first
    assert cell.evaluate("e => getComputedStyle(e).overflowWrap") == "normal"
    shot(page, "audit")
