"""Answers of the landlords' API carry personal data and are never cached (issue 13.12)."""

from __future__ import annotations

from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import api_token_for


def test_every_api_answer_says_no_store(client, db):
    landlord = LandlordFactory()
    moment = MomentFactory()
    dossier = shared_dossier(moment, [landlord])
    db.session.commit()
    auth = {"Authorization": f"Bearer {api_token_for(landlord)}"}
    for path in ("/api/v1/moments", f"/api/v1/moments/{moment.id}/dossiers", f"/api/v1/dossiers/{dossier.id}",
                 f"/api/v1/documents/{dossier.documents[0].id}"):
        response = client.get(path, headers=auth)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    # Refusals too: they tell which ids exist for which token.
    assert client.get("/api/v1/moments").headers["Cache-Control"] == "no-store"
