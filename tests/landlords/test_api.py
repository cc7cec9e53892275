"""The landlord API: tokens, every endpoint, and every answer checked against the OpenAPI document."""

from __future__ import annotations

import io

import jsonschema
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from inschrijving.accounts.models import AuditEvent
from inschrijving.db_types import utcnow
from inschrijving.dossiers.models import ChoiceStatus, LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords import api_tokens
from inschrijving.landlords.models import ApiToken
from inschrijving.landlords.openapi import openapi_document
from tests.factories.accounts import UserFactory
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import api_token_for, landlord_client

DOCUMENT = openapi_document()
REGISTRY = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(DOCUMENT))


def _response_schema(path: str, method: str, status: int) -> dict:
    operation = DOCUMENT["paths"][path][method]
    response = operation["responses"][str(status)]
    if "$ref" in response:
        response = DOCUMENT["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response["content"]["application/json"]["schema"]


def assert_matches(response, path: str, method: str = "get") -> None:
    """The response's status is documented for this operation and its JSON body fits that schema."""
    schema = _response_schema(path, method, response.status_code)
    schema = _resolve_refs(schema)
    validator = jsonschema.Draft202012Validator(schema, registry=REGISTRY, format_checker=jsonschema.FormatChecker())
    validator.validate(response.get_json())


def _resolve_refs(schema):
    # Point local references at the whole document, registered under urn:openapi.
    if isinstance(schema, dict):
        return {k: _ref(v) if k == "$ref" else _resolve_refs(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve_refs(v) for v in schema]
    return schema


def _ref(value: str) -> str:
    return "urn:openapi" + value if value.startswith("#/") else value


def _headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def setup(app):
    moment = MomentFactory()
    landlord = LandlordFactory(name="SVK De Poort")
    dossier = shared_dossier(moment, [landlord], last_name="Maes")
    token = api_token_for(landlord)
    return moment, landlord, dossier, token


def test_token_is_stored_only_as_hash_and_revocation_works_at_once(app, client):
    landlord = LandlordFactory()
    coordinator = UserFactory(coordinator=True)
    token, raw = api_tokens.create_token(landlord, label="Woonsysteem", actor=coordinator, now=utcnow())
    db.session.commit()

    assert raw.startswith("gi_") and raw not in token.token_hash and len(token.token_hash) == 64
    assert api_tokens.authenticate(raw, now=utcnow()) == token
    assert api_tokens.authenticate(raw + "x", now=utcnow()) is None
    assert client.get("/api/v1/moments", headers=_headers(raw)).status_code == 200

    api_tokens.revoke_token(token, now=utcnow())
    db.session.commit()

    assert api_tokens.authenticate(raw, now=utcnow()) is None
    refused = client.get("/api/v1/moments", headers=_headers(raw))
    assert refused.status_code == 401
    assert_matches(refused, "/moments")
    with pytest.raises(api_tokens.AlreadyRevoked):
        api_tokens.revoke_token(token, now=utcnow())


def test_coordinator_creates_and_revokes_keys_on_the_page(app, client, auth):
    landlord = LandlordFactory(name="Wonen Regio Kortrijk")
    coordinator = UserFactory(coordinator=True)
    db.session.commit()
    auth.login(coordinator)

    empty = client.post("/beheer/api-sleutels/", data={"landlord_id": "0", "label": ""})
    assert "Kies een verhuurder." in empty.get_data(as_text=True)
    created = client.post("/beheer/api-sleutels/", data={"landlord_id": str(landlord.id), "label": "Systeem"})
    page = created.get_data(as_text=True)
    token = db.session.scalar(sa.select(ApiToken))
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert token.token_hash == api_tokens.hash_token(raw)
    assert raw not in client.get("/beheer/api-sleutels/").get_data(as_text=True)  # shown once

    assert client.post(f"/beheer/api-sleutels/{token.id}/intrekken").status_code == 302
    db.session.refresh(token)
    assert token.is_revoked
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"api_token.create", "api_token.revoke"} <= actions


def test_landlord_cannot_open_the_key_page(app):
    client = landlord_client(app, LandlordFactory())
    assert client.get("/beheer/api-sleutels/").status_code == 403


def test_every_endpoint_answers_as_documented(app, client, setup):
    moment, landlord, dossier, token = setup
    headers = _headers(token)

    moments = client.get("/api/v1/moments", headers=headers)
    assert_matches(moments, "/moments")
    assert moments.get_json()["moments"][0]["id"] == moment.id

    listing = client.get(f"/api/v1/moments/{moment.id}/dossiers", headers=headers)
    assert_matches(listing, "/moments/{moment_id}/dossiers")
    assert [d["reference"] for d in listing.get_json()["dossiers"]] == [dossier.reference]

    one = client.get(f"/api/v1/dossiers/{dossier.id}", headers=headers)
    assert_matches(one, "/dossiers/{dossier_id}")
    assert one.get_json()["persons"][0]["national_number"] == "85073003328"

    document = client.get(f"/api/v1/documents/{dossier.documents[0].id}", headers=headers)
    assert document.status_code == 200 and document.mimetype == "image/jpeg"

    packet = client.get(f"/api/v1/moments/{moment.id}/packet.pdf", headers=headers)
    assert packet.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(packet.data)).outline) == 1

    bad = client.put(f"/api/v1/dossiers/{dossier.id}/status", json={"status": "refused"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "note"
    assert_matches(bad, "/dossiers/{dossier_id}/status", "put")
    not_json = client.put(f"/api/v1/dossiers/{dossier.id}/status", data="x", headers=headers)
    assert_matches(not_json, "/dossiers/{dossier_id}/status", "put")
    assert not_json.get_json()["error"]["code"] == "invalid_json"

    ok = client.put(
        f"/api/v1/dossiers/{dossier.id}/status",
        json={"status": "registered", "landlord_reference": "1234", "registered_on": "2026-11-03"},
        headers=headers,
    )
    assert_matches(ok, "/dossiers/{dossier_id}/status", "put")
    choice = db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == dossier.id))
    assert choice.status == ChoiceStatus.REGISTERED and choice.landlord_reference == "1234"

    missing = client.get("/api/v1/dossiers/999999", headers=headers)
    assert_matches(missing, "/dossiers/{dossier_id}")
    assert missing.get_json()["error"]["code"] == "not_found"

    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"api.moments", "api.moment_dossiers", "api.dossier", "api.document", "api.packet"} <= actions


def test_openapi_document_is_valid_and_public(app, client):
    from jsonschema.validators import Draft202012Validator

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    # Every route of the blueprint is documented, and nothing more.
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(document["paths"])


def test_a_cold_packet_is_prepared_over_several_calls(app, client, setup, monkeypatch):
    from inschrijving.landlords import api

    moment, landlord, _dossier, token = setup
    shared_dossier(moment, [landlord])
    db.session.commit()
    monkeypatch.setattr(api, "INSTANT_RENDER_LIMIT", 0)
    monkeypatch.setattr(api, "SECTIONS_PER_STEP", 1)
    url = f"/api/v1/moments/{moment.id}/packet.pdf"

    first = client.get(url, headers=_headers(token))
    assert first.status_code == 202 and first.headers["Retry-After"] == "2"
    assert_matches(first, "/moments/{moment_id}/packet.pdf")
    assert first.get_json() == {"status": "preparing", "ready": 1, "total": 2}
    assert client.get(url, headers=_headers(token)).get_json()["ready"] == 2
    assert client.get(url, headers=_headers(token)).mimetype == "application/pdf"
