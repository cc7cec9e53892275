"""The candidate's whole booking journey with the keyboard alone: Tab to move, Enter to act, typing to fill in."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.browser.conftest import LiveServer

MAX_TABS = 120


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches selector; it must show a visible focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== "none"; }""")
            assert outline, f"{selector} has focus but no visible focus indicator"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def activate(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def booking_row(live_server: LiveServer, name: str):
    from inschrijving.booking.models import Booking
    from inschrijving.extensions import db

    with live_server.app.app_context():
        booking = db.session.scalars(sa.select(Booking).where(Booking.contact_name == name)).one()
        db.session.expunge(booking)
        return booking


def test_book_move_and_cancel_with_the_keyboard_only_in_arabic(page, live_server: LiveServer):
    name = "Samira Toetsenbord"
    page.goto("/?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"

    activate(page, f'main a[href="/inschrijven/{live_server.scenario.moment_id}"]')
    activate(page, "main a.slot")
    assert re.search(r"/inschrijven/\d+/\d+$", page.url)

    tab_to(page, "#contact_name")
    page.keyboard.type(name)
    tab_to(page, "#phone")
    page.keyboard.type("0470 12 34 56")
    activate(page, "main form button[type=submit].primary")
    assert re.search(r"/afspraak/[^/]+/bevestigd$", page.url), page.url
    first_slot = booking_row(live_server, name).slot_id

    activate(page, ".manage-link a")
    assert re.search(r"/afspraak/[^/.]+$", page.url)
    manage_url = page.url

    activate(page, 'main a[href$="/verplaatsen"]')
    activate(page, "main form button.slot")
    assert booking_row(live_server, name).slot_id != first_slot

    page.goto(manage_url)
    activate(page, 'main a[href$="/annuleren"]')
    activate(page, "main form button[type=submit].danger")
    assert booking_row(live_server, name).status == "cancelled"
    assert page.locator("html").get_attribute("lang") == "ar"
