"""Template filters and globals for dossier values; none of them reads the database."""

from __future__ import annotations

from decimal import Decimal

from inschrijving.dossiers.eligibility.facts import euro
from inschrijving.dossiers.national_numbers import format_number, mask_number
from inschrijving.dossiers.views.blueprint import bp


@bp.app_template_filter("mask_national_number")
def mask_national_number_filter(number: str | None) -> str:
    """Last digits only: for every list and export that does not need the whole number."""
    return mask_number(number)


@bp.app_template_filter("national_number")
def national_number_filter(number: str | None) -> str:
    """The whole number, written the usual way: only on the dossier view itself."""
    return format_number(number)


@bp.app_template_filter("euro")
def euro_filter(amount) -> str:
    return euro(Decimal(amount)) if amount is not None else ""
