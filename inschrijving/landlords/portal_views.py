"""The landlord portal: the moments and dossiers that chose this landlord, packets and exports.

Also the coordinators' page that creates and revokes landlords' API keys (a separate blueprint).
Every page and download that shows personal data writes an audit event.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.accounts.services.audit import record_audit
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords import api_tokens, exports, packets, portal
from inschrijving.landlords.labels import label
from inschrijving.landlords.models import ApiToken, Landlord
from inschrijving.landlords.portal_forms import ApiTokenForm, StatusForm
from inschrijving.rendering import storage
from inschrijving.web import client_ip, guard_blueprint

bp = Blueprint("portal", __name__, url_prefix="/verhuurder")
guard_blueprint(bp, Role.LANDLORD)

keys_bp = Blueprint("api_keys", __name__, url_prefix="/beheer/api-sleutels")
guard_blueprint(keys_bp, Role.COORDINATOR)

# A cold packet with more missing sections than this is built in steps behind a progress page.
INSTANT_RENDER_LIMIT = 3
SECTIONS_PER_STEP = 5
# Where the progress page of a cold packet forwards to, by the key in its URL: it only ever picks
# one of these endpoints, so the URL cannot send the browser anywhere else.
PACKET_DOWNLOADS = {"pdf": ".packet", "zip": ".export_zip"}


@bp.context_processor
def _labels():
    return {"label": label}


@bp.app_template_global("choice_status_label")
def choice_status_label(status) -> str:
    """The Dutch word for a landlord's status, for volunteers' pages (the day list)."""
    return label(status)


@bp.app_template_global("landlord_status_lines_for_booking")
def landlord_status_lines_for_booking(booking_id: int) -> list[str]:
    """What each chosen landlord did, in plain words, for the candidate's manage page (see the rule in portal)."""
    from inschrijving.dossiers.services import lifecycle

    dossier = lifecycle.get_dossier_for_booking(booking_id)
    if dossier is None or not portal.candidate_sees_status_lines(dossier):
        return []
    return portal.candidate_status_lines(dossier)


def _audit(action: str, object_type: str | None = None, object_id: int | None = None, **detail) -> None:
    record_audit(
        actor=current_user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail={"landlord_id": current_user.landlord_id, **detail},
        ip=client_ip(),
    )


def _landlord() -> Landlord:
    return db.session.get(Landlord, current_user.landlord_id)


def _moment_or_404(moment_id: int):
    try:
        return portal.get_shared_moment(current_user.landlord_id, moment_id)
    except portal.NotShared:
        abort(404)


def _choice_or_404(dossier_id: int):
    try:
        return portal.get_shared_choice(current_user.landlord_id, dossier_id)
    except portal.NotShared:
        abort(404)


def _download(data: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def packet_filename(landlord: Landlord, moment, extension: str) -> str:
    return f"pakket-{landlord.slug}-{moment.held_on.isoformat()}.{extension}"


@bp.route("/")
def home():
    """Show the moments whose dossiers chose this landlord, with how many are new."""
    summaries = portal.moment_summaries(current_user.landlord_id)
    _audit("portal.home")
    page = render_template("landlords/portal.html", landlord=_landlord(), summaries=summaries)
    # Committed after rendering: a commit expires the loaded rows, and reloading them row by row
    # would make the page cost one query per dossier.
    db.session.commit()
    return page


@bp.route("/momenten/<int:moment_id>")
def moment(moment_id: int):
    """List one moment's dossiers for this landlord, with the downloads and which changed since the last one."""
    moment = _moment_or_404(moment_id)
    choices = portal.moment_choices(current_user.landlord_id, moment.id)
    changed = {c.id for c in choices if portal.changed_since_download(c)}
    _audit("portal.moment_view", "moment", moment.id, dossiers=len(choices))
    page = render_template(
        "landlords/portal_moment.html", landlord=_landlord(), moment=moment, choices=choices, changed=changed
    )
    db.session.commit()
    return page


@bp.route("/dossiers/<int:dossier_id>", methods=["GET", "POST"])
def dossier(dossier_id: int):
    """Show a dossier read-only, and let the landlord report what it did with it."""
    choice = _choice_or_404(dossier_id)
    form = StatusForm(**portal.status_form_values(choice))
    if form.validate_on_submit():
        try:
            portal.set_choice_status(
                choice,
                status=form.status.data,
                actor=current_user,
                now=utcnow(),
                reference=form.reference.data,
                registered_on=form.registered_on.data,
                note=form.note.data,
            )
        except portal.InvalidStatus as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            _audit("portal.status_set", "dossier", dossier_id, status=choice.status.value)
            db.session.commit()
            flash(_("De status is bewaard."), "success")
            return redirect(url_for(".dossier", dossier_id=dossier_id))
    # Whatever brought us here (a visit, a refused status form), the page shows the dossier.
    _audit("portal.dossier_view", "dossier", dossier_id)
    page = render_template("landlords/portal_dossier.html", choice=choice, dossier=choice.dossier, form=form)
    db.session.commit()
    return page


@bp.route("/documenten/<int:document_id>")
def document(document_id: int):
    """Download one original document of a dossier shared with this landlord."""
    try:
        doc, choice = portal.get_shared_document(current_user.landlord_id, document_id)
    except portal.NotShared:
        abort(404)
    data = storage.load(doc.storage_key)
    portal.mark_downloaded([choice], now=utcnow())
    _audit("portal.document_download", "document", doc.id, dossier_id=doc.dossier_id)
    db.session.commit()
    return _download(data, doc.content_type, f"{doc.id}-{exports._safe_name(doc.original_filename)}")


@bp.route("/dossiers/<int:dossier_id>/dossier.pdf")
def dossier_pdf(dossier_id: int):
    """Download one dossier as PDF."""
    choice = _choice_or_404(dossier_id)
    pdf = packets.dossier_pdf(choice.dossier, now=utcnow())
    portal.mark_downloaded([choice], now=utcnow())
    _audit("portal.dossier_pdf", "dossier", dossier_id)
    reference = choice.dossier.reference
    db.session.commit()
    return _download(pdf, "application/pdf", f"dossier-{reference}.pdf")


def _packet_ready(moment_id: int, download: str):
    """The moment's choices, or a redirect to the progress page (which then starts this download) if cold."""
    choices = portal.moment_choices(current_user.landlord_id, moment_id, details=False)
    missing = packets.missing_sections([c.dossier for c in choices])
    if len(missing) > INSTANT_RENDER_LIMIT:
        return choices, redirect(url_for(".packet_progress", moment_id=moment_id, download=download))
    return choices, None


@bp.route("/momenten/<int:moment_id>/pakket.pdf")
def packet(moment_id: int):
    """Download the moment's packet: merged from cached sections, or via the progress page if cold."""
    moment = _moment_or_404(moment_id)
    choices, wait = _packet_ready(moment.id, "pdf")
    if wait is not None:
        return wait
    landlord = _landlord()
    now = utcnow()
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=now)
    portal.mark_downloaded(choices, now=now)
    _audit("portal.packet_download", "moment", moment.id, dossiers=len(choices))
    filename = packet_filename(landlord, moment, "pdf")
    db.session.commit()
    return _download(pdf, "application/pdf", filename)


@bp.route("/momenten/<int:moment_id>/pakket")
def packet_progress(moment_id: int):
    """Prepare a cold packet a few sections per request; the page refreshes itself, then starts the download."""
    moment = _moment_or_404(moment_id)
    download = request.args.get("download")
    if download not in PACKET_DOWNLOADS:
        download = "pdf"
    choices = portal.moment_choices(current_user.landlord_id, moment.id, details=False)
    dossiers = [c.dossier for c in choices]
    remaining = packets.ensure_sections(dossiers, now=utcnow(), limit=SECTIONS_PER_STEP)
    _audit(
        "portal.packet_prepare", "moment", moment.id, dossiers=len(dossiers), remaining=remaining, download=download
    )
    db.session.commit()
    return render_template(
        "landlords/portal_progress.html",
        moment=moment,
        total=len(dossiers),
        done=len(dossiers) - remaining,
        ready=remaining == 0,
        download_url=url_for(PACKET_DOWNLOADS[download], moment_id=moment.id),
    )


@bp.route("/momenten/<int:moment_id>/dossiers.csv")
def export_csv(moment_id: int):
    """Download the moment's dossiers as CSV, one row per dossier."""
    moment = _moment_or_404(moment_id)
    choices = portal.moment_choices(current_user.landlord_id, moment.id)
    data = exports.dossiers_csv(choices)
    portal.mark_downloaded(choices, now=utcnow())
    _audit("portal.export_csv", "moment", moment.id, dossiers=len(choices))
    filename = packet_filename(_landlord(), moment, "csv")
    db.session.commit()
    # A byte-order mark, so spreadsheet programs read the accents as UTF-8.
    return _download("\ufeff" + data, "text/csv; charset=utf-8", filename)


@bp.route("/momenten/<int:moment_id>/dossiers.json")
def export_json(moment_id: int):
    """Download the moment's dossiers as JSON (the whole structure)."""
    moment = _moment_or_404(moment_id)
    choices = portal.moment_choices(current_user.landlord_id, moment.id)
    now = utcnow()
    data = json.dumps(exports.moment_json(moment, choices, now=now), ensure_ascii=False, indent=2)
    portal.mark_downloaded(choices, now=now)
    _audit("portal.export_json", "moment", moment.id, dossiers=len(choices))
    filename = packet_filename(_landlord(), moment, "json")
    db.session.commit()
    return _download(data, "application/json", filename)


@bp.route("/momenten/<int:moment_id>/pakket.zip")
def export_zip(moment_id: int):
    """Download a ZIP with the packet and every original document."""
    moment = _moment_or_404(moment_id)
    choices, wait = _packet_ready(moment.id, "zip")
    if wait is not None:
        return wait
    landlord = _landlord()
    now = utcnow()
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=now)
    data = exports.packet_zip(pdf, packet_filename(landlord, moment, "pdf"), choices)
    portal.mark_downloaded(choices, now=now)
    _audit("portal.export_zip", "moment", moment.id, dossiers=len(choices))
    filename = packet_filename(landlord, moment, "zip")
    db.session.commit()
    return _download(data, "application/zip", filename)


def _token_form(**kwargs) -> ApiTokenForm:
    landlords = db.session.scalars(sa.select(Landlord).order_by(Landlord.name)).all()
    return ApiTokenForm(landlords=landlords, **kwargs)


@keys_bp.route("/", methods=["GET", "POST"])
def index():
    """List landlords' API keys and create a new one; a new key is shown this once only."""
    form = _token_form()
    new_token = None
    if form.validate_on_submit():
        landlord = db.session.get(Landlord, form.landlord_id.data)
        try:
            token, raw = api_tokens.create_token(landlord, label=form.label.data, actor=current_user, now=utcnow())
        except api_tokens.InvalidLabel:
            form.label.errors.append(_("Geef de sleutel een naam van hoogstens 80 tekens."))
        else:
            record_audit(
                actor=current_user,
                action="api_token.create",
                object_type="api_token",
                object_id=token.id,
                detail={"landlord_id": landlord.id},
                ip=client_ip(),
            )
            db.session.commit()
            new_token = (token, raw)
            form = _token_form(formdata=None)  # an empty form for the next key
    return render_template(
        "landlords/portal_api_keys.html", form=form, tokens=api_tokens.list_tokens(), new_token=new_token
    )


@keys_bp.route("/<int:token_id>/intrekken", methods=["POST"])
def revoke(token_id: int):
    """Revoke an API key; the landlord's system is refused from now on."""
    token = db.get_or_404(ApiToken, token_id)
    try:
        api_tokens.revoke_token(token, now=utcnow())
    except api_tokens.AlreadyRevoked:
        flash(_("Deze sleutel was al ingetrokken."), "info")
        return redirect(url_for(".index"))
    record_audit(
        actor=current_user, action="api_token.revoke", object_type="api_token", object_id=token.id, ip=client_ip()
    )
    db.session.commit()
    flash(_("De sleutel is ingetrokken."), "success")
    return redirect(url_for(".index"))
