"""What staff print or read back about a dossier: the candidate's receipt and the dossier's history."""

from __future__ import annotations

from flask import make_response
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.dossiers import labels, queries
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import checklist, consent, documents
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.dossiers.views.common import open_dossier, render_dossier_page
from inschrijving.dossiers.views.steps import STEPS
from inschrijving.extensions import db
from inschrijving.rendering.pdf import render_pdf
from inschrijving.web import role_required

# The history names each step by its title, and also names what happened outside the steps' forms.
HISTORY_TITLES = {s.slug: s.title for s in STEPS} | {
    "start": _l("Dossier gestart"),
    "health_consent": _l("Toestemming handicap"),
    "withdraw": _l("Toestemming ingetrokken"),
    "complete": _l("Afgerond"),
    "reopen": _l("Opnieuw geopend"),
}


@bp.route("/<int:dossier_id>/bewijs.pdf")
def receipt(dossier_id: int):
    """The candidate's receipt ('bewijs van inschrijving'), in the candidate's language."""
    dossier = open_dossier(dossier_id)
    with force_locale(dossier.language or "nl"):
        pdf = render_pdf("pdf/receipt.html", **receipt_context(dossier))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="bewijs-{dossier.reference}.pdf"'
    db.session.commit()
    return response


def receipt_context(dossier: Dossier) -> dict:
    return {
        "dossier": dossier,
        "chosen": [o for o in consent.landlord_offers(dossier) if o.is_chosen],
        "missing": checklist.missing_items(dossier),
        "documents_by_person": documents.by_person(dossier),
        "printed_at": utcnow(),
        "label": labels.label,
    }


@bp.route("/<int:dossier_id>/geschiedenis")
@role_required(Role.COORDINATOR)
def history(dossier_id: int):
    """Who changed what and when (coordinators only)."""
    dossier = open_dossier(dossier_id)
    return render_dossier_page(
        "dossiers/history.html",
        dossier,
        changes=queries.list_changes(dossier.id),
        step_titles=HISTORY_TITLES,
        field_label=labels.field_label,
        row_label=labels.row_label,
    )
