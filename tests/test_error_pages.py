"""Every error status answers with the site's own page, in the visitor's language (issue 17), and a lost
session on a candidate form shows the form again with what was typed."""

from __future__ import annotations

import re

import pytest
from flask import abort

from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

SITE_PAGE = '<main id="main"'


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500])
def test_every_error_status_uses_the_site_layout_and_language(make_app, status):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/fout/<int:code>")
    def fail(code):
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    client = app.test_client()
    response = client.get(f"/fout/{status}?lang=fr")
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert SITE_PAGE in page and '<html lang="fr"' in page, page[:300]


def test_a_framework_405_is_the_site_page_in_the_visitors_language(client, db):
    moment = MomentFactory()
    db.session.commit()
    response = client.get(f"/inschrijven/{moment.id}/link-opnieuw?lang=tr")
    page = response.get_data(as_text=True)
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert SITE_PAGE in page and '<html lang="tr"' in page and "Method Not Allowed" not in page


def test_a_lost_session_shows_the_booking_form_again_with_what_was_typed(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slot = SlotFactory(moment=moment)
    db.session.commit()
    client = app.test_client()
    response = client.post(f"/inschrijven/{moment.id}/{slot.id}?lang=nl", data={
        "csrf_token": "expired", "contact_name": "Fatima El Amrani", "phone": "0470 12 34 56", "language": "ar",
        "household_size": "3", "booked_by": "self"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Wat u invulde, staat er nog." in page
    assert re.search(r'id="contact_name"[^>]*value="Fatima El Amrani"', page)
    assert re.search(r'id="household_size"[^>]*value="3"', page)
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert fresh != "expired"
