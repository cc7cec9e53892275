"""The spreadsheet a landlord's office opens: an XLSX with a sheet of dossiers and a sheet of persons.

Typed cells (dates as dates, amounts as numbers in euro format, counts as numbers), Dutch headers and
Dutch values, a frozen header row. Text a candidate typed is always a text cell, never a formula: a
value that starts like one (= + - @, tab, CR) is stored as text with Excel's own "quote prefix", so it
shows as typed and is never evaluated.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from inschrijving.dossiers.labels import dwelling_list, label
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.national_numbers import format_number
from inschrijving.landlords.portal.queries.lists import preferred_places

EURO = '€ #,##0.00;-€ #,##0.00'
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None
    width: int = 14


def _yes_no(value: bool | None) -> str:
    return {True: _("ja"), False: _("nee"), None: ""}[value]


def _birth_date(person: Person | None) -> date | str | None:
    """A full birth date as a date; a partly known one as text ("1985", "07/1985")."""
    if person is None or person.birth_year is None:
        return None
    if person.birth_month and person.birth_day:
        return date(person.birth_year, person.birth_month, person.birth_day)
    if person.birth_month:
        return f"{person.birth_month:02d}/{person.birth_year:04d}"
    return str(person.birth_year)


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets know no time zones: local Belgian time, without the zone.
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).replace(tzinfo=None)


def _dwelling_types(dossier: Dossier) -> str:
    return dwelling_list(dossier.preferences.dwelling_types if dossier.preferences else [])


def _prefs(dossier: Dossier, name: str) -> Any:
    return getattr(dossier.preferences, name) if dossier.preferences else None


def _tenant(choice: LandlordChoice) -> Person | None:
    return choice.dossier.reference_tenant


def _income_total(dossier: Dossier) -> Decimal | None:
    if not dossier.incomes:
        return None
    return sum((income.reference_total for income in dossier.incomes), Decimal(0))


def dossier_columns() -> list[Column]:
    """The sheet of dossiers, one row per dossier (a choice of this landlord)."""
    return [
        Column(_("Referentie"), lambda c: c.dossier.reference, width=10),
        Column(_("Datum moment"), lambda c: c.dossier.moment.held_on, DATE, 12),
        Column(_("Naam"), lambda c: _tenant(c).last_name if _tenant(c) else None, width=18),
        Column(_("Voornaam"), lambda c: _tenant(c).first_name if _tenant(c) else None, width=16),
        Column(_("Rijksregisternummer"), lambda c: format_number(_tenant(c).national_number) if _tenant(c) else None,
               width=16),
        Column(_("Geboortedatum"), lambda c: _birth_date(_tenant(c)), DATE, 12),
        Column(_("Partner"), lambda c: c.dossier.partner.full_name if c.dossier.partner else None, width=20),
        Column(_("Personen"), lambda c: len(c.dossier.persons), width=9),
        Column(_("Ten laste"), lambda c: sum(1 for p in c.dossier.persons if p.is_dependant), width=9),
        Column(_("Gezinsinkomen"), lambda c: _income_total(c.dossier), EURO, 14),
        Column(_("Gemeenten"), lambda c: ", ".join(preferred_places(c.dossier)), width=24),
        Column(_("Soort woning"), lambda c: _dwelling_types(c.dossier), width=20),
        Column(_("Slaapkamers min."), lambda c: _prefs(c.dossier, "bedrooms_min"), width=9),
        Column(_("Slaapkamers max."), lambda c: _prefs(c.dossier, "bedrooms_max"), width=9),
        Column(_("Maximale huur"), lambda c: _prefs(c.dossier, "max_rent"), EURO, 12),
        Column(_("Telefoon"), lambda c: c.dossier.contact_phone, width=14),
        Column(_("E-mail"), lambda c: c.dossier.contact_email, width=24),
        Column(_("Documenten"), lambda c: len(c.dossier.documents), width=9),
        Column(_("Afgerond op"), lambda c: _local(c.dossier.completed_at), DATETIME, 16),
        Column(_("Ingeschreven in CIR"), lambda c: _yes_no(c.dossier.cir_registered), width=9),
        Column(_("Status"), lambda c: label(c.status), width=12),
        Column(_("Uw nummer"), lambda c: c.landlord_reference, width=12),
        Column(_("Ingeschreven op"), lambda c: c.registered_on, DATE, 12),
        Column(_("Opmerking"), lambda c: c.status_note, width=30),
    ]


def _income(person: Person, name: str) -> Any:
    income = next((i for i in person.dossier.incomes if i.person_id == person.id), None)
    return getattr(income, name) if income else None


def person_columns() -> list[Column]:
    """The sheet of persons, one row per person of every dossier."""
    return [
        Column(_("Referentie"), lambda p: p.dossier.reference, width=10),
        Column(_("Rol"), lambda p: label(p.role), width=16),
        Column(_("Naam"), lambda p: p.last_name, width=18),
        Column(_("Voornaam"), lambda p: p.first_name, width=16),
        Column(_("Identificatie"), lambda p: label(p.id_kind), width=16),
        Column(_("Rijksregisternummer"), lambda p: format_number(p.national_number), width=16),
        Column(_("Buitenlands nummer"), lambda p: p.foreign_id, width=14),
        Column(_("Geboortedatum"), _birth_date, DATE, 12),
        Column(_("Register"), lambda p: label(p.register_type), width=16),
        Column(_("Ten laste"), lambda p: _yes_no(p.is_dependant), width=9),
        Column(_("Reden ten laste"), lambda p: label(p.dependant_reason), width=18),
        Column(_("Gedomicilieerd"), lambda p: _yes_no(p.is_domiciled), width=9),
        Column(_("Erkende handicap"), lambda p: _yes_no(p.has_recognised_disability), width=9),
        Column(_("Taalniveau Nederlands"), lambda p: label(p.language_level), width=12),
        Column(_("Inkomensjaar"), lambda p: _income(p, "income_year"), width=9),
        Column(_("Belastbaar inkomen"), lambda p: _income(p, "taxable_total"), EURO, 14),
        Column(_("Afzonderlijk belast"), lambda p: _income(p, "separately_taxed"), EURO, 14),
        Column(_("Leefloon"), lambda p: _income(p, "leefloon"), EURO, 14),
        Column(_("IVT"), lambda p: _income(p, "ivt"), EURO, 14),
        Column(_("Buitenlands vrijgesteld"), lambda p: _income(p, "foreign_exempt"), EURO, 14),
        Column(_("Bron inkomen"), lambda p: label(_income(p, "source")), width=16),
    ]


def _write_sheet(sheet, columns: list[Column], rows: Sequence[Any]) -> None:
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = column.value(row)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=index)
            if isinstance(value, str):
                # Typed as text explicitly: openpyxl's `value` setter would take "=..." for a formula.
                cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
            else:
                cell.value = value
            if column.number_format:
                cell.number_format = column.number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def dossiers_xlsx(choices: Sequence[LandlordChoice]) -> bytes:
    """The workbook of these choices' dossiers: a sheet "Dossiers" and a sheet "Personen"."""
    workbook = Workbook()
    dossiers = workbook.active
    dossiers.title = _("Dossiers")
    _write_sheet(dossiers, dossier_columns(), choices)
    persons = workbook.create_sheet(_("Personen"))
    _write_sheet(persons, person_columns(), [p for c in choices for p in c.dossier.persons])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
