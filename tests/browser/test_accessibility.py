"""axe-core on every page type the app serves, candidate pages in Dutch and Arabic: zero violations allowed."""

from __future__ import annotations

import pytest

from tests.browser.pages import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_no_axe_violations(language, survey, axe_script):
    report = []
    for visit in (v for v in survey if v.language == language):
        for violation in visit.axe_violations:
            report.append(f"{visit.label}: [{violation['impact']}] {violation['id']}: {violation['help']}")
            report.extend(f"      {node}" for node in violation["nodes"])
    assert not report, f"axe-core found violations in {language}:\n" + "\n".join(report)


def test_the_page_list_covers_the_main_page_types(site):
    names = {site_page.name for site_page in site.pages}
    assert {"booking.home", "accounts.login", "errors.404", "booking.choose_slot", "booking.book"} <= names
    assert {"booking.confirmation", "booking.manage", "booking.move", "booking.cancel"} <= names, (
        "booking through the form failed, so the pages behind the manage link were not checked")
    assert any(site_page.role for site_page in site.pages), "no staff page was found"
