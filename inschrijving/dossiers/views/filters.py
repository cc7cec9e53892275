"""Template filters and globals for dossier values; none of them reads the database."""

from __future__ import annotations

from decimal import Decimal

from inschrijving.dossiers.eligibility.facts import euro
from inschrijving.dossiers.national_numbers import format_number, mask_number
from inschrijving.dossiers.services import checklist, lifecycle
from inschrijving.dossiers.views.blueprint import bp


@bp.app_template_filter("mask_national_number")
def mask_national_number_filter(number: str | None) -> str:
    """Last digits only: for every list and export that does not need the whole number."""
    return mask_number(number)


@bp.app_template_filter("national_number")
def national_number_filter(number: str | None) -> str:
    """The whole number, written the usual way: only on the dossier view itself."""
    return format_number(number)


@bp.app_template_global("dossier_checklist_for_booking")
def dossier_checklist_for_booking(booking_id: int):
    """The checklist of the dossier started from a booking (None if none): labels only, no contents.

    Kept only while the booking's manage page still calls it; it reads the database, which no new
    template global may do (the manage page is to get the checklist from its view).
    """
    dossier = lifecycle.get_dossier_for_booking(booking_id)
    if dossier is None:
        return None
    return checklist.completeness_checklist(dossier)


@bp.app_template_filter("euro")
def euro_filter(amount) -> str:
    return euro(Decimal(amount)) if amount is not None else ""
