"""A dossier's packet section as PDF: data pages through WeasyPrint, scans drawn with pikepdf, PDFs appended.

Always in Dutch: a section is cached (`sections`) and read by every landlord the household chose. A step of a
cold packet renders its dossiers' data pages in one WeasyPrint document and cuts it apart (`rendering.pdfsplit`).
"""

from __future__ import annotations

import base64
import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageOps

from inschrijving.dossiers.labels import country_name, dwelling_label, label, language_name
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.national_numbers import format_number
from inschrijving.formatting import BELGIAN_LOCALE, dutch_date, dutch_datetime, euro
from inschrijving.rendering import pdfmerge, pdfsplit, storage
from inschrijving.rendering.pdf import collections_after, html_to_pdf_with_anchors

logger = logging.getLogger(__name__)

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
