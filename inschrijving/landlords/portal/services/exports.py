"""Structured exports for landlords: XLSX (spreadsheet.py), CSV (one row per dossier), JSON (the whole structure), ZIP.

The CSV columns and the JSON schema are documented in docs/landlords.md; the JSON is built by the
API's own models (`portal.schemas.MomentExport`), so it is the OpenAPI document's
components/schemas/Dossier by construction. National numbers appear in full: landlords need them
to register the household.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stream_zip import NO_COMPRESSION_32, ZIP_32, stream_zip

from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.landlords.models import Landlord
from inschrijving.landlords.portal import schemas
from inschrijving.landlords.portal.queries.lists import preferred_places
from inschrijving.landlords.portal.services import access, packets
from inschrijving.landlords.portal.services.spreadsheet import dossiers_xlsx
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
    ("municipalities", "Preferred municipalities and deelgemeenten (as `Bellegem (Kortrijk)`), separated by '; '"),
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


SEPARATORS = (";", ",")
# A formula starts a cell, or starts after a separator when the file is read with the other one.
_FORMULA_START = re.compile(r'(^|[;,])([ "]*)(?=[=+\-@\t\r])')
_PHONE = re.compile(r"\+\d+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def dossiers_csv(choices: Sequence[LandlordChoice], *, separator: str = ";") -> str:
    """One row per dossier, with the columns of CSV_COLUMNS: UTF-8 text with a byte-order mark.

    `;` by default (the list separator of Belgian spreadsheets), or `,`. Every text cell is quoted and
    numbers are not; a text never starts a formula under either separator (`_csv_safe`).
    """
    if separator not in SEPARATORS:
        raise ValueError(separator)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=separator, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([name for name, _meaning in CSV_COLUMNS])
    for choice in choices:
        writer.writerow([_csv_safe(value) for value in _csv_row(choice)])
    return out.getvalue()


def _csv_row(choice: LandlordChoice) -> list[Any]:
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
        "municipalities": "; ".join(preferred_places(dossier)),
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
    return [row[name] for name, _meaning in CSV_COLUMNS]


def _csv_safe(value: Any) -> Any:
    """Neutralise what candidates typed so no spreadsheet runs it, whichever separator it reads the file with.

    A line break becomes a space (a reader with the other separator would start a new row there); a
    `'` goes before = + - @ tab CR at the start of the cell and after every `;` or `,` inside it. A
    phone number such as +32470123456 is left as it is.
    """
    if not isinstance(value, str) or _PHONE.fullmatch(value):
        return value
    return _FORMULA_START.sub(r"\1\2'", _LINE_BREAKS.sub(" ", value))


def moment_json(moment: RegistrationMoment, choices: Sequence[LandlordChoice], *, now: datetime) -> dict[str, Any]:
    """A moment's export for one landlord (schema: components/schemas/MomentExport)."""
    export = schemas.MomentExport(
        schema_version=1,
        generated_at=now,
        moment=schemas.Moment.of(moment),
        dossiers=[schemas.Dossier.of(c.dossier, c) for c in choices],
    )
    return export.model_dump(mode="json", by_alias=True)


def moment_json_text(moment: RegistrationMoment, choices: Sequence[LandlordChoice], *, now: datetime) -> str:
    """The export as compact JSON text (no indentation: that forces Python's slow encoder)."""
    return json.dumps(moment_json(moment, choices, now=now), ensure_ascii=False, separators=(",", ":"))


def spreadsheet(kind: str, choices: Sequence[LandlordChoice], *, separator: str = ";") -> tuple[bytes | str, str]:
    """The moment's list as "xlsx" (for people) or "csv" (for systems), with its media type."""
    if kind == "xlsx":
        return (
            dossiers_xlsx(choices),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return dossiers_csv(choices, separator=separator), "text/csv"  # Werkzeug adds "; charset=utf-8"


def packet_filename(landlord: Landlord, moment: RegistrationMoment, extension: str) -> str:
    return f"pakket-{landlord.slug}-{moment.held_on.isoformat()}.{extension}"


def document_filename(document: Document) -> str:
    return f"{document.id}-{_safe_name(document.original_filename)}"


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:80] or "document"


# Formats whose bytes are compressed already: deflating them again costs seconds and saves nothing.
ALREADY_COMPRESSED = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"})
ZIP_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipEntry:
    """One original document to put in the ZIP: plain values, read before the response starts streaming."""

    name: str
    storage_key: str
    content_type: str


def zip_entries(choices: Sequence[LandlordChoice]) -> list[ZipEntry]:
    """Every original document of these dossiers, one folder per dossier reference."""
    return [
        ZipEntry(
            f"{choice.dossier.reference}/{document_filename(document)}", document.storage_key, document.content_type
        )
        for choice in choices
        for document in sorted(choice.dossier.documents, key=lambda d: d.id)
    ]


def _member(name: str, data: bytes, content_type: str, modified: datetime):
    if content_type in ALREADY_COMPRESSED:
        # Stored, with its size and checksum in the local header (no data descriptor): every unzip reads it.
        method = NO_COMPRESSION_32(len(data), zlib.crc32(data))
    else:
        method = ZIP_32
    view = memoryview(data)
    chunks = (view[i : i + ZIP_CHUNK] for i in range(0, len(data), ZIP_CHUNK))
    return name, modified, 0o600, method, chunks


def packet_zip(packet_pdf: bytes, packet_name: str, entries: Sequence[ZipEntry], *, now: datetime) -> Iterator[bytes]:
    """The ZIP of the packet and every original document, streamed: one document in memory at a time.

    JPEG, PNG and PDF files are stored as they are; anything else is deflated (level 6).
    """

    def members():
        yield _member(packet_name, packet_pdf, "application/pdf", now)
        for entry in entries:
            yield _member(entry.name, storage.load(entry.storage_key), entry.content_type, now)

    return stream_zip(members(), chunk_size=ZIP_CHUNK, get_compressobj=_deflate)


def _deflate():
    return zlib.compressobj(wbits=-zlib.MAX_WBITS, level=6)


def download_zip(
    landlord: Landlord,
    moment: RegistrationMoment,
    choices: Sequence[LandlordChoice],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
) -> Iterator[bytes]:
    """The ZIP of the packet and every original document, as a stream; the dossiers count as downloaded (audited).

    Everything read from the database is read here, before the caller commits; the stream itself
    only reads the stored files.
    """
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=now)
    data = packet_zip(pdf, packet_filename(landlord, moment, "pdf"), zip_entries(choices), now=now)
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
