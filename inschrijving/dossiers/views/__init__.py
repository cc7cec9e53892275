"""Staff pages for the intake (one dossier per household), plus the public eligibility check.

`bp` holds the staff pages behind the coordinator/volunteer guard; `check_bp` is the anonymous
/check page, which must stay outside that guard.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint

from inschrijving.accounts.models import Role
from inschrijving.dossiers.eligibility import euro
from inschrijving.dossiers.forms import DOCUMENT_KIND_LABELS, ROLE_LABELS
from inschrijving.dossiers.national_numbers import format_number, mask_number
from inschrijving.web import guard_blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)

check_bp = Blueprint("eligibility_check", __name__)


@bp.app_template_filter("mask_national_number")
def mask_national_number_filter(number: str | None) -> str:
    """Last digits only: for every list and export that does not need the whole number."""
    return mask_number(number)


@bp.app_template_filter("national_number")
def national_number_filter(number: str | None) -> str:
    """The whole number, written the usual way: only on the dossier view itself."""
    return format_number(number)


@bp.app_template_filter("role_label")
def role_label_filter(role) -> str:
    return str(ROLE_LABELS.get(getattr(role, "value", role), role))


@bp.app_template_global("document_kind_label")
def document_kind_label(kind) -> str:
    return str(DOCUMENT_KIND_LABELS.get(getattr(kind, "value", kind), kind))


@bp.app_template_global("dossier_checklist_for_booking")
def dossier_checklist_for_booking(booking_id: int):
    """The checklist of the dossier started from a booking (None if none): labels only, no contents."""
    from inschrijving.dossiers import services

    dossier = services.get_dossier_for_booking(booking_id)
    if dossier is None:
        return None
    return services.completeness_checklist(dossier)


@bp.app_template_filter("euro")
def euro_filter(amount) -> str:
    return euro(Decimal(amount)) if amount is not None else ""


from inschrijving.dossiers.views import check, documents, intake, limits  # noqa: E402, F401 - registers routes
