"""Templates ask the model (`moment.can_publish`, `booking.can_check_in`), never compare status strings.

A template that re-types a state machine drifts from the rule the service applies: the day list once
offered "Dossier starten" only after check-in while the dossier service accepted any live booking.
"""

from __future__ import annotations

import re

import pytest

from inschrijving.config import ROOT

TEMPLATES = ROOT / "templates"
# `x.status == "..."`, `status != ...`, `status in (...)`, `status not in [...]`
STATUS_COMPARISON = re.compile(r"\bstatus\s*(==|!=|(not\s+)?in\s*[(\[])")


def template_names() -> list[str]:
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*") if path.is_file())


@pytest.mark.parametrize("name", template_names())
def test_no_template_compares_status_strings(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    offending = [line.strip() for line in text.splitlines() if STATUS_COMPARISON.search(line)]
    assert offending == [], f"{name} compares a status; ask the model for the fact instead"


def test_the_pattern_catches_the_ways_templates_compared_statuses():
    for line in ['{% if moment.status in ("draft", "closed") %}', '{% if b.status == "booked" %}',
                 '{% if moment.status != "cancelled" %}', "{% if s.status not in ['x'] %}"]:
        assert STATUS_COMPARISON.search(line), line
    assert not STATUS_COMPARISON.search("{{ status_badge(moment.status) }}")


def test_the_manage_page_gets_its_dossier_and_landlord_lines_from_its_view(app, client, db):
    # No template global may query the database: the page must render with the old ones gone.
    from tests.factories.booking import BookingFactory
    from tests.factories.dossiers import build_complete_dossier

    booking = BookingFactory()
    dossier = build_complete_dossier(moment=booking.moment)
    dossier.booking_id = booking.id
    db.session.commit()
    for name in ("dossier_checklist_for_booking", "landlord_status_lines_for_booking"):
        app.jinja_env.globals.pop(name, None)
    page = client.get(f"/afspraak/token-{booking.reference}").get_data(as_text=True)
    assert "Uw dossier is volledig" in page
    assert f"{dossier.landlord_choices[0].landlord.name} heeft uw dossier nog niet bekeken." in page
