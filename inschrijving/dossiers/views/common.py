"""What every dossier page shares: opening the dossier (a GET is an audited staff read) and rendering it."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from inschrijving.dossiers import labels
from inschrijving.dossiers.enums import PersonRole
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import checklist, lifecycle, reads
from inschrijving.dossiers.views.steps import visible_steps
from inschrijving.extensions import db
from inschrijving.web import current_actor


def open_dossier(dossier_id: int) -> Dossier:
    """The page's dossier, or 404. A GET shows it, so the service writes the read to the audit trail;
    a POST changes it and leaves its trace in the dossier's history instead."""
    if request.method == "GET":
        dossier = reads.view_dossier(dossier_id, actor=current_actor(), page=request.endpoint)
    else:
        dossier = lifecycle.load_dossier(dossier_id)
    if dossier is None:
        abort(404)
    return dossier


def page_context(dossier: Dossier, **extra) -> dict:
    return {
        "dossier": dossier,
        "steps": visible_steps(dossier),
        "checklist": checklist.completeness_checklist(dossier),
        "PersonRole": PersonRole,
        "label": labels.label,
        **extra,
    }


def render_dossier_page(template: str, dossier: Dossier, **extra) -> str:
    """Render a dossier page, then commit: the read's audit event is the one write of this request.

    Committed after rendering, so the commit does not expire the rows the template still reads.
    """
    page = render_template(template, **page_context(dossier, **extra))
    db.session.commit()
    return page


def stale_message() -> str:
    return _(
        "Iemand anders heeft dit dossier intussen bewaard. Uw invoer staat hieronder en is nog niet bewaard. "
        "Kijk ze na en klik opnieuw op 'Bewaren'."
    )


def keep_input_after_stale_save(dossier_id: int, form) -> Dossier:
    """Someone saved in between: drop this save, reload, and let the form carry the version now seen.

    The user's input stays in the form, so a second click on 'Bewaren' is a deliberate overwrite.
    """
    db.session.rollback()
    dossier = lifecycle.load_dossier(dossier_id)
    # The field renders its raw input; both must carry the version the user has now seen.
    form.version.data = dossier.version
    form.version.raw_data = [str(dossier.version)]
    flash(stale_message(), "warning")
    return dossier
