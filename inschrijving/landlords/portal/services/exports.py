"""Structured exports for landlords: CSV (one row per dossier), JSON (the whole structure) and a ZIP.

The CSV columns and the JSON schema are documented in docs/landlords.md; the JSON is built by the
API's own models (`portal.schemas.MomentExport`), so it is the OpenAPI document's
components/schemas/Dossier by construction. National numbers appear in full: landlords need them
to register the household.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from inschrijving.dossiers.models import Document, LandlordChoice
from inschrijving.landlords.models import Landlord
from inschrijving.landlords.portal import schemas
from inschrijving.landlords.portal.queries import preferred_municipalities
from inschrijving.landlords.portal.services import access, packets
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


def moment_json(moment: RegistrationMoment, choices: Sequence[LandlordChoice], *, now: datetime) -> dict[str, Any]:
    """A moment's export for one landlord (schema: components/schemas/MomentExport)."""
    export = schemas.MomentExport(
        schema_version=1,
        generated_at=now,
        moment=schemas.Moment.of(moment),
        dossiers=[schemas.Dossier.of(c.dossier, c) for c in choices],
    )
    return export.model_dump(mode="json", by_alias=True)


def packet_filename(landlord: Landlord, moment: RegistrationMoment, extension: str) -> str:
    return f"pakket-{landlord.slug}-{moment.held_on.isoformat()}.{extension}"


def document_filename(document: Document) -> str:
    return f"{document.id}-{_safe_name(document.original_filename)}"


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


def download_zip(
    landlord: Landlord,
    moment: RegistrationMoment,
    choices: Sequence[LandlordChoice],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
) -> bytes:
    """The ZIP of the packet and every original document; the dossiers count as downloaded (audited)."""
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=now)
    data = packet_zip(pdf, packet_filename(landlord, moment, "pdf"), choices)
    access.record_download(
        choices,
        actor=actor,
        ip=ip,
        now=now,
        action="portal.export_zip",
        object_type="moment",
        object_id=moment.id,
        dossiers=len(choices),
    )
    return data
