"""The landlord API: tokens, every endpoint, and every answer checked against the OpenAPI document."""

from __future__ import annotations

import io
from datetime import timedelta

import jsonschema
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from inschrijving.accounts.models import AuditEvent
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.api import services as api_tokens
from inschrijving.landlords.api.openapi import openapi_document
from inschrijving.landlords.models import ApiToken
from inschrijving.tokens import hash_token
from tests.factories.accounts import UserFactory
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import api_token_for, landlord_client

DOCUMENT = openapi_document()
REGISTRY = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(DOCUMENT))


def _documented_response(path: str, method: str, status: int) -> dict:
    operation = DOCUMENT["paths"][path][method]
    assert str(status) in operation["responses"], f"{method.upper()} {path} does not document {status}"
    return _component(operation["responses"][str(status)])


def _component(response: dict) -> dict:
    if "$ref" in response:
        return DOCUMENT["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def _assert_fits(response, documented: dict) -> None:
    # The content type must be one the document names (or its */* wildcard); a JSON body must fit its schema.
    content = documented["content"]
    media = content.get(response.mimetype) or content.get("*/*")
    assert media is not None, f"{response.mimetype} is not among {list(content)}"
    if response.mimetype == "application/json":
        schema = _resolve_refs(media["schema"])
        checker = jsonschema.FormatChecker()
        jsonschema.Draft202012Validator(schema, registry=REGISTRY, format_checker=checker).validate(response.get_json())


def assert_matches(response, path: str, method: str = "get") -> None:
    """The response's status and content type are documented for this operation, and a JSON body fits its schema."""
    _assert_fits(response, _documented_response(path, method, response.status_code))


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

    api_tokens.revoke_token(token, actor=coordinator, now=utcnow())
    db.session.commit()

    assert api_tokens.authenticate(raw, now=utcnow()) is None
    refused = client.get("/api/v1/moments", headers=_headers(raw))
    assert refused.status_code == 401
    assert_matches(refused, "/moments")
    with pytest.raises(api_tokens.AlreadyRevoked):
        api_tokens.revoke_token(token, actor=coordinator, now=utcnow())


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
    assert token.token_hash == hash_token(raw)
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
    assert_matches(document, "/documents/{document_id}")
    assert document.status_code == 200 and document.mimetype == "image/jpeg"

    packet = client.get(f"/api/v1/moments/{moment.id}/packet.pdf", headers=headers)
    assert_matches(packet, "/moments/{moment_id}/packet.pdf")
    assert packet.status_code == 200 and len(PdfReader(io.BytesIO(packet.data)).outline) == 1

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

    for method, path, url in [
        ("get", "/dossiers/{dossier_id}", "/api/v1/dossiers/999999"),
        ("get", "/documents/{document_id}", "/api/v1/documents/999999"),
        ("get", "/moments/{moment_id}/packet.pdf", "/api/v1/moments/999999/packet.pdf"),
        ("get", "/moments/{moment_id}/dossiers", "/api/v1/moments/999999/dossiers"),
        ("put", "/dossiers/{dossier_id}/status", "/api/v1/dossiers/999999/status"),
    ]:
        missing = client.open(url, method=method.upper(), json={"status": "refused", "note": "x"}, headers=headers)
        assert missing.status_code == 404, url
        assert_matches(missing, path, method)
        assert missing.get_json()["error"]["code"] == "not_found"

    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"api.moments", "api.moment_dossiers", "api.dossier", "api.document", "api.packet"} <= actions


def test_openapi_document_is_valid_and_public(app, client):
    from jsonschema.validators import Draft202012Validator

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert_matches(response, "/openapi.json")
    document = response.get_json()
    assert document == DOCUMENT
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
    from inschrijving.landlords.portal.services import sections

    moment, landlord, _dossier, token = setup
    shared_dossier(moment, [landlord])
    db.session.commit()
    monkeypatch.setattr(sections, "INSTANT_RENDER_LIMIT", 0)
    monkeypatch.setattr(sections, "SECTIONS_PER_STEP", 1)
    url = f"/api/v1/moments/{moment.id}/packet.pdf"

    first = client.get(url, headers=_headers(token))
    assert first.status_code == 202 and first.headers["Retry-After"] == "2"
    assert_matches(first, "/moments/{moment_id}/packet.pdf")
    assert first.get_json() == {"status": "preparing", "ready": 1, "total": 2}
    assert client.get(url, headers=_headers(token)).get_json()["ready"] == 2
    ready = client.get(url, headers=_headers(token))
    assert_matches(ready, "/moments/{moment_id}/packet.pdf")
    assert ready.status_code == 200 and ready.mimetype == "application/pdf"

    # Preparing reads every dossier of the moment for this landlord: each step is in the audit log.
    prepared = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.packet_prepare")).all()
    assert [(e.object_id, e.detail["remaining"], e.detail["landlord_id"]) for e in prepared] == [
        (moment.id, 1, landlord.id),
        (moment.id, 0, landlord.id),
    ]
    assert all(e.actor.startswith("api-token:") for e in prepared)


def _status_url(dossier) -> str:
    return f"/api/v1/dossiers/{dossier.id}/status"


def _choice_of(dossier) -> LandlordChoice:
    return db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == dossier.id))


def test_downloading_a_document_marks_the_dossier_downloaded(app, client, setup):
    _moment, _landlord, dossier, token = setup
    assert _choice_of(dossier).status == ChoiceStatus.NEW

    response = client.get(f"/api/v1/documents/{dossier.documents[0].id}", headers=_headers(token))

    assert response.status_code == 200
    choice = _choice_of(dossier)
    assert choice.status == ChoiceStatus.DOWNLOADED
    assert choice.first_downloaded_at is not None and choice.last_downloaded_at == choice.first_downloaded_at


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"status": "refused", "note": "x", "reason": "y"}, "unknown_property", "reason"),
        ({"status": "registered", "landlord_reference": "1", "registered_on": "2026-11-03", "reference": "1"},
         "unknown_property", "reference"),
        ({"status": "registered", "landlord_reference": "1", "registered_on": 20261103}, "invalid_status",
         "registered_on"),
        ({"status": "registered", "landlord_reference": "1", "registered_on": "20261103"}, "invalid_status",
         "registered_on"),
        ({"status": "registered", "landlord_reference": "1", "registered_on": "2026-W45-2"}, "invalid_status",
         "registered_on"),
        ({"status": "registered", "landlord_reference": "1", "registered_on": "2026-02-30"}, "invalid_status",
         "registered_on"),
        ({"status": "refused", "note": ["x"]}, "invalid_status", "note"),
    ],
)
def test_the_status_body_is_held_to_its_schema(app, client, setup, body, code, field):
    _moment, _landlord, dossier, token = setup

    response = client.put(_status_url(dossier), json=body, headers=_headers(token))

    assert response.status_code == (400 if code == "unknown_property" else 422)
    assert_matches(response, "/dossiers/{dossier_id}/status", "put")
    assert response.get_json()["error"]["code"] == code and response.get_json()["error"]["field"] == field
    assert _choice_of(dossier).status == ChoiceStatus.NEW  # nothing stored


def test_a_status_body_with_null_for_fields_it_does_not_need_is_accepted(app, client, setup):
    _moment, _landlord, dossier, token = setup
    body = {"status": "incomplete", "note": "Loonfiche ontbreekt", "landlord_reference": None, "registered_on": None}
    jsonschema.Draft202012Validator(
        _resolve_refs(DOCUMENT["components"]["schemas"]["StatusUpdate"]), format_checker=jsonschema.FormatChecker()
    ).validate(body)

    response = client.put(_status_url(dossier), json=body, headers=_headers(token))

    assert response.status_code == 200 and response.get_json()["status"] == "incomplete"


def test_a_new_status_clears_the_fields_of_the_previous_one_in_the_api(app, client, setup):
    moment, _landlord, dossier, token = setup
    headers = _headers(token)
    registered = {"status": "registered", "landlord_reference": "REG-1", "registered_on": "2026-11-03"}
    assert client.put(_status_url(dossier), json=registered, headers=headers).status_code == 200

    incomplete = client.put(
        _status_url(dossier), json={"status": "incomplete", "note": "Loonfiche ontbreekt"}, headers=headers
    )

    assert_matches(incomplete, "/dossiers/{dossier_id}/status", "put")
    body = incomplete.get_json()
    assert (body["status"], body["landlord_reference"], body["registered_on"]) == ("incomplete", None, None)
    whole = client.get(f"/api/v1/dossiers/{dossier.id}", headers=headers).get_json()["landlord_status"]
    assert (whole["landlord_reference"], whole["registered_on"], whole["note"]) == (None, None, "Loonfiche ontbreekt")

    again = client.put(_status_url(dossier), json={**registered, "note": "Loonfiche ontbreekt"}, headers=headers)
    assert again.get_json()["note"] is None and again.get_json()["landlord_reference"] == "REG-1"
    listed = client.get(f"/api/v1/moments/{moment.id}/dossiers", headers=headers).get_json()["dossiers"]
    assert listed[0]["landlord_status"]["note"] is None


def test_the_api_tells_which_dossiers_changed_since_the_last_download(app, client, setup):
    moment, _landlord, dossier, token = setup
    headers = _headers(token)
    choice = _choice_of(dossier)
    choice.first_downloaded_at = choice.last_downloaded_at = dossier.completed_at - timedelta(days=1)
    db.session.commit()

    [summary] = client.get("/api/v1/moments", headers=headers).get_json()["moments"]
    assert (summary["new"], summary["changed"]) == (0, 1)
    listing = client.get(f"/api/v1/moments/{moment.id}/dossiers", headers=headers)
    assert_matches(listing, "/moments/{moment_id}/dossiers")
    assert listing.get_json()["dossiers"][0]["changed_since_download"] is True

    client.get(f"/api/v1/dossiers/{dossier.id}", headers=headers)

    [summary] = client.get("/api/v1/moments", headers=headers).get_json()["moments"]
    assert summary["changed"] == 0


def _path_url(path: str, ids: dict) -> str:
    return "/api/v1" + path.format(**ids)


def test_a_wrong_method_answers_405_in_json_with_the_allowed_methods(app, client, setup):
    moment, _landlord, dossier, token = setup
    ids = {"moment_id": moment.id, "dossier_id": dossier.id, "document_id": dossier.documents[0].id}
    documented = _component({"$ref": "#/components/responses/MethodNotAllowed"})
    for path, operations in DOCUMENT["paths"].items():
        offered = {method.upper() for method in operations}
        wrong = "DELETE" if "DELETE" not in offered else "PATCH"

        response = client.open(_path_url(path, ids), method=wrong, headers=_headers(token))

        assert response.status_code == 405, path
        _assert_fits(response, documented)
        assert response.get_json()["error"]["code"] == "method_not_allowed"
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert offered <= allowed <= offered | {"HEAD", "OPTIONS"}, (path, allowed)
    # Outside the API a wrong method still gets the plain web answer.
    assert client.delete("/verhuurder/").mimetype == "text/html"


def test_an_internal_error_answers_in_json(app, client, setup, monkeypatch):
    from inschrijving.landlords.portal.queries import shared as shared_queries

    _moment, _landlord, _dossier, token = setup

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(shared_queries, "moment_summaries", fail)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    response = client.get("/api/v1/moments", headers=_headers(token))

    assert response.status_code == 500
    assert_matches(response, "/moments")
    assert response.get_json()["error"]["code"] == "internal_error" and "boom" not in response.get_data(as_text=True)


def test_listing_moments_costs_the_same_queries_for_one_moment_or_many(app, client, setup):
    from tests.query_count import count_queries

    _moment, landlord, _dossier, token = setup
    headers = _headers(token)
    client.get("/api/v1/moments", headers=headers)
    db.session.commit()
    with count_queries() as one:
        assert len(client.get("/api/v1/moments", headers=headers).get_json()["moments"]) == 1
    for _ in range(6):
        shared_dossier(MomentFactory(), [landlord])
    db.session.commit()
    with count_queries() as many:
        response = client.get("/api/v1/moments", headers=headers)

    assert len(response.get_json()["moments"]) == 7
    assert_matches(response, "/moments")
    assert len(many) == len(one)


def test_every_schema_in_the_document_is_generated_from_a_pydantic_model():
    from pydantic import BaseModel

    from inschrijving.landlords.api import openapi
    from inschrijving.landlords.api.openapi import REF_TEMPLATE, component_schemas
    from inschrijving.landlords.portal import schemas

    components = DOCUMENT["components"]["schemas"]
    assert components == component_schemas()
    # Each body model's own schema is the component of its name, as pydantic writes it.
    for model in openapi.RESPONSES + openapi.REQUESTS:
        mode = "validation" if model in openapi.REQUESTS else "serialization"
        own = model.model_json_schema(ref_template=REF_TEMPLATE, mode=mode, union_format="primitive_type_array")
        own.pop("$defs", None)
        generated = {k: v for k, v in components[model.__name__].items()}
        assert _without_titles(own) == _without_titles(generated), model.__name__
    # Every model-shaped component comes from a model of `schemas`, or is the document's own (enums are pydantic's too).
    models = {name for name, value in vars(schemas).items() if isinstance(value, type) and issubclass(value, BaseModel)}
    models.add(openapi.OpenApiDocument.__name__)
    assert {name for name, schema in components.items() if schema.get("type") == "object"} <= models
    # No JSON body anywhere in the paths is written inline: each refers to a component.
    for path in DOCUMENT["paths"].values():
        for operation in path.values():
            bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
            for body in bodies:
                for media, content in _component(body).get("content", {}).items():
                    if media == "application/json":
                        assert set(content["schema"]) == {"$ref"}, (path, media)
                        assert content["schema"]["$ref"].rsplit("/", 1)[1] in components


def _without_titles(schema):
    if isinstance(schema, dict):
        return {k: _without_titles(v) for k, v in schema.items() if k != "title" or not isinstance(v, str)}
    if isinstance(schema, list):
        return [_without_titles(v) for v in schema]
    return schema


def test_the_dossier_list_pages_in_a_stable_order_with_constant_queries(app, client, setup):
    from tests.query_count import count_queries

    moment, landlord, _dossier, token = setup
    headers = _headers(token)
    url = f"/api/v1/moments/{moment.id}/dossiers"
    client.get(url, headers=headers)
    db.session.commit()
    with count_queries() as one:
        client.get(url, headers=headers)
    for _ in range(60):
        shared_dossier(moment, [landlord], scan=False)
    db.session.commit()
    with count_queries() as many:
        response = client.get(url, headers=headers)
    assert len(many) == len(one)
    assert_matches(response, "/moments/{moment_id}/dossiers")
    assert response.get_json()["paging"] == {"page": 1, "per_page": 100, "total": 61, "next_page": None}

    seen, page = [], 1
    while page is not None:
        response = client.get(url, headers=headers, query_string={"page": page, "per_page": 25})
        assert_matches(response, "/moments/{moment_id}/dossiers")
        body = response.get_json()
        seen += [d["id"] for d in body["dossiers"]]
        page = body["paging"]["next_page"]
    assert len(seen) == len(set(seen)) == 61
    assert client.get(url, headers=headers, query_string={"page": 9}).get_json()["dossiers"] == []


@pytest.mark.parametrize("query", [{"page": "0"}, {"page": "x"}, {"per_page": "501"}, {"per_page": "-1"}])
def test_a_page_out_of_range_is_a_documented_400(app, client, setup, query):
    _moment, _landlord, _dossier, token = setup
    response = client.get("/api/v1/moments", headers=_headers(token), query_string=query)
    assert response.status_code == 400
    assert_matches(response, "/moments")
    assert response.get_json()["error"]["field"] == next(iter(query))


def test_the_moment_list_pages(app, client, setup):
    _moment, landlord, _dossier, token = setup
    for _ in range(4):
        shared_dossier(MomentFactory(), [landlord], scan=False)
    db.session.commit()
    first = client.get("/api/v1/moments", headers=_headers(token), query_string={"per_page": 2}).get_json()
    last = client.get("/api/v1/moments", headers=_headers(token), query_string={"per_page": 2, "page": 3}).get_json()
    assert first["paging"] == {"page": 1, "per_page": 2, "total": 5, "next_page": 2}
    assert len(last["moments"]) == 1 and last["paging"]["next_page"] is None
    parameters = {p["name"] for p in DOCUMENT["paths"]["/moments"]["get"]["parameters"]}
    assert parameters == {"page", "per_page"}
