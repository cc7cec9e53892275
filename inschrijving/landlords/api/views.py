"""The JSON API for landlords' own systems, under /api/v1/, and the coordinators' page for its keys.

Every answer is JSON (or the requested file); every error is {"error": {"code", "message"}} with a
stable code. A token sees exactly what its landlord sees in the portal, through the same queries
and services. Bodies are the pydantic models of `schemas`, which also generate the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.extensions import csrf, db
from inschrijving.landlords import queries as landlord_queries
from inschrijving.landlords.api import queries, services
from inschrijving.landlords.api.forms import ApiTokenForm
from inschrijving.landlords.api.openapi import openapi_document
from inschrijving.landlords.models import ApiToken, Landlord
from inschrijving.landlords.portal import schemas
from inschrijving.landlords.portal.queries import lists as list_queries
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import access, exports, packets, sections, status
from inschrijving.rendering import storage
from inschrijving.web import client_ip, guard_blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine clients send no cookies, so CSRF does not apply.
csrf.exempt(bp)

keys_bp = Blueprint("api_keys", __name__, url_prefix="/beheer/api-sleutels")
guard_blueprint(keys_bp, Role.COORDINATOR)

PUBLIC_ENDPOINTS = {"api.openapi"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _error(status_code: int, code: str, message: str, field: str | None = None) -> Response:
    body = schemas.Error(error=schemas.ErrorDetail(code=code, message=message, field=field))
    response = jsonify(body.model_dump(mode="json", exclude_none=True))
    response.status_code = status_code
    if status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _json(body: BaseModel, status_code: int = 200) -> Response:
    response = jsonify(body.model_dump(mode="json", by_alias=True))
    response.status_code = status_code
    return response


def _file(data: bytes | Iterator[bytes], mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return _error(exc.status, exc.code, exc.message, exc.field)


@bp.errorhandler(shared_queries.NotShared)
def _not_shared(_exc: shared_queries.NotShared):
    return _error(404, "not_found", "No such resource for this landlord.")


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
    token = services.authenticate(raw.strip() if scheme.lower() == "bearer" else None, now=utcnow())
    if token is None:
        return _error(401, "unauthorized", "A valid API token is required (Authorization: Bearer <token>).")
    g.api_token = token
    return None


def _token() -> ApiToken:
    return g.api_token


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


def _page_query() -> schemas.PageQuery:
    try:
        return schemas.PageQuery.model_validate(request.args.to_dict())
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        raise ApiError(400, "bad_request", f"{field}: {first['msg']}", field) from None


@bp.get("/moments")
def list_moments():
    """The moments with dossiers for the token's landlord, newest first, one page."""
    query = _page_query()
    summaries = shared_queries.moment_summaries(_token().landlord_id)
    shown = summaries[(query.page - 1) * query.per_page : query.page * query.per_page]
    body = schemas.MomentList(
        moments=[schemas.MomentSummary.of(s) for s in shown], paging=schemas.Paging.of(query, len(summaries))
    )
    access.record_view(actor=_token(), ip=client_ip(), action="api.moments")
    db.session.commit()
    return _json(body)


@bp.get("/moments/<int:moment_id>/dossiers")
def list_dossiers(moment_id: int):
    """The dossiers of a moment for the token's landlord, one page."""
    query = _page_query()
    moment = shared_queries.get_shared_moment(_token().landlord_id, moment_id)
    page = list_queries.dossier_page(
        _token().landlord_id, moment.id, list_queries.DossierFilter(), page=query.page, per_page=query.per_page,
        clamp=False,
    )
    body = schemas.MomentDossiers(
        moment=schemas.Moment.of(moment),
        dossiers=[schemas.DossierListItem.of(row) for row in page.rows],
        paging=schemas.Paging.of(query, page.total),
    )
    access.record_view(
        actor=_token(), ip=client_ip(), action="api.moment_dossiers", object_type="moment", object_id=moment.id,
        dossiers=len(page.rows),
    )
    db.session.commit()
    return _json(body)


@bp.get("/dossiers/<int:dossier_id>")
def get_dossier(dossier_id: int):
    """One dossier, whole; it counts as downloaded."""
    choice = shared_queries.get_shared_choice(_token().landlord_id, dossier_id)
    access.record_download(
        [choice], actor=_token(), ip=client_ip(), now=utcnow(), action="api.dossier", object_type="dossier",
        object_id=dossier_id,
    )
    body = schemas.Dossier.of(choice.dossier, choice)
    db.session.commit()
    return _json(body)


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    """An original document of a shared dossier; the dossier counts as downloaded."""
    document, choice = shared_queries.get_shared_document(_token().landlord_id, document_id)
    data, content_type = storage.load(document.storage_key), document.content_type
    access.record_download(
        [choice], actor=_token(), ip=client_ip(), now=utcnow(), action="api.document", object_type="document",
        object_id=document_id, dossier_id=document.dossier_id,
    )
    db.session.commit()
    return _file(data, content_type, f"document-{document_id}")


@bp.get("/moments/<int:moment_id>/packet.pdf")
def get_packet(moment_id: int):
    """The moment's packet, or 202 while a cold one is prepared a few sections per call."""
    moment = shared_queries.get_shared_moment(_token().landlord_id, moment_id)
    landlord = db.session.get(Landlord, _token().landlord_id)
    entries = shared_queries.packet_entries(landlord.id, moment.id)
    if sections.needs_preparing(entries):
        progress = packets.prepare_packet(entries, actor=_token(), ip=client_ip(), now=utcnow(), moment_id=moment.id)
        db.session.commit()
        response = _json(schemas.PacketPreparing(status="preparing", ready=progress.ready, total=progress.total), 202)
        response.headers["Retry-After"] = "2"
        return response
    pdf = packets.download_packet(landlord, moment, entries, actor=_token(), ip=client_ip(), now=utcnow())
    db.session.commit()
    return _file(pdf, "application/pdf", exports.packet_filename(landlord, moment, "pdf"))


@bp.put("/dossiers/<int:dossier_id>/status")
def set_status(dossier_id: int):
    """Report what the landlord did with a dossier."""
    choice = shared_queries.get_shared_choice(_token().landlord_id, dossier_id)
    update = _status_update()
    try:
        status.set_choice_status(
            choice, status=update.status, actor=_token(), ip=client_ip(), now=utcnow(),
            reference=update.landlord_reference, registered_on=update.registered_on, note=update.note,
        )
    except status.InvalidStatus as exc:
        field = "landlord_reference" if exc.field == "reference" else exc.field
        raise ApiError(422, "invalid_status", exc.message, field) from None
    body = schemas.LandlordStatus.of(choice)
    db.session.commit()
    return _json(body)


def _status_update() -> schemas.StatusUpdate:
    """The request body held to StatusUpdate: 400 when it is no object or has an unknown property, else 422."""
    if not isinstance(request.get_json(silent=True), dict):
        raise ApiError(400, "invalid_json", "Send a JSON object.")
    try:
        return schemas.StatusUpdate.model_validate_json(request.get_data())
    except ValidationError as exc:
        errors = exc.errors()
        unknown = [e["loc"][0] for e in errors if e["type"] == "extra_forbidden"]
        if unknown:
            known = ", ".join(schemas.StatusUpdate.model_fields)
            raise ApiError(400, "unknown_property", f"Unknown property {unknown[0]!r}; StatusUpdate has {known}.",
                           str(unknown[0])) from None
        first = errors[0]
        field = str(first["loc"][0]) if first["loc"] else None
        raise ApiError(422, "invalid_status", f"{field}: {first['msg']}", field) from None


@keys_bp.route("/", methods=["GET", "POST"])
def index():
    """List landlords' API keys and create a new one; a new key is shown this once only."""
    form = ApiTokenForm(landlords=landlord_queries.list_landlords())
    new_token = None
    if form.validate_on_submit():
        landlord = db.session.get(Landlord, form.landlord_id.data)
        try:
            new_token = services.create_token(
                landlord, label=form.label.data, actor=current_user, now=utcnow(), ip=client_ip()
            )
        except services.InvalidLabel:
            form.label.errors.append(_("Geef de sleutel een naam van hoogstens 80 tekens."))
        else:
            db.session.commit()
            form = ApiTokenForm(formdata=None, landlords=landlord_queries.list_landlords())  # empty, for the next key
    return render_template(
        "landlords/portal_api_keys.html", form=form, tokens=queries.list_tokens(), new_token=new_token
    )


@keys_bp.route("/<int:token_id>/intrekken", methods=["POST"])
def revoke(token_id: int):
    """Revoke an API key; the landlord's system is refused from now on."""
    token = db.get_or_404(ApiToken, token_id)
    try:
        services.revoke_token(token, actor=current_user, now=utcnow(), ip=client_ip())
    except services.AlreadyRevoked:
        flash(_("Deze sleutel was al ingetrokken."), "info")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("De sleutel is ingetrokken."), "success")
    return redirect(url_for(".index"))
