"""Template globals and filters compute from what they are given: none of them reads the database.

A global that queries hides a cross-domain read inside a template (the manage page's checklist did); a
page's view gathers its data and passes it instead. Covered here: every global and filter the app registers
(issue 12 point 4: the manage page's checklist and landlord lines now come from its view).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.query_count import count_queries

OURS = ("inschrijving.",)
# One sample call per helper; a new global or filter without a line here fails the test below.
SAMPLES = {
    "mask_national_number": ("85073003328",),
    "national_number": ("85073003328",),
    "euro": (Decimal("1234.5"),),
    "ltr": ("499-EJP",),
    "day": (date(2026, 5, 4),),
    "short_day": (date(2026, 5, 4),),
    "clock": (datetime(2026, 5, 4, 9, 30, tzinfo=UTC),),
    "moment_time": (datetime(2026, 5, 4, 9, 30, tzinfo=UTC),),
    "bdi": ("0470 12 34 56",),
    "phone": ("+32470123456",),
    "what_to_bring": (),
    "choice_status_label": ("registered",),
    "break_at_punctuation": ("medewerker@example.org",),
}


def _helpers(app) -> dict:
    registered = {**app.jinja_env.globals, **app.jinja_env.filters}
    return {
        name: helper
        for name, helper in registered.items()
        if getattr(helper, "__module__", "").startswith(OURS)
    }


def test_every_helper_of_ours_has_a_sample_call(app):
    assert set(_helpers(app)) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_helper_sends_no_sql(app, db, name):
    helper = _helpers(app)[name]
    with app.test_request_context("/?lang=ar"), count_queries() as statements:
        assert helper(*SAMPLES[name]) is not None
    assert statements == []


def test_the_context_every_page_gets_sends_no_sql(app, db):
    with app.test_request_context("/"), count_queries() as statements:
        for processor in app.template_context_processors[None]:
            if processor.__module__.startswith(OURS):
                assert processor()
    assert statements == []
