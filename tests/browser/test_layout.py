"""Layout in real Chromium: no sideways scrolling at 320 px, big enough targets, Arabic mirrored; and
screenshots at 320 px and 1280 px under test-output/screenshots for people to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NARROW, WIDE
from tests.browser.pages import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_horizontal_scrolling_at_320px(language, survey):
    too_wide = [f"{v.label}: {v.scroll_width}px wide, e.g. {v.too_wide}" for v in survey
                if v.language == language and v.scroll_width > NARROW]
    assert not too_wide, "Pages scroll sideways at 320 px:\n" + "\n".join(too_wide)


@pytest.mark.parametrize("language", LANGUAGES)
def test_candidate_page_targets_are_at_least_44px(language, survey):
    small = [f"{v.label}: {item}" for v in survey if v.language == language for item in v.small_targets]
    assert not small, "Targets smaller than 44 x 44 px:\n" + "\n".join(small)


def test_screenshots_of_every_page_at_320_and_1280(survey):
    shots = [shot for visit in survey for shot in visit.screenshots]
    assert shots and all(shot.stat().st_size > 0 for shot in shots)
    assert any(shot.name == "booking-home-ar-320.png" for shot in shots)


def _box(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not visible"
    return box


def _open(new_page, path):
    page = new_page(width=WIDE)
    page.goto(path)
    return page


def test_arabic_mirrors_the_layout(new_page):
    dutch, arabic = _open(new_page, "/?lang=nl"), _open(new_page, "/?lang=ar")
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert dutch.locator("html").get_attribute("dir") == "ltr"
    # The brand starts the header: at the left in Dutch, at the right in Arabic.
    nl_brand, ar_brand = _box(dutch, ".brand"), _box(arabic, ".brand")
    assert nl_brand["x"] + nl_brand["width"] < WIDE / 2 < ar_brand["x"]
    # The language switcher ends it: the other way round.
    assert _box(dutch, ".language-switcher")["x"] > _box(arabic, ".language-switcher")["x"]
    # The heading starts at the right edge of the content in Arabic.
    nl_h1, ar_h1, nl_main, ar_main = (_box(dutch, "main h1"), _box(arabic, "main h1"),
                                      _box(dutch, "main"), _box(arabic, "main"))
    nl_start = nl_h1["x"] - nl_main["x"]
    ar_start = (ar_main["x"] + ar_main["width"]) - (ar_h1["x"] + ar_h1["width"])
    assert abs(nl_start - ar_start) < 2


def test_arabic_mirrors_a_form_submit_button(site, new_page):
    form_page = next((p for p in site.pages if p.is_candidate_page and p.name == "booking.book"), None) or next(
        (p for p in site.pages if p.is_candidate_page and p.name.startswith("booking.") and p.name != "booking.home"
         and "form" in p.name), None)
    if form_page is None:
        form_page = next(p for p in site.pages if p.name == "booking.join_waitlist") if any(
            p.name == "booking.join_waitlist" for p in site.pages) else None
    if form_page is None:
        pytest.skip("no candidate page with a form among the pages found")
    dutch, arabic = _open(new_page, form_page.url("nl")), _open(new_page, form_page.url("ar"))
    selector = "main form button[type=submit]"
    nl_box, ar_box = _box(dutch, selector), _box(arabic, selector)
    nl_main, ar_main = _box(dutch, "main"), _box(arabic, "main")
    # The same distance from the start edge: from the left in Dutch, from the right in Arabic.
    nl_offset = nl_box["x"] - nl_main["x"]
    ar_offset = (ar_main["x"] + ar_main["width"]) - (ar_box["x"] + ar_box["width"])
    assert abs(nl_offset - ar_offset) < 2, f"{form_page.name}: {nl_offset=} {ar_offset=}"
    assert ar_box["x"] > WIDE / 2 > nl_box["x"] + nl_box["width"]
