"""Structured exports for landlords: CSV (one row per dossier), JSON (the whole structure) and a ZIP.

The CSV columns and the JSON schema are documented in docs/landlords.md; the JSON schema is also
published in the OpenAPI document (components/schemas/Dossier), and tests hold both to it.
National numbers appear in full: landlords need them to register the household.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from inschrijving.dossiers.models import Dossier, LandlordChoice
from inschrijving.landlords.portal import preferred_municipalities
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering import storage

# (column, meaning): the order is the CSV's column order.
CSV_COLUMNS: list[tuple[str, str]] = [
    ("dossier_id", "Internal dossier id (as in the API)"),
    ("reference", "Dossier reference, e.g. K7F-3QX"),
    ("moment_date", "Date of the registration moment (YYYY-MM-DD)"),
    ("reference_tenant_last_name", "Reference tenant's last name"),
    ("reference_tenant_first_name", "Reference tenant's first name"),
    ("reference_tenant_national_number", "Reference tenant's national register or BIS number (11 digits)"),
    ("reference_tenant_birth_date", "Birth date, YYYY-MM-DD; unknown parts as 00"),
    ("partner_name", "Partner's full name, empty without partner"),
    ("partner_national_number", "Partner's national register or BIS number"),
    ("household_size", "Number of persons in the dossier"),
    ("dependants", "Number of persons marked as dependant (ten laste)"),
    ("municipalities", "Preferred municipalities, separated by '; '"),
    ("dwelling_types", "Preferred dwelling types, separated by '; '"),
    ("bedrooms_min", "Minimum number of bedrooms"),
    ("bedrooms_max", "Maximum number of bedrooms"),
    ("contact_phone", "Phone number (E.164)"),
    ("contact_email", "E-mail address"),
    ("documents", "Number of uploaded documents"),
    ("completed_at", "When the dossier was completed (ISO 8601, UTC)"),
    ("cir_registered", "Registered in the central register (CIR): yes, no or empty"),
    ("status", "Your status: new, downloaded, registered, incomplete, refused"),
    ("landlord_reference", "Your registration number, when registered"),
    ("registered_on", "Your registration date (YYYY-MM-DD), when registered"),
    ("status_note", "What is missing, or why refused"),
]


def _birth_date(person) -> str:
    if person is None or person.birth_year is None:
        return ""
    return f"{person.birth_year:04d}-{person.birth_month or 0:02d}-{person.birth_day or 0:02d}"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def dossiers_csv(choices: Sequence[LandlordChoice]) -> str:
    """One row per dossier, with the columns of CSV_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _meaning in CSV_COLUMNS])
    for choice in choices:
        dossier = choice.dossier
        tenant, partner = dossier.reference_tenant, dossier.partner
        prefs = dossier.preferences
        row = {
            "dossier_id": dossier.id,
            "reference": dossier.reference,
            "moment_date": dossier.moment.held_on.isoformat(),
            "reference_tenant_last_name": tenant.last_name if tenant else "",
            "reference_tenant_first_name": tenant.first_name if tenant else "",
            "reference_tenant_national_number": (tenant.national_number or "") if tenant else "",
            "reference_tenant_birth_date": _birth_date(tenant),
            "partner_name": partner.full_name if partner else "",
            "partner_national_number": (partner.national_number or "") if partner else "",
            "household_size": len(dossier.persons),
            "dependants": sum(1 for p in dossier.persons if p.is_dependant),
            "municipalities": "; ".join(preferred_municipalities(dossier)),
            "dwelling_types": "; ".join(prefs.dwelling_types) if prefs else "",
            "bedrooms_min": prefs.bedrooms_min if prefs and prefs.bedrooms_min is not None else "",
            "bedrooms_max": prefs.bedrooms_max if prefs and prefs.bedrooms_max is not None else "",
            "contact_phone": dossier.contact_phone or "",
            "contact_email": dossier.contact_email or "",
            "documents": len(dossier.documents),
            "completed_at": dossier.completed_at.isoformat() if dossier.completed_at else "",
            "cir_registered": {True: "yes", False: "no", None: ""}[dossier.cir_registered],
            "status": choice.status.value,
            "landlord_reference": choice.landlord_reference or "",
            "registered_on": choice.registered_on.isoformat() if choice.registered_on else "",
            "status_note": choice.status_note or "",
        }
        writer.writerow([_csv_safe(row[name]) for name, _meaning in CSV_COLUMNS])
    return out.getvalue()


def _csv_safe(value: Any) -> Any:
    # A cell starting with = + - @ is a formula in spreadsheets: neutralise what candidates typed.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"\+\d+", value):
        return "'" + value
    return value


def choice_json(choice: LandlordChoice) -> dict[str, Any]:
    return {
        "status": choice.status.value,
        "landlord_reference": choice.landlord_reference,
        "registered_on": _json_value(choice.registered_on),
        "note": choice.status_note,
        "status_set_at": _json_value(choice.status_set_at),
        "first_downloaded_at": _json_value(choice.first_downloaded_at),
        "last_downloaded_at": _json_value(choice.last_downloaded_at),
    }


def dossier_json(dossier: Dossier, choice: LandlordChoice) -> dict[str, Any]:
    """The whole dossier as seen by the landlord of this choice (schema: components/schemas/Dossier)."""
    prefs = dossier.preferences
    return {
        "id": dossier.id,
        "reference": dossier.reference,
        "moment": {"id": dossier.moment_id, "date": dossier.moment.held_on.isoformat()},
        "completed_at": _json_value(dossier.completed_at),
        "version": dossier.version,
        "language": dossier.language,
        "contact": {"phone": dossier.contact_phone, "email": dossier.contact_email},
        "family_reunification_expected": dossier.family_reunification_expected,
        "persons": [
            {
                "id": p.id,
                "role": p.role.value,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "id_kind": p.id_kind.value,
                "national_number": p.national_number,
                "foreign_id": p.foreign_id,
                "birth_year": p.birth_year,
                "birth_month": p.birth_month,
                "birth_day": p.birth_day,
                "register_type": p.register_type.value,
                "is_dependant": p.is_dependant,
                "dependant_reason": p.dependant_reason.value if p.dependant_reason else None,
                "is_domiciled": p.is_domiciled,
                "has_recognised_disability": p.has_recognised_disability,
                "language_level": p.language_level.value,
            }
            for p in dossier.persons
        ],
        "incomes": [
            {
                "person_id": i.person_id,
                "income_year": i.income_year,
                "source": i.source.value if i.source else None,
                "taxable_total": _json_value(i.taxable_total),
                "separately_taxed": _json_value(i.separately_taxed),
                "leefloon": _json_value(i.leefloon),
                "ivt": _json_value(i.ivt),
                "foreign_exempt": _json_value(i.foreign_exempt),
                "reference_total": _json_value(i.reference_total),
                "uses_current_income": i.uses_current_income,
                "current_income_months": i.current_income_months,
                "current_income_amount": _json_value(i.current_income_amount),
                "in_debt_settlement": i.in_debt_settlement,
                "disposable_income": _json_value(i.disposable_income),
            }
            for i in dossier.incomes
        ],
        "assets": None
        if dossier.assets is None
        else {
            "total_balances": _json_value(dossier.assets.total_balances),
            "excluded_amount": _json_value(dossier.assets.excluded_amount),
            "declared_on": _json_value(dossier.assets.declared_on),
        },
        "has_property": dossier.has_property,
        "property_declarations": [
            {
                "person_id": pd.person_id,
                "country": pd.country,
                "right_type": pd.right_type.value,
                "share_pct": _json_value(pd.share_pct),
                "exception": pd.exception.value if pd.exception else None,
                "note": pd.note,
            }
            for pd in dossier.property_declarations
        ],
        "addresses": [
            {
                "person_id": a.person_id,
                "municipality": a.municipality_name,
                "from": _json_value(a.from_on),
                "until": _json_value(a.until_on),
            }
            for a in dossier.addresses
        ],
        "preferences": None
        if prefs is None
        else {
            "municipalities": preferred_municipalities(dossier),
            "dwelling_types": list(prefs.dwelling_types or []),
            "bedrooms_min": prefs.bedrooms_min,
            "bedrooms_max": prefs.bedrooms_max,
            "max_rent": _json_value(prefs.max_rent),
            "needs_ground_floor": prefs.needs_ground_floor,
            "needs_lift": prefs.needs_lift,
            "needs_wheelchair": prefs.needs_wheelchair,
            "remarks": prefs.remarks,
        },
        "cir": {
            "registered": dossier.cir_registered,
            "registered_on": _json_value(dossier.cir_registered_on),
            "reference": dossier.cir_reference,
        },
        "documents": [
            {
                "id": d.id,
                "kind": d.kind.value,
                "person_id": d.person_id,
                "filename": d.original_filename,
                "content_type": d.content_type,
                "size_bytes": d.size_bytes,
                "sha256": d.sha256,
            }
            for d in sorted(dossier.documents, key=lambda d: d.id)
        ],
        "landlord_status": choice_json(choice),
    }


def moment_json(moment: RegistrationMoment, choices: Sequence[LandlordChoice], *, now: datetime) -> dict[str, Any]:
    """A moment's export for one landlord (schema: components/schemas/MomentExport)."""
    return {
        "schema_version": 1,
        "generated_at": now.isoformat(),
        "moment": moment_summary_json(moment),
        "dossiers": [dossier_json(c.dossier, c) for c in choices],
    }


def moment_summary_json(moment: RegistrationMoment, **extra: Any) -> dict[str, Any]:
    return {
        "id": moment.id,
        "date": moment.held_on.isoformat(),
        "location": moment.location_name,
        "address": moment.address,
        **extra,
    }


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:80] or "document"


def packet_zip(packet_pdf: bytes, packet_name: str, choices: Sequence[LandlordChoice]) -> bytes:
    """A ZIP with the packet and every original document, one folder per dossier reference."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(packet_name, packet_pdf)
        for choice in choices:
            dossier = choice.dossier
            for document in sorted(dossier.documents, key=lambda d: d.id):
                name = f"{dossier.reference}/{document.id}-{_safe_name(document.original_filename)}"
                archive.writestr(name, storage.load(document.storage_key))
    return out.getvalue()
