"""An info moment's overview and attendance list in real Chromium at 1280 and 320 px: every name, organisation,
e-mail address and button stays inside its own cell and on the screen (the QA walk found them running into the
next column and past the right edge). Screenshots go to SHOTS_DIR (default /work/shots/info) when it exists."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from tests.browser.conftest import NARROW, WIDE, LiveServer, log_in
from tests.browser.test_professionals import shoot

# Cells whose content is wider than the cell (it would run into the next column), and buttons past their cell
# or the window: what the QA screenshots showed.
_OUTSIDE = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('main table td')) {
    // What is seen: the cell, inside the table's scroll box, inside the window.
    const box = cell.closest('.table-scroll') || document.body;
    const edge = Math.min(cell.getBoundingClientRect().right, box.getBoundingClientRect().right, window.innerWidth);
    const text = document.createRange();
    text.selectNodeContents(cell);
    if (text.getBoundingClientRect().right > edge + 1) found.push('cell: ' + cell.textContent.trim().slice(0, 40));
    for (const button of cell.querySelectorAll('button')) {
      if (button.getBoundingClientRect().right > edge + 1) found.push('button: ' + button.textContent.trim());
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def attendance_moment_id(live_server: LiveServer) -> int:
    from inschrijving.db_types import utcnow
    from inschrijving.extensions import db
    from inschrijving.planning.models import MomentKind
    from inschrijving.professionals.services import registration
    from tests.factories.planning import MomentFactory, SlotFactory, local

    people = [
        ("Demo Maatschappelijk Werker", "OCMW Kortrijk (demo)", "mw.demo@ocmw.example.org", "+3256123456", 3),
        ("Demo Trajectbegeleider", "Centrum Algemeen Welzijnswerk Zuid-West-Vlaanderen",
         "maatschappelijk.werker.langenaam@ocmw-kortrijk-zuid.example.org", None, 2),
        ("Demo Integratieconsulent", "Integratiedienst (demo)", "integratie.demo@example.org", "+32470123456", 1),
    ]
    with live_server.app.app_context():
        held_on = date.today() + timedelta(days=10)
        moment = MomentFactory(kind=MomentKind.INFO, held_on=held_on, desks=1, slot_minutes=120,
                               location_name="Woonclub", topics={"nl": "Infomoment voor de tabeltest"},
                               booking_closes_at=local(held_on, time(13)))
        slot = SlotFactory(moment=moment, starts_at=local(held_on, time(14)), ends_at=local(held_on, time(16)),
                           capacity=30)
        db.session.flush()
        for name, organisation, email, phone, attendees in people:
            details = registration.professional_details(name=name, organisation=organisation, email=email,
                                                        phone=phone, language="nl", attendees=attendees, remark=None)
            registration.register(slot.id, details=details, now=utcnow())
        db.session.commit()
        moment_id = moment.id
        db.session.remove()
    return moment_id


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_the_info_moment_tables_fit_their_cells_and_the_screen(new_page, live_server, attendance_moment_id, width):
    page = new_page(width=width)
    log_in(page, live_server, "coordinator")
    page.goto(f"/planning/{attendance_moment_id}")
    assert page.locator("nav.tabs a").all_inner_texts() == ["Overzicht", "Daglijst"]  # no dossiers or statistics
    shoot(page, f"test-info-overzicht-{width}")
    assert page.evaluate(_OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.get_by_text("+32 56 12 34 56").count() == 1
    with page.expect_navigation():
        page.locator("nav.tabs a", has_text="Daglijst").click()
    shoot(page, f"test-info-daglijst-{width}")
    assert page.evaluate(_OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_navigation():
        page.locator("tr", has_text="Demo Trajectbegeleider").get_by_role("button", name="Niet gekomen").click()
    assert page.locator("h1").inner_text() == "Niet gekomen, op een andere dag?"
    assert page.get_by_text("Komt de hulpverlener toch nog").count() == 1
