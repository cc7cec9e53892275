"""Candidate pages in real Chromium (issue 17): reflow at 200 % text on a 320 px screen, result cards that
keep their labels whole, and numbers that keep their order in Arabic text, measured on the rendered page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.browser.conftest import NARROW, LiveServer

CHECK_ANSWERS = ("adult=yes&registered=yes&partner=yes&dependants=2&disabled_children=0&disabled=no"
                 "&income=30000&savings=5000&property=no")

# 200 % text: the root font size doubled (as a browser's text-size setting does), set through the CSSOM,
# which the page's Content-Security-Policy allows.
DOUBLE_TEXT = "() => { document.documentElement.style.fontSize = '200%'; return document.body.offsetHeight; }"
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(el => {
  const b = el.getBoundingClientRect(); return b.width > 0 && (b.right > window.innerWidth + 1 || b.left < -1);
}).slice(0, 3).map(el => el.outerHTML.slice(0, 100))"""


@pytest.fixture(scope="module")
def limits(live_server: LiveServer):
    from inschrijving.dossiers.models.means import IncomeLimit
    from inschrijving.extensions import db

    with live_server.app.app_context():
        if db.session.scalar(db.select(IncomeLimit).where(IncomeLimit.year == date.today().year)) is None:
            db.session.add(IncomeLimit(year=date.today().year, single=Decimal(29515), single_disabled=Decimal(31987),
                                       other=Decimal(44270), per_dependant=Decimal(2475), indexation={},
                                       source="test"))
            db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar", "tr"])
@pytest.mark.parametrize("path", ["/", "/check", "/check?" + CHECK_ANSWERS])
def test_pages_reflow_at_200_percent_text_on_320px(new_page, limits, language, path):
    page = new_page(width=NARROW, height=640)
    page.goto(f"{path}{'&' if '?' in path else '?'}lang={language}")
    page.evaluate(DOUBLE_TEXT)
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= NARROW, f"{path} ({language}) scrolls sideways at 200 % text: {page.evaluate(TOO_WIDE)}"


def test_result_card_labels_are_not_broken_into_letters(new_page, limits):
    page = new_page(width=NARROW, height=640)
    page.goto("/check?" + CHECK_ANSWERS + "&lang=nl")
    labels = page.locator("dl.numbers dt")
    assert labels.count() >= 2
    for index in range(labels.count()):
        box = labels.nth(index).bounding_box()
        assert box["width"] > 80, f"label {labels.nth(index).inner_text()!r} is {box['width']} px wide"
    height = page.evaluate("() => document.scrollingElement.scrollHeight")
    assert height < 6000, f"the result page is {height} px high"


ORDER_OF = """(args) => {
  const [selector, first, last] = args;
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const boxes = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const part of [first, last]) {
      const at = node.textContent.indexOf(part);
      if (at < 0 || part in boxes) continue;
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + part.length);
      boxes[part] = range.getBoundingClientRect().x;
    }
  }
  return [boxes[first], boxes[last]];
}"""


def test_the_arabic_phone_hint_keeps_the_number_in_order(new_page, live_server: LiveServer):
    page = new_page(width=1280)
    scenario = live_server.scenario
    page.goto(f"/inschrijven/{scenario.moment_id}/{scenario.slot_ids[0]}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    first, last = page.evaluate(ORDER_OF, ["#phone-hint", "0470", "56"])
    # Read left to right like on a phone's keypad: "0470 12 34 56", never "56 34 12 0470".
    assert first is not None and last is not None and first < last


def test_the_message_after_a_cancellation_gets_the_focus(new_page, live_server: LiveServer):
    page = new_page(width=NARROW)
    scenario = live_server.scenario
    page.goto(f"/inschrijven/{scenario.moment_id}/{scenario.slot_ids[0]}?lang=nl")
    page.fill("#contact_name", "Focus Test")
    page.fill("#email", "focus-test@example.org")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    with page.expect_navigation():
        page.click("a.manage-link, .manage-link a")
    with page.expect_navigation():
        page.click("a.button.danger")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.evaluate("() => document.activeElement.classList.contains('flashes')")
    assert "geannuleerd" in page.evaluate("() => document.activeElement.textContent")


def test_check_without_the_first_answer_leads_to_that_question(new_page, limits):
    page = new_page(width=NARROW)
    page.goto("/check?lang=nl")
    page.check("#registered-0")
    page.fill("#income", "20000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.evaluate("() => document.activeElement.classList.contains('form-errors')")
    assert page.title().startswith("Fout: ")
    assert page.is_checked("#registered-0") and page.input_value("#income") == "20000"
    first = page.locator(".form-errors a").first
    assert first.inner_text() == "Kies ja of nee."
    first.click()
    assert page.evaluate("() => document.activeElement.id") == "adult-0"


def test_result_cards_keep_their_labels_on_the_volunteers_dossier_page(new_page, live_server: LiveServer, limits):
    from tests.browser.conftest import log_in

    page = new_page(width=NARROW)
    log_in(page, live_server, "volunteer")
    page.goto(f"/dossiers/{live_server.scenario.dossier_id}")
    labels = page.locator("dl.numbers dt")
    assert labels.count() >= 1, "the dossier page shows no findings with figures"
    for index in range(labels.count()):
        box = labels.nth(index).bounding_box()
        assert box["width"] > 80, f"label {labels.nth(index).inner_text()!r} is {box['width']} px wide"
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= NARROW
