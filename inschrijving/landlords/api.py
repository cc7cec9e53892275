"""The JSON API for landlords' own systems, under /api/v1/, authenticated by per-landlord tokens.

Every answer is JSON (or the requested file); every error is {"error": {"code", "message"}} with a
stable code. A token sees exactly what its landlord sees in the portal, through the same queries.
The OpenAPI document (the openapi package) describes all of this, and a test holds the answers to it.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from inschrijving.accounts.services.audit import record_audit
from inschrijving.db_types import utcnow
from inschrijving.extensions import csrf, db
from inschrijving.landlords import api_tokens, exports, packets, portal
from inschrijving.landlords.models import Landlord
from inschrijving.landlords.openapi import SCHEMAS, openapi_document
from inschrijving.rendering import storage
from inschrijving.web import client_ip

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine clients send no cookies, so CSRF does not apply.
csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.openapi"}
# As in the portal: more missing sections than this, and the packet is prepared over several calls.
INSTANT_RENDER_LIMIT = 3
SECTIONS_PER_STEP = 5
# The body of PUT /dossiers/<id>/status is held to its published schema, not to a copy of it here.
STATUS_UPDATE_PROPERTIES = tuple(SCHEMAS["StatusUpdate"]["properties"])
# "format: date" is RFC 3339's full-date; date.fromisoformat alone also takes 20261203 and 2026-W49-4.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _error(status: int, code: str, message: str, field: str | None = None) -> Response:
    body = {"error": {"code": code, "message": message}}
    if field is not None:
        body["error"]["field"] = field
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return _error(exc.status, exc.code, exc.message, exc.field)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    # Errors with an app-wide handler for their code (404, 405, 500, ...) are answered by
    # web.init_error_pages, in the same shape; this one takes the others.
    codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request", 413: "too_large"}
    return _error(exc.code or 500, codes.get(exc.code, "error"), exc.description or exc.name)


@bp.before_request
def _authenticate():
    g.staff_page = True
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    token = api_tokens.authenticate(raw.strip() if scheme.lower() == "bearer" else None, now=utcnow())
    if token is None:
        return _error(401, "unauthorized", "A valid API token is required (Authorization: Bearer <token>).")
    g.api_token = token
    return None


def _landlord_id() -> int:
    return g.api_token.landlord_id


def _audit(action: str, object_type: str | None = None, object_id: int | None = None, **detail) -> None:
    token = g.api_token
    record_audit(
        actor=None,
        actor_label=f"api-token:{token.id}",
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail={"landlord_id": token.landlord_id, "token_id": token.id, **detail},
        ip=client_ip(),
    )


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "No such resource for this landlord.")


def _choice(dossier_id: int):
    try:
        return portal.get_shared_choice(_landlord_id(), dossier_id)
    except portal.NotShared:
        raise _not_found() from None


def _moment(moment_id: int):
    try:
        return portal.get_shared_moment(_landlord_id(), moment_id)
    except portal.NotShared:
        raise _not_found() from None


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/moments")
def list_moments():
    summaries = portal.moment_summaries(_landlord_id())
    _audit("api.moments")
    db.session.commit()
    return jsonify(
        {
            "moments": [
                exports.moment_summary_json(s.moment, dossiers=s.dossiers, new=s.new, changed=s.changed)
                for s in summaries
            ]
        }
    )


@bp.get("/moments/<int:moment_id>/dossiers")
def list_dossiers(moment_id: int):
    moment = _moment(moment_id)
    choices = portal.moment_choices(_landlord_id(), moment.id)
    body = {
        "moment": exports.moment_summary_json(moment),
        "dossiers": [
            {
                "id": c.dossier.id,
                "reference": c.dossier.reference,
                "reference_tenant": c.dossier.reference_tenant.full_name if c.dossier.reference_tenant else None,
                "household_size": len(c.dossier.persons),
                "municipalities": portal.preferred_municipalities(c.dossier),
                "documents": len(c.dossier.documents),
                "changed_since_download": portal.changed_since_download(c),
                "landlord_status": exports.choice_json(c),
            }
            for c in choices
        ],
    }
    _audit("api.moment_dossiers", "moment", moment.id, dossiers=len(choices))
    db.session.commit()
    return jsonify(body)


@bp.get("/dossiers/<int:dossier_id>")
def get_dossier(dossier_id: int):
    choice = _choice(dossier_id)
    portal.mark_downloaded([choice], now=utcnow())
    body = exports.dossier_json(choice.dossier, choice)
    _audit("api.dossier", "dossier", dossier_id)
    db.session.commit()
    return jsonify(body)


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    try:
        document, choice = portal.get_shared_document(_landlord_id(), document_id)
    except portal.NotShared:
        raise _not_found() from None
    data = storage.load(document.storage_key)
    content_type, dossier_id = document.content_type, document.dossier_id
    portal.mark_downloaded([choice], now=utcnow())
    _audit("api.document", "document", document_id, dossier_id=dossier_id)
    db.session.commit()
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="document-{document_id}"'
    return response


@bp.get("/moments/<int:moment_id>/packet.pdf")
def get_packet(moment_id: int):
    moment = _moment(moment_id)
    landlord = db.session.get(Landlord, _landlord_id())
    choices = portal.moment_choices(landlord.id, moment.id, details=False)
    dossiers = [c.dossier for c in choices]
    now = utcnow()
    if len(packets.missing_sections(dossiers)) > INSTANT_RENDER_LIMIT:
        # A cold packet is prepared a few sections per call, so no request runs into a proxy timeout.
        remaining = packets.ensure_sections(dossiers, now=now, limit=SECTIONS_PER_STEP)
        _audit("api.packet_prepare", "moment", moment.id, dossiers=len(dossiers), remaining=remaining)
        db.session.commit()
        response = jsonify({"status": "preparing", "ready": len(dossiers) - remaining, "total": len(dossiers)})
        response.status_code = 202
        response.headers["Retry-After"] = "2"
        return response
    pdf = packets.packet_pdf(landlord, moment, dossiers, now=now)
    portal.mark_downloaded(choices, now=now)
    _audit("api.packet", "moment", moment.id, dossiers=len(choices))
    filename = f"pakket-{landlord.slug}-{moment.held_on.isoformat()}.pdf"
    db.session.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _status_update(body: object) -> tuple[dict, date | None]:
    """The StatusUpdate body as its schema says: an object of known properties, strings, an ISO date."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "Send a JSON object.")
    unknown = sorted(name for name in body if name not in STATUS_UPDATE_PROPERTIES)
    if unknown:
        message = f"Unknown property {unknown[0]!r}; StatusUpdate has {', '.join(STATUS_UPDATE_PROPERTIES)}."
        raise ApiError(400, "unknown_property", message, unknown[0])
    for name in STATUS_UPDATE_PROPERTIES:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(422, "invalid_status", f"{name} must be a string.", name)
    raw_date = body.get("registered_on")
    if raw_date is None:
        return body, None
    try:
        if not _ISO_DATE.fullmatch(raw_date):
            raise ValueError(raw_date)
        return body, date.fromisoformat(raw_date)
    except ValueError:
        raise ApiError(422, "invalid_status", "registered_on must be a date as YYYY-MM-DD.", "registered_on") from None


@bp.put("/dossiers/<int:dossier_id>/status")
def set_status(dossier_id: int):
    choice = _choice(dossier_id)
    body, registered_on = _status_update(request.get_json(silent=True))
    try:
        portal.set_choice_status(
            choice,
            status=body.get("status") or "",
            actor=None,
            now=utcnow(),
            reference=body.get("landlord_reference"),
            registered_on=registered_on,
            note=body.get("note"),
        )
    except portal.InvalidStatus as exc:
        db.session.rollback()
        field = "landlord_reference" if exc.field == "reference" else exc.field
        raise ApiError(422, "invalid_status", exc.message, field) from None
    _audit("api.status_set", "dossier", dossier_id, status=choice.status.value)
    result = exports.choice_json(choice)
    db.session.commit()
    return jsonify(result)
