"""Staff pages for the candidate's rights: a copy of everything held, and erasure on request."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.dossiers.labels import field_label, field_value
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import lifecycle
from inschrijving.extensions import db
from inschrijving.privacy import services
from inschrijving.privacy.forms import EraseForm
from inschrijving.rendering.pdf import render_pdf
from inschrijving.web import attachment, current_actor, guard_blueprint, guard_dossier_scope

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)
guard_dossier_scope(bp)


def _dossier_or_404(dossier_id: int) -> Dossier:
    dossier = lifecycle.load_dossier(dossier_id)
    if dossier is None:
        abort(404)
    return dossier


@bp.route("/dossiers/<int:dossier_id>")
def show(dossier_id: int):
    """Offer the household's copy (PDF, JSON) and the erase form."""
    dossier = _dossier_or_404(dossier_id)
    return render_template("privacy/show.html", dossier=dossier, form=EraseForm(expected=dossier.reference))


@bp.route("/dossiers/<int:dossier_id>/kopie.json")
def copy_json(dossier_id: int):
    """Hand out everything held about the household as JSON, and note it in the audit log."""
    data = services.hand_out_copy(_dossier_or_404(dossier_id), actor=current_actor(), fmt="json")
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    db.session.commit()
    return attachment(body, "application/json", f"gegevens-{data['reference']}.json")


@bp.route("/dossiers/<int:dossier_id>/kopie.pdf")
def copy_pdf(dossier_id: int):
    """Hand out everything held about the household as a PDF, and note it in the audit log."""
    data = services.hand_out_copy(_dossier_or_404(dossier_id), actor=current_actor(), fmt="pdf")
    pdf = render_pdf(
        "pdf/household_copy.html",
        copy=data,
        made_at=utcnow(),
        field_label=field_label,
        field_value=field_value,
    )
    db.session.commit()
    return attachment(pdf, "application/pdf", f"gegevens-{data['reference']}.pdf")


@bp.route("/dossiers/<int:dossier_id>/wissen", methods=["POST"])
def erase(dossier_id: int):
    """Erase the dossier and its documents and anonymise the booking, after the typed reference."""
    dossier = _dossier_or_404(dossier_id)
    form = EraseForm(expected=dossier.reference)
    if not form.validate_on_submit():
        return render_template("privacy/show.html", dossier=dossier, form=form), 422
    reference = dossier.reference
    services.erase_household(dossier, actor=current_actor(), now=utcnow(), confirmation=form.reference.data)
    db.session.commit()
    flash(_("Dossier %(ref)s is gewist. De afspraak is anoniem gemaakt.", ref=reference), "success")
    return redirect(url_for("dossiers.index"))
