"""The landlord portal: the moments and dossiers that chose this landlord, packets and exports.

Every page and download that shows personal data writes an audit event (`services.access`).
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.dossiers.labels import dwelling_list, label, language_name
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.landlords.portal.forms import DossierListForm, StatusForm
from inschrijving.landlords.portal.queries import lists as list_queries
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import access, exports, packets, sections, status
from inschrijving.rendering import storage
from inschrijving.web import client_ip, guard_blueprint

bp = Blueprint("portal", __name__, url_prefix="/verhuurder")
guard_blueprint(bp, Role.LANDLORD)

# Where the progress page of a cold packet forwards to, by the key in its URL: it only ever picks
# one of these endpoints, so the URL cannot send the browser anywhere else.
PACKET_DOWNLOADS = {"pdf": ".packet", "zip": ".export_zip"}


@bp.context_processor
def _labels():
    return {"label": label, "dwelling_list": dwelling_list, "language_label": language_name}


@bp.app_template_global("choice_status_label")
def choice_status_label(status) -> str:
    """The Dutch word for a landlord's status, for volunteers' pages (the day list)."""
    return label(status)


@bp.errorhandler(shared_queries.NotShared)
def _not_shared(_exc: shared_queries.NotShared):
    # Not shared with this landlord looks exactly like not there: the app's own 404 page.
    return current_app.handle_http_exception(NotFound())


def _landlord_id() -> int:
    return current_user.landlord_id


def _download(data: bytes | str | Iterator[bytes], mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/")
def home():
    """Show the moments whose dossiers chose this landlord, with how many are new."""
    summaries = shared_queries.moment_summaries(_landlord_id())
    access.record_view(actor=current_user, ip=client_ip(), action="portal.home")
    db.session.commit()
    landlord = db.session.get(Landlord, _landlord_id())
    return render_template("landlords/portal.html", landlord=landlord, summaries=summaries)


@bp.route("/momenten/<int:moment_id>")
def moment(moment_id: int):
    """List one moment's dossiers for this landlord: filtered, searched, sorted, 50 a page; and the downloads."""
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    form = DossierListForm(request.args, municipalities=list_queries.moment_municipalities(_landlord_id(), moment.id))
    page = list_queries.dossier_page(
        _landlord_id(), moment.id, form.criteria(), page=request.args.get("pagina", 1, type=int)
    )
    access.record_view(
        actor=current_user, ip=client_ip(), action="portal.moment_view", object_type="moment", object_id=moment_id,
        dossiers=len(page.rows),
    )
    db.session.commit()
    landlord = db.session.get(Landlord, _landlord_id())
    # Only the form's own fields go into the page links (url_for would take "endpoint" or "_external" as its own).
    filters = {name: request.args[name] for name in form.data if name in request.args and request.args[name]}
    preparing = sections.sections_being_prepared([row.id for row in page.rows if row.is_complete])
    return render_template(
        "landlords/portal_moment.html", landlord=landlord, moment=moment, page=page, form=form, filters=filters,
        preparing=preparing,
    )


@bp.route("/dossiers/<int:dossier_id>", methods=["GET", "POST"])
def dossier(dossier_id: int):
    """Show a dossier read-only, and let the landlord report what it did with it."""
    choice = shared_queries.get_shared_choice(_landlord_id(), dossier_id)
    form = StatusForm(**status.status_form_values(choice))
    if form.validate_on_submit():
        try:
            status.set_choice_status(
                choice, status=form.status.data, actor=current_user, ip=client_ip(), now=utcnow(),
                reference=form.reference.data, registered_on=form.registered_on.data, note=form.note.data,
            )
        except status.InvalidStatus as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("De status is bewaard."), "success")
            return redirect(url_for(".dossier", dossier_id=dossier_id))
    # Whatever brought us here (a visit, a refused status form), the page shows the dossier.
    access.record_view(
        actor=current_user, ip=client_ip(), action="portal.dossier_view", object_type="dossier", object_id=dossier_id
    )
    db.session.commit()
    return render_template(
        "landlords/portal_dossier.html", choice=choice, dossier=choice.dossier, form=form,
        preferred_places=list_queries.preferred_places(choice.dossier),
    )


@bp.route("/documenten/<int:document_id>")
def document(document_id: int):
    """Download one original document of a dossier shared with this landlord."""
    doc, choice = shared_queries.get_shared_document(_landlord_id(), document_id)
    data, content_type = storage.load(doc.storage_key), doc.content_type
    filename = exports.document_filename(doc)
    access.record_download(
        [choice], actor=current_user, ip=client_ip(), now=utcnow(), action="portal.document_download",
        object_type="document", object_id=doc.id, dossier_id=doc.dossier_id,
    )
    db.session.commit()
    return _download(data, content_type, filename)


@bp.route("/dossiers/<int:dossier_id>/dossier.pdf")
def dossier_pdf(dossier_id: int):
    """Download one dossier as PDF."""
    choice = shared_queries.get_shared_choice(_landlord_id(), dossier_id)
    filename = f"dossier-{choice.dossier.reference}.pdf"
    pdf = packets.download_dossier(choice, actor=current_user, ip=client_ip(), now=utcnow())
    db.session.commit()
    return _download(pdf, "application/pdf", filename)


@bp.route("/momenten/<int:moment_id>/pakket.pdf")
def packet(moment_id: int):
    """Download the moment's packet: merged from cached sections, or via the progress page if cold."""
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    entries = shared_queries.packet_entries(_landlord_id(), moment.id)
    if sections.needs_preparing(entries):
        return redirect(url_for(".packet_progress", moment_id=moment.id, download="pdf"))
    landlord = db.session.get(Landlord, _landlord_id())
    filename = exports.packet_filename(landlord, moment, "pdf")
    pdf = packets.download_packet(landlord, moment, entries, actor=current_user, ip=client_ip(), now=utcnow())
    db.session.commit()
    return _download(pdf, "application/pdf", filename)


@bp.route("/momenten/<int:moment_id>/pakket")
def packet_progress(moment_id: int):
    """Prepare a cold packet a few sections per request; the page refreshes itself, then starts the download."""
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    download = request.args.get("download") if request.args.get("download") in PACKET_DOWNLOADS else "pdf"
    entries = shared_queries.packet_entries(_landlord_id(), moment.id)
    progress = packets.prepare_packet(
        entries, actor=current_user, ip=client_ip(), now=utcnow(), moment_id=moment.id, download=download
    )
    db.session.commit()
    return render_template(
        "landlords/portal_progress.html",
        moment=moment,
        total=progress.total,
        done=progress.ready,
        ready=progress.is_ready,
        download_url=url_for(PACKET_DOWNLOADS[download], moment_id=moment.id),
        download_label=_("Download het pakket (PDF)") if download == "pdf" else _("Download de ZIP"),
    )


@bp.route("/momenten/<int:moment_id>/dossiers.xlsx")
def export_xlsx(moment_id: int):
    """Download the moment's dossiers as a spreadsheet: a sheet of dossiers and one of persons."""
    return _export(moment_id, "xlsx")


@bp.route("/momenten/<int:moment_id>/dossiers.csv")
def export_csv(moment_id: int):
    """Download the moment's dossiers as CSV for systems, one row per dossier (`?scheiding=,` for commas)."""
    return _export(moment_id, "csv")


def _export(moment_id: int, kind: str) -> Response:
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    choices = shared_queries.moment_choices(_landlord_id(), moment.id)
    separator = "," if request.args.get("scheiding") == "," else ";"
    data, mimetype = exports.spreadsheet(kind, choices, separator=separator)
    filename = exports.packet_filename(db.session.get(Landlord, _landlord_id()), moment, kind)
    access.record_download(
        choices, actor=current_user, ip=client_ip(), now=utcnow(),
        action="portal.export_csv" if kind == "csv" else "portal.export_xlsx",
        object_type="moment", object_id=moment.id, dossiers=len(choices),
    )
    db.session.commit()
    return _download(data, mimetype, filename)


@bp.route("/momenten/<int:moment_id>/dossiers.json")
def export_json(moment_id: int):
    """Download the moment's dossiers as JSON (the whole structure)."""
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    choices = shared_queries.moment_choices(_landlord_id(), moment.id)
    now = utcnow()
    filename = exports.packet_filename(db.session.get(Landlord, _landlord_id()), moment, "json")
    data = exports.moment_json_text(moment, choices, now=now)
    access.record_download(
        choices, actor=current_user, ip=client_ip(), now=now, action="portal.export_json", object_type="moment",
        object_id=moment.id, dossiers=len(choices),
    )
    db.session.commit()
    return _download(data, "application/json", filename)


@bp.route("/momenten/<int:moment_id>/pakket.zip")
def export_zip(moment_id: int):
    """Download a ZIP with the packet and every original document."""
    moment = shared_queries.get_shared_moment(_landlord_id(), moment_id)
    choices = shared_queries.moment_choices(_landlord_id(), moment.id, details=False)
    if sections.needs_preparing([c.dossier for c in choices]):
        return redirect(url_for(".packet_progress", moment_id=moment.id, download="zip"))
    landlord = db.session.get(Landlord, _landlord_id())
    filename = exports.packet_filename(landlord, moment, "zip")
    stream = exports.download_zip(landlord, moment, choices, actor=current_user, ip=client_ip(), now=utcnow())
    db.session.commit()
    # Streamed: the stream reads only stored files, each when its turn comes (the request context stays).
    return _download(stream_with_context(stream), "application/zip", filename)
