"""Upload, download and remove scans of a dossier."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.services import audit as account_services
from inschrijving.db_types import utcnow
from inschrijving.dossiers.forms.common import DOCUMENT_KIND_LABELS
from inschrijving.dossiers.forms.documents import DocumentForm
from inschrijving.dossiers.models import Document, DocumentKind
from inschrijving.dossiers.services import documents, errors
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.dossiers.views.intake import open_dossier, page_context
from inschrijving.dossiers.views.steps import STEPS_BY_SLUG
from inschrijving.extensions import db
from inschrijving.rendering import storage
from inschrijving.web import client_ip


def _people(dossier):
    return [("", _("— het hele gezin —"))] + [(p.id, p.full_name) for p in dossier.persons]


@bp.route("/<int:dossier_id>/documenten", methods=["GET", "POST"], endpoint="documents")
def list_documents(dossier_id: int):
    """List the dossier's documents and upload one more; a refused upload stores nothing."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.method == "POST" and limit and (request.content_length or 0) > limit:
        # Refuse before parsing: nothing of an oversized body is spooled to a temporary file.
        abort(413)
    dossier = open_dossier(dossier_id)
    form = DocumentForm(people=_people(dossier))
    if request.method == "GET" and dossier.reference_tenant is not None:
        form.person_id.data = dossier.reference_tenant.id
    if form.validate_on_submit():
        upload = form.file.data
        try:
            documents.upload_document(
                dossier,
                kind=DocumentKind(form.kind.data),
                person_id=form.person_id.data,
                filename=upload.filename or "",
                stream=upload.stream,
                max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                actor=current_user,
                now=utcnow(),
            )
            db.session.commit()
        except errors.UploadRefused as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
        except errors.DossierLocked:
            db.session.rollback()
            flash(_("Dit dossier is afgerond. Open het opnieuw om documenten toe te voegen."), "error")
            return redirect(url_for("dossiers.show", dossier_id=dossier_id))
        else:
            flash(_("Het document is toegevoegd."), "success")
            return redirect(url_for("dossiers.documents", dossier_id=dossier_id))
    people = {p.id: p for p in dossier.persons}
    return render_template(
        "dossiers/steps/documents.html",
        **page_context(
            dossier,
            form=form,
            step=STEPS_BY_SLUG["documents"],
            people=people,
            kind_labels=DOCUMENT_KIND_LABELS,
            max_mb=round(current_app.config["UPLOAD_MAX_BYTES"] / 1024 / 1024),
        ),
    )


def _document_or_404(dossier_id: int, document_id: int) -> Document:
    document = db.get_or_404(Document, document_id)
    if document.dossier_id != dossier_id:
        abort(404)
    return document


@bp.route("/<int:dossier_id>/documenten/<int:document_id>")
def download(dossier_id: int, document_id: int):
    """Send the original file as an attachment, never inline, with nosniff."""
    document = _document_or_404(dossier_id, document_id)
    try:
        data = documents.load_document(document)
    except storage.StorageError:
        abort(404)
    account_services.record_audit(
        actor=current_user,
        action="document.downloaded",
        object_type="document",
        object_id=document.id,
        detail={"dossier_id": dossier_id, "kind": document.kind.value},
        ip=client_ip(),
    )
    db.session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = document.content_type
    # Headers travel as Latin-1: an ASCII fallback name plus the real one encoded (RFC 6266).
    fallback = document.original_filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.original_filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:dossier_id>/documenten/<int:document_id>/verwijderen")
def delete_document(dossier_id: int, document_id: int):
    """Remove a document; the stored file goes only after the database agrees."""
    dossier = open_dossier(dossier_id, audit=False)
    document = _document_or_404(dossier_id, document_id)
    try:
        key = documents.delete_document(dossier, document, actor=current_user, now=utcnow())
        db.session.commit()
    except errors.DossierLocked:
        db.session.rollback()
        flash(_("Dit dossier is afgerond. Open het opnieuw om documenten te verwijderen."), "error")
    else:
        storage.delete(key)
        flash(_("Het document is verwijderd."), "success")
    return redirect(url_for("dossiers.documents", dossier_id=dossier_id))
