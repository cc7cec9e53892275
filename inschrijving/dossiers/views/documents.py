"""Upload, download and remove scans of a dossier."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from inschrijving.db_types import utcnow
from inschrijving.dossiers.forms.documents import DocumentForm, item_field
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import checklist, documents, errors, lifecycle, reads
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.dossiers.views.common import open_dossier, render_dossier_page
from inschrijving.dossiers.views.steps import STEPS_BY_SLUG, next_step, people_choices
from inschrijving.extensions import db
from inschrijving.rendering import storage
from inschrijving.web import attachment, current_actor


@bp.route("/<int:dossier_id>/documenten", methods=["GET", "POST"], endpoint="documents")
def list_documents(dossier_id: int):
    """List the documents and upload several at once; a refused file stores nothing of the request."""
    dossier = open_dossier(dossier_id)
    form = DocumentForm(people=people_choices(dossier), items=checklist.missing_papers(dossier),
                        default_person=dossier.reference_tenant, preselect=request.args.get("item"))
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    if form.validate_on_submit():
        try:
            added = documents.upload_documents(dossier, form.uploads(), max_bytes=max_bytes, actor=current_actor(),
                                               now=utcnow())
            db.session.commit()
        except errors.UploadRefused as exc:
            db.session.rollback()
            dossier = lifecycle.load_dossier(dossier_id)
            form.item_errors[exc.field] = f"{exc.filename}: {exc}"
        except errors.DossierLocked:
            db.session.rollback()
            flash(_("Dit dossier is afgerond. Open het opnieuw om documenten toe te voegen."), "error")
            return redirect(url_for("dossiers.show", dossier_id=dossier_id))
        else:
            return _uploaded(dossier, len(added))
    return render_dossier_page("dossiers/steps/documents.html", dossier, form=form, step=STEPS_BY_SLUG["documents"],
                               max_mb=round(max_bytes / 1024 / 1024), item_field=item_field)


def _uploaded(dossier: Dossier, count: int):
    """Say how many went in, then go back to where the user came from: the overview, the documents page while
    a paper of the checklist is still missing, else the next step."""
    flash(ngettext("%(num)s document is toegevoegd.", "%(num)s documenten zijn toegevoegd.", count), "success")
    if request.args.get("terug") == "overzicht":
        return redirect(url_for("dossiers.show", dossier_id=dossier.id, _anchor="answers-documents"))
    if checklist.missing_papers(dossier):
        return redirect(url_for("dossiers.documents", dossier_id=dossier.id))
    return redirect(next_step(dossier, "documents").url(dossier.id))


def _document_or_404(dossier_id: int, document_id: int) -> Document:
    document = db.get_or_404(Document, document_id)
    if document.dossier_id != dossier_id:
        abort(404)
    return document


@bp.route("/<int:dossier_id>/documenten/<int:document_id>")
def download(dossier_id: int, document_id: int):
    """Send the original file as an attachment, never inline, with nosniff; the download is audited."""
    document = _document_or_404(dossier_id, document_id)
    try:
        data = reads.hand_out_document(document, actor=current_actor())
    except storage.StorageError:
        abort(404)
    response = attachment(data, document.content_type, document.original_filename)
    db.session.commit()
    return response


@bp.route("/<int:dossier_id>/documenten/<int:document_id>/voorbeeld.jpg")
def preview(dossier_id: int, document_id: int):
    """A small picture of an uploaded scan, to see at once that the right paper went in (audited)."""
    document = _document_or_404(dossier_id, document_id)
    if not document.is_image:
        abort(404)
    try:
        data = reads.hand_out_preview(document, actor=current_actor())
    except storage.StorageError:
        abort(404)
    response = Response(data, content_type="image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    db.session.commit()
    return response


@bp.post("/<int:dossier_id>/documenten/<int:document_id>/verwijderen")
def delete_document(dossier_id: int, document_id: int):
    """Remove a document; the stored file goes only after the database agrees."""
    dossier = open_dossier(dossier_id)
    document = _document_or_404(dossier_id, document_id)
    try:
        documents.delete_document(dossier, document, actor=current_actor(), now=utcnow())
        db.session.commit()
    except errors.DossierLocked:
        db.session.rollback()
        flash(_("Dit dossier is afgerond. Open het opnieuw om documenten te verwijderen."), "error")
    else:
        flash(_("Het document is verwijderd."), "success")
    return redirect(url_for("dossiers.documents", dossier_id=dossier_id))
