"""Per-dossier packet sections: rendered once, encrypted, cached in `DossierSection`, merged into packets.

A section is a dossier's data page(s) plus its scans and appended PDFs, always in Dutch (it is cached
for every landlord). Its cache key changes with the dossier version, its documents and the section
template version, so a stale section is never served. `packets` merges them; the worker renders them
after a dossier is completed (issue 18).
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageOps
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from inschrijving.dossiers.labels import country_name, dwelling_label, label, language_name
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person, Preferences
from inschrijving.dossiers.models.means import IncomeRecord
from inschrijving.dossiers.national_numbers import format_number
from inschrijving.extensions import db
from inschrijving.formatting import BELGIAN_LOCALE, dutch_date, dutch_datetime, euro
from inschrijving.landlords.models import DossierSection, SubMunicipality
from inschrijving.rendering import pdfmerge, pdfparts, pdfsplit, storage
from inschrijving.rendering.pdf import collections_after, html_to_pdf_with_anchors

logger = logging.getLogger(__name__)

# Raise whenever templates/pdf/dossier_section.html (or what it shows) changes: every cached
# section then misses and is rendered again with the new template.
# .2: deelgemeenten; appended PDFs cleaned at merge; .3: kept as parts; .4: scans drawn by pikepdf
TEMPLATE_VERSION = "2026-12-07.4"
SECTION_TEMPLATE = "pdf/dossier_section.html"
# Scans are scaled to A4 at 150 dpi: sharp enough to read, small enough to merge fast.
SCAN_MAX_PIXELS = (1240, 1754)
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/tiff", "image/webp"}
# Why an upload could not be put in its section (the section says so, in these words' place).
ENCRYPTED = pdfmerge.ENCRYPTED
DAMAGED = pdfmerge.DAMAGED
TOO_LARGE = "too_large"
# What one upload may cost a section when it is built (the upload check should refuse more, issue 13.1;
# these hold for files stored before it, or past it): pages of an appended PDF (config
# PACKET_PDF_MAX_PAGES), pages of a whole section, pixels of a picture before it is decoded.
PDF_MAX_PAGES = 50
SECTION_MAX_PAGES = 200
SCAN_MAX_SOURCE_PIXELS = 50_000_000
# An upright JPEG up to this size is embedded as it is (a 150 dpi A4 scan is 150-400 kB).
SCAN_AS_IS_MAX_BYTES = 1_500_000
_EXIF_ORIENTATION = 0x0112
# A cold packet with more missing sections than this is prepared in steps (a progress page in the
# portal, 202 answers in the API), so no request runs into a proxy timeout. A step costs its sections
# (about 80 ms each, one WeasyPrint document) plus what every step pays whatever its size (the moment's
# dossiers loaded, the document set up: about 60 ms at 100 dossiers, more for larger moments), so ten
# to a step take under a second, as five did when a section cost 140 ms (docs/performance.md).
INSTANT_RENDER_LIMIT = 3
SECTIONS_PER_STEP = 10
# The audit action of a packet download, by where the reader came in.


def documents_fingerprint(documents: Sequence[Document]) -> str:
    parts = sorted(f"{d.id}:{d.sha256}:{d.kind}" for d in documents)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def section_key(dossier: Dossier) -> str:
    """The cache key of a dossier's section: changes with the dossier, its documents or the template."""
    raw = f"{dossier.id}|{dossier.version}|{TEMPLATE_VERSION}|{documents_fingerprint(dossier.documents)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def cached_sections(dossiers: Sequence[Dossier]) -> dict[int, DossierSection]:
    """The up-to-date cached sections of these dossiers, by dossier id (one query; their PDFs not loaded)."""
    if not dossiers:
        return {}
    wanted = {d.id: section_key(d) for d in dossiers}
    stmt = sa.select(DossierSection).where(DossierSection.dossier_id.in_(wanted))
    found = {}
    for section in db.session.scalars(stmt):
        if wanted[section.dossier_id] == section.cache_key:
            found[section.dossier_id] = section
    return found


def _encrypted_parts(section_ids: Sequence[int]) -> dict[int, bytes]:
    """The stored (encrypted) parts of these sections, by section id (one query)."""
    stmt = sa.select(DossierSection.id, DossierSection.pdf).where(DossierSection.id.in_(section_ids))
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return {section_id: pdf for section_id, pdf in connection.execute(stmt)}
    # psycopg reads bytea as hex text unless the cursor asks for binary: for a packet of tens of MB
    # decoding the text cost more than writing the packet (0.34 s of CPU for 65 MB). Same statement,
    # same transaction, on the session's own connection.
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    with connection.connection.driver_connection.cursor(binary=True) as cursor:
        cursor.execute(str(compiled), compiled.params)
        return dict(cursor.fetchall())


def stored_sections(dossiers: Sequence[Dossier], *, now: datetime) -> list[tuple[Dossier, DossierSection, bytes]]:
    """Each dossier with its cached section and the section's part, still encrypted; missing ones rendered.

    A section no configured key opens any more (its key was retired, docs/dossiers.md "Key rotation")
    is a cache miss: it is rendered again, with the newest key. Decrypt each part only when it is written
    (`storage.blob_opener`), so a packet is never held decrypted as a whole.
    """
    sections = cached_sections(dossiers)
    if len(sections) < len(dossiers):
        ensure_sections(dossiers, now=now)
        sections = cached_sections(dossiers)
    stored = _encrypted_parts([section.id for section in sections.values()])
    found = []
    for dossier in dossiers:
        section = sections[dossier.id]
        part = stored.pop(section.id)
        if not storage.blob_opens(part):
            logger.info("cached section of dossier %s no longer opens: rendered again", dossier.id)
            section = render_section(dossier, now=now)
            part = section.pdf
        found.append((dossier, section, part))
    return found


def sections_being_prepared(dossier_ids: Sequence[int]) -> set[int]:
    """The complete dossiers among these whose section the worker has not rendered yet (two queries).

    The portal names them "wordt klaargemaakt" (issue 18); a packet asked for meanwhile renders them itself.
    """
    if not dossier_ids:
        return set()
    dossiers = db.session.scalars(
        sa.select(Dossier).where(Dossier.id.in_(dossier_ids), Dossier.completed_at.is_not(None))
        .options(selectinload(Dossier.documents))
    ).all()
    return {d.id for d in missing_sections([d for d in dossiers if d.is_complete])}


def missing_sections(dossiers: Sequence[Dossier]) -> list[Dossier]:
    """The dossiers whose section must be rendered before a packet can be merged."""
    cached = cached_sections(dossiers)
    return [d for d in dossiers if d.id not in cached]


class TooCostly(ValueError):
    """An upload that would cost too much time or memory to put in a section (it is named, not added)."""


@dataclass(frozen=True)
class _Scan:
    jpeg: bytes
    width: int
    height: int
    grey: bool


@dataclass
class _Section:
    """What a dossier's section shows, its uploads read and checked, before anything is rendered."""

    dossier: Dossier
    documents: list[Document]
    scans: list[tuple[Document, _Scan]]
    appended: list[tuple[Document, bytes]]
    unreadable: dict[int, str]


def _jpeg_as_is(opened: Image.Image, data: bytes) -> bool:
    """Tell whether a scan can be embedded byte for byte: an upright RGB or grey JPEG of a printed page's size."""
    width, height = opened.size
    return (
        opened.format == "JPEG"
        and opened.mode in ("RGB", "L")
        and opened.getexif().get(_EXIF_ORIENTATION, 1) == 1
        and max(width, height) <= max(SCAN_MAX_PIXELS)
        and width * height <= SCAN_MAX_PIXELS[0] * SCAN_MAX_PIXELS[1]
        and len(data) <= SCAN_AS_IS_MAX_BYTES
    )


def _scan_jpeg(data: bytes) -> bytes:
    """The scan as JPEG bytes for the section: upright, at most A4 at 150 dpi (see `_scan`)."""
    return _scan(data).jpeg


def _scan(data: bytes) -> _Scan:
    """The scan as a JPEG for the section, with its size: upright, at most A4 at 150 dpi.

    An upright JPEG of that size is embedded as it is (its bytes go into the PDF undecoded): only
    checked to decode, at an eighth of its size, which costs a few milliseconds. Anything else (a
    PNG, a turned phone photo, a large one) is decoded, turned, scaled and re-encoded. A picture of
    more than SCAN_MAX_SOURCE_PIXELS is not decoded at all (TooCostly): a 12 kB PNG can hold
    10,000 x 10,000 pixels, some 700 MB once decoded.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise TooCostly(str(exc)) from exc
    with opened:
        width, height = opened.size
        if width * height > SCAN_MAX_SOURCE_PIXELS:
            raise TooCostly(f"{width}x{height} pixels")
        if _jpeg_as_is(opened, data):
            grey = opened.mode == "L"
            opened.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            opened.load()  # raises on pixel data cut short, as a full decode would
            return _Scan(data, width, height, grey)
        # Upright (EXIF orientation applied), scaled and re-encoded as JPEG: a PNG scan costs ten times
        # what a JPEG costs, and a phone photo is far larger than a printed page needs.
        image = ImageOps.exif_transpose(opened)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.thumbnail(SCAN_MAX_PIXELS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return _Scan(out.getvalue(), image.width, image.height, image.mode == "L")


def appendable_pdf(data: bytes, *, max_pages: int) -> tuple[bytes | None, str | None]:
    """An uploaded PDF ready to append; or None and why not (ENCRYPTED, DAMAGED, TOO_LARGE).

    The page count is read first (qpdf builds the page list without rewriting anything), so a PDF
    of 40,000 pages sharing one content stream costs a fraction of a second and is named, not added.
    """
    try:
        pages = pdfmerge.page_count(data)
    except Exception:  # encrypted or damaged: readable_pdf says which
        pages = 0
    if pages > max_pages:
        return None, TOO_LARGE
    return readable_pdf(data)


def readable_pdf(data: bytes) -> tuple[bytes | None, str | None]:
    """An uploaded PDF rewritten, ready to append; or None and why not (ENCRYPTED, DAMAGED).

    Decided before the section's HTML is rendered, so the section never promises a file that is
    not there.
    """
    return pdfmerge.readable_pdf(data)


def birth_text(person: Person) -> str:
    """A person's birth date, as far as it is known ("30-07-1985", "juli 1985", "1985")."""
    year, month, day = person.birth_year, person.birth_month, person.birth_day
    if not year:
        return _("onbekend")
    try:
        if month and day:
            return dutch_date(date(year, month, day), "dd-MM-y")
        if month:
            return dutch_date(date(year, month, 1), "MMMM y")
    except ValueError:  # a day the calendar does not have: show what is sure
        pass
    return str(year)


def _percent(value: object) -> str:
    return format_decimal(value, format="#,##0.##", locale=BELGIAN_LOCALE)


def section_html(
    dossier: Dossier,
    documents: Sequence[Document],
    scans: Sequence[tuple[Document, str]],
    pdf_documents: Sequence[Document],
    unreadable: dict[int, str],
) -> str:
    """The section's HTML, always in Dutch: it is cached and read by every landlord the household chose."""
    return _sections_html([_Part(dossier, documents, scans, pdf_documents, unreadable)])


@dataclass(frozen=True)
class _Part:
    """One dossier in the section template: its documents by person, its scans with their URIs."""

    dossier: Dossier
    documents: Sequence[Document]
    scans: Sequence[tuple[Document, str]]  # laid out by WeasyPrint (`pdfsplit` writes the others)
    pdf_documents: Sequence[Document]
    unreadable: dict[int, str]

    @property
    def documents_by_person(self) -> dict[int, list[Document]]:
        by_person: dict[int, list[Document]] = {}
        for document in self.documents:
            if document.person_id is not None:
                by_person.setdefault(document.person_id, []).append(document)
        return by_person

    @property
    def household_documents(self) -> list[Document]:
        person_ids = {p.id for p in self.dossier.persons}
        return [d for d in self.documents if d.person_id not in person_ids]


def _sections_html(parts: Sequence[_Part]) -> str:
    """One document of these dossiers' sections, each on new pages from its anchor `dossier-<id>`."""
    with force_locale("nl"):
        return render_template(
            SECTION_TEMPLATE,
            parts=parts,
            label=label,
            dwelling_label=dwelling_label,
            language_name=language_name,
            country_name=country_name,
            national_number=format_number,
            euro=euro,
            percent=_percent,
            dutch_date=dutch_date,
            dutch_datetime=dutch_datetime,
            birth_text=birth_text,
        )


def render_section_pdf(dossier: Dossier) -> tuple[bytes, int]:
    """Render one dossier's full section: its data, its scans on their own pages, its PDFs appended."""
    [section] = render_sections_pdf([dossier])
    return section


def render_sections_pdf(dossiers: Sequence[Dossier]) -> list[tuple[bytes, int]]:
    """Render these dossiers' sections (each: its data, its scans on their own pages, its PDFs appended).

    The data pages of all of them are laid out in one document (a third cheaper than one by one),
    then cut apart; each scan's page is written directly, the JPEG as it is (`rendering.pdfsplit`).
    A PDF that cannot be appended (damaged, locked with a password, or longer than
    PACKET_PDF_MAX_PAGES or the room left in the section) or a scan that cannot be decoded (or
    has too many pixels to decode) is named with its person as not added; the original stays in
    the ZIP and in the portal. One bad or costly upload never stops the landlord's packet.
    """
    with collections_after():
        return _render_sections([_read_uploads(dossier) for dossier in dossiers])


def _read_uploads(dossier: Dossier) -> _Section:
    documents = sorted(dossier.documents, key=lambda d: (d.uploaded_at, d.id))
    section = _Section(dossier, documents, [], [], {})
    max_pages = current_app.config.get("PACKET_PDF_MAX_PAGES", PDF_MAX_PAGES)
    room = SECTION_MAX_PAGES - len(dossier.persons) // 20 - 2  # the data pages come first
    for document in documents:
        if document.content_type in IMAGE_TYPES:
            try:
                section.scans.append((document, _scan(storage.load(document.storage_key))))
                room -= 1
            except TooCostly:
                logger.info("scan not added to its section: too many pixels", exc_info=True)
                section.unreadable[document.id] = TOO_LARGE
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
                # The upload check verified the file's structure; its pixel data can still be cut short.
                logger.info("scan not added to its section: cannot be decoded", exc_info=True)
                section.unreadable[document.id] = DAMAGED
        elif document.content_type == "application/pdf":
            pdf, reason = appendable_pdf(storage.load(document.storage_key), max_pages=min(max_pages, room))
            if pdf is None:
                section.unreadable[document.id] = reason
            else:
                section.appended.append((document, pdf))
                room -= pdfmerge.page_count(pdf)
    return section


def _render_sections(sections: Sequence[_Section]) -> list[tuple[bytes, int]]:
    try:
        return _render_together(sections)
    except Exception:
        if not any(section.appended for section in sections):
            raise
        if len(sections) > 1:  # find the one whose PDFs cannot be joined; the others go as they are
            return [result for section in sections for result in _render_sections([section])]
        # qpdf opened each upload but cannot join one of them: the section goes without its PDFs,
        # each named as not added, rather than stopping the packet of every dossier of the moment.
        [section] = sections
        logger.warning("section of dossier %s joined without its PDFs", section.dossier.id, exc_info=True)
        section.unreadable.update({document.id: DAMAGED for document, _pdf in section.appended})
        section.appended = []
        return _render_together([section])


def _render_together(sections: Sequence[_Section]) -> list[tuple[bytes, int]]:
    """The sections' data pages laid out in one document, cut apart; each scan's page drawn directly.

    A section whose captions hold letters the drawn pages do not have (`pdfsplit.can_caption`: Arabic,
    Cyrillic, Greek) has its scan pages laid out by WeasyPrint, as data URIs, in the same document.
    """
    parts, scans = [], []
    with force_locale("nl"):
        for section in sections:
            pages = [_scan_page(document, scan) for document, scan in section.scans]
            drawn = all(pdfsplit.can_caption(page.label, page.details) for page in pages)
            uris = [] if drawn else [(document, _data_uri(scan.jpeg)) for document, scan in section.scans]
            pdf_documents = [document for document, _pdf in section.appended]
            parts.append(_Part(section.dossier, section.documents, uris, pdf_documents, section.unreadable))
            scans.append(pages if drawn else [])
    rendered, anchors = html_to_pdf_with_anchors(_sections_html(parts))
    starts = [anchors[f"dossier-{section.dossier.id}"] for section in sections]
    return pdfsplit.split(
        rendered,
        [
            pdfsplit.Part(start, end, scans=section_scans, appended=[pdf for _document, pdf in section.appended])
            for section, section_scans, start, end in zip(sections, scans, starts, [*starts[1:], None], strict=True)
        ],
    )


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()


def _scan_page(document: Document, scan: _Scan) -> pdfsplit.ScanPage:
    """The scan's page, captioned as the section template captions one (its `.scan-page`)."""
    person = f" · {document.person.full_name}" if document.person else ""
    details = f"{person} · {document.original_filename}"
    return pdfsplit.ScanPage(scan.jpeg, scan.width, scan.height, scan.grey, label(document.kind), details)


def render_section(dossier: Dossier, *, now: datetime) -> DossierSection:
    """Render and cache a dossier's section, dropping its older versions."""
    pdf, pages = render_section_pdf(dossier)
    return store_section(dossier, pdf, pages, now=now)


def store_section(dossier: Dossier, pdf: bytes, pages: int, *, now: datetime) -> DossierSection:
    """Cache a dossier's rendered section (encrypted), dropping its older versions."""
    key = section_key(dossier)
    section = DossierSection(
        dossier_id=dossier.id,
        cache_key=key,
        dossier_version=dossier.version,
        template_version=TEMPLATE_VERSION,
        page_count=pages,
        # Kept as a prepared part, so a packet copies it instead of parsing it (`rendering.pdfparts`).
        # It holds the household's scans: encrypted at rest like the documents (issue 13.3).
        pdf=storage.encrypt_blob(pdfparts.to_part(pdf)),
        rendered_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.execute(sa.delete(DossierSection).where(DossierSection.dossier_id == dossier.id))
            db.session.add(section)
    except IntegrityError:
        # Another worker cached the same section a moment earlier: theirs is just as good.
        section = cached_sections([dossier])[dossier.id]
    return section


def ensure_sections(dossiers: Sequence[Dossier], *, now: datetime, limit: int | None = None) -> int:
    """Render the missing sections (at most `limit`); return how many are still missing afterwards."""
    missing = missing_sections(dossiers)
    todo = missing if limit is None else missing[:limit]
    # A step's sections are rendered in one document; more than a step's worth (a packet asked for
    # without its progress page) go a step at a time, so no document grows with the moment.
    for start in range(0, len(todo), SECTIONS_PER_STEP):
        step = todo[start : start + SECTIONS_PER_STEP]
        with collections_after():
            _load_for_rendering(step)
            for dossier, (pdf, pages) in zip(step, render_sections_pdf(step), strict=True):
                store_section(dossier, pdf, pages, now=now)
    return len(missing) - len(todo)


def _load_for_rendering(dossiers: Sequence[Dossier]) -> None:
    """Load everything the sections of these dossiers show in a few queries, not a dozen per dossier."""
    if len(dossiers) < 2:
        return
    db.session.scalars(
        sa.select(Dossier)
        .where(Dossier.id.in_([d.id for d in dossiers]))
        .options(
            selectinload(Dossier.persons),
            selectinload(Dossier.documents).joinedload(Document.person),
            selectinload(Dossier.incomes).joinedload(IncomeRecord.person),
            selectinload(Dossier.assets),
            selectinload(Dossier.property_declarations),
            selectinload(Dossier.addresses),
            selectinload(Dossier.preferences).selectinload(Preferences.municipalities),
            selectinload(Dossier.preferences).selectinload(Preferences.sub_municipalities)
            .selectinload(SubMunicipality.municipality),
            joinedload(Dossier.moment),
        )
    ).all()


def needs_preparing(dossiers: Sequence[Dossier]) -> bool:
    """Tell whether so many sections are missing that the packet must be prepared in steps first."""
    return len(missing_sections(dossiers)) > INSTANT_RENDER_LIMIT


