"""Landlord packets: one PDF per landlord and moment, merged from cached per-dossier sections.

Rendering HTML to PDF costs 0.3 to 0.5 s per dossier, far too slow to do on every download. So
each dossier's section is rendered once and kept in `DossierSection`, keyed by the dossier
version, the section template version and the documents; a packet is the cover and table of
contents (small, written per build) merged with the cached sections (`rendering.pdfmerge`). The
footer (reference, "vertrouwelijk", page x of y) is stamped on every page at merge time, so page
numbers run over the whole packet while the cached sections stay reusable.

Which dossiers go in is decided by `portal.queries.moment_choices` at the moment of the download,
never by the cache: a withdrawn consent drops the dossier from the next packet at once.
"""

from __future__ import annotations

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
from sqlalchemy.orm import joinedload, selectinload, undefer

from inschrijving.dossiers.labels import country_name, dwelling_label, label, language_name
from inschrijving.dossiers.models import Document, Dossier, IncomeRecord, LandlordChoice, Person, Preferences
from inschrijving.dossiers.national_numbers import format_number
from inschrijving.extensions import db
from inschrijving.formatting import BELGIAN_LOCALE, dutch_date, dutch_datetime, euro
from inschrijving.landlords.models import DossierSection, Landlord, SubMunicipality
from inschrijving.landlords.portal.services import access
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering import pdfmerge, pdfpages, storage
from inschrijving.rendering.pdf import MEMORY_SCHEME, html_to_pdf

logger = logging.getLogger(__name__)

# Raise whenever templates/pdf/dossier_section.html (or what it shows) changes: every cached
# section then misses and is rendered again with the new template.
TEMPLATE_VERSION = "2026-12-07.2"  # .2: deelgemeenten; appended PDFs cleaned at merge
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
# portal, 202 answers in the API), so no request runs into a proxy timeout.
INSTANT_RENDER_LIMIT = 3
SECTIONS_PER_STEP = 5
# The audit action of a packet download, by where the reader came in.
DOWNLOAD_ACTIONS = {"portal": "portal.packet_download", "api": "api.packet"}


def documents_fingerprint(documents: Sequence[Document]) -> str:
    parts = sorted(f"{d.id}:{d.sha256}:{d.kind}" for d in documents)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def section_key(dossier: Dossier) -> str:
    """The cache key of a dossier's section: changes with the dossier, its documents or the template."""
    raw = f"{dossier.id}|{dossier.version}|{TEMPLATE_VERSION}|{documents_fingerprint(dossier.documents)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def cached_sections(dossiers: Sequence[Dossier], *, with_pdf: bool = False) -> dict[int, DossierSection]:
    """The up-to-date cached sections of these dossiers, by dossier id (one query)."""
    if not dossiers:
        return {}
    wanted = {d.id: section_key(d) for d in dossiers}
    stmt = sa.select(DossierSection).where(DossierSection.dossier_id.in_(wanted))
    if with_pdf:
        stmt = stmt.options(undefer(DossierSection.pdf))
    found = {}
    for section in db.session.scalars(stmt):
        if wanted[section.dossier_id] == section.cache_key:
            found[section.dossier_id] = section
    return found


def readable_sections(dossiers: Sequence[Dossier], *, now: datetime) -> list[tuple[Dossier, DossierSection, bytes]]:
    """Each dossier with its cached section and the section's PDF, decrypted; missing ones rendered first.

    A section no configured key opens any more (its key was retired, docs/dossiers.md "Key rotation")
    is a cache miss: it is rendered again, with the newest key.
    """
    sections = cached_sections(dossiers, with_pdf=True)
    if len(sections) < len(dossiers):
        ensure_sections(dossiers, now=now)
        sections = cached_sections(dossiers, with_pdf=True)
    parts = []
    for dossier in dossiers:
        section = sections[dossier.id]
        try:
            pdf = storage.decrypt_blob(section.pdf)
        except storage.Undecryptable:
            logger.info("cached section of dossier %s no longer opens: rendered again", dossier.id)
            section = render_section(dossier, now=now)
            pdf = storage.decrypt_blob(section.pdf)
        db.session.expire(section, ["pdf"])  # the ciphertext is not needed again: one copy fewer in memory
        parts.append((dossier, section, pdf))
    return parts


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
    """The scan as JPEG bytes for the section: upright, at most A4 at 150 dpi.

    An upright JPEG of that size is embedded as it is (WeasyPrint copies JPEG data into the PDF
    without decoding it): only checked to decode, at an eighth of its size, which costs a few
    milliseconds. Anything else (a PNG, a turned phone photo, a large one) is decoded, turned,
    scaled and re-encoded. A picture of more than SCAN_MAX_SOURCE_PIXELS is not decoded at all
    (TooCostly): a 12 kB PNG can hold 10,000 x 10,000 pixels, some 700 MB once decoded.
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
            opened.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            opened.load()  # raises on pixel data cut short, as a full decode would
            return data
        # Upright (EXIF orientation applied), scaled and re-encoded as JPEG: a PNG scan costs WeasyPrint
        # ten times what a JPEG costs, and a phone photo is far larger than a printed page needs.
        image = ImageOps.exif_transpose(opened)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.thumbnail(SCAN_MAX_PIXELS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


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
    by_person: dict[int, list[Document]] = {}
    for document in documents:
        if document.person_id is not None:
            by_person.setdefault(document.person_id, []).append(document)
    person_ids = {p.id for p in dossier.persons}
    with force_locale("nl"):
        return render_template(
            SECTION_TEMPLATE,
            dossier=dossier,
            documents=documents,
            documents_by_person=by_person,
            household_documents=[d for d in documents if d.person_id not in person_ids],
            scans=scans,
            pdf_documents=pdf_documents,
            unreadable=unreadable,
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
    """Render one dossier's full section: its data, its scans on their own pages, its PDFs appended.

    A PDF that cannot be appended (damaged, locked with a password, or longer than
    PACKET_PDF_MAX_PAGES or the room left in the section) or a scan that cannot be decoded (or
    has too many pixels to decode) is named with its person as not added; the original stays in
    the ZIP and in the portal. One bad or costly upload never stops the landlord's packet.
    """
    documents = sorted(dossier.documents, key=lambda d: (d.uploaded_at, d.id))
    scans = []
    resources: dict[str, tuple[bytes, str]] = {}  # the scans, handed to WeasyPrint as bytes
    appended: list[tuple[Document, bytes]] = []
    unreadable: dict[int, str] = {}
    max_pages = current_app.config.get("PACKET_PDF_MAX_PAGES", PDF_MAX_PAGES)
    room = SECTION_MAX_PAGES - len(dossier.persons) // 20 - 2  # the data pages come first
    for document in documents:
        if document.content_type in IMAGE_TYPES:
            try:
                name = f"scan-{document.id}.jpg"
                resources[name] = (_scan_jpeg(storage.load(document.storage_key)), "image/jpeg")
                scans.append((document, MEMORY_SCHEME + name))
                room -= 1
            except TooCostly:
                logger.info("scan not added to its section: too many pixels", exc_info=True)
                unreadable[document.id] = TOO_LARGE
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
                # The upload check verified the file's structure; its pixel data can still be cut short.
                logger.info("scan not added to its section: cannot be decoded", exc_info=True)
                unreadable[document.id] = DAMAGED
        elif document.content_type == "application/pdf":
            pdf, reason = appendable_pdf(storage.load(document.storage_key), max_pages=min(max_pages, room))
            if pdf is None:
                unreadable[document.id] = reason
            else:
                appended.append((document, pdf))
                room -= pdfmerge.page_count(pdf)
    html = section_html(dossier, documents, scans, [document for document, _pdf in appended], unreadable)
    try:
        return pdfmerge.join([html_to_pdf(html, resources), *(pdf for _document, pdf in appended)])
    except Exception:
        if not appended:
            raise
        # qpdf opened each upload but cannot join one of them: the section goes without its PDFs,
        # each named as not added, rather than stopping the packet of every dossier of the moment.
        logger.warning("section of dossier %s joined without its PDFs", dossier.id, exc_info=True)
        unreadable.update({document.id: DAMAGED for document, _pdf in appended})
        html = section_html(dossier, documents, scans, [], unreadable)
        return pdfmerge.join([html_to_pdf(html, resources)])


def render_section(dossier: Dossier, *, now: datetime) -> DossierSection:
    """Render and cache a dossier's section, dropping its older versions."""
    pdf, pages = render_section_pdf(dossier)
    key = section_key(dossier)
    section = DossierSection(
        dossier_id=dossier.id,
        cache_key=key,
        dossier_version=dossier.version,
        template_version=TEMPLATE_VERSION,
        page_count=pages,
        # The section holds the household's scans: encrypted at rest like the documents (issue 13.3).
        pdf=storage.encrypt_blob(pdf),
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
    _load_for_rendering(todo)
    for dossier in todo:
        render_section(dossier, now=now)
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


@dataclass(frozen=True)
class Progress:
    """How far a cold packet's preparation is: sections ready out of all."""

    ready: int
    total: int

    @property
    def is_ready(self) -> bool:
        return self.ready == self.total


def prepare_packet(
    choices: Sequence[LandlordChoice],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
    moment_id: int,
    **detail: object,
) -> Progress:
    """Render the next few missing sections of a moment's packet, and audit the step (it reads every dossier)."""
    dossiers = [c.dossier for c in choices]
    remaining = ensure_sections(dossiers, now=now, limit=SECTIONS_PER_STEP)
    access.record_view(
        actor=actor,
        ip=ip,
        action=f"{access.action_prefix(actor)}.packet_prepare",
        object_type="moment",
        object_id=moment_id,
        dossiers=len(dossiers),
        remaining=remaining,
        **detail,
    )
    return Progress(ready=len(dossiers) - remaining, total=len(dossiers))


def download_packet(
    landlord: Landlord,
    moment: RegistrationMoment,
    choices: Sequence[LandlordChoice],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
) -> bytes:
    """The moment's packet for these choices, which count as downloaded (and the download is audited)."""
    pdf = packet_pdf(landlord, moment, [c.dossier for c in choices], now=now)
    access.record_download(
        choices,
        actor=actor,
        ip=ip,
        now=now,
        action=DOWNLOAD_ACTIONS[access.action_prefix(actor)],
        object_type="moment",
        object_id=moment.id,
        dossiers=len(choices),
    )
    return pdf


def download_dossier(choice: LandlordChoice, *, actor: access.Reader, ip: str | None, now: datetime) -> bytes:
    """One dossier's PDF, which counts as downloaded (and the download is audited)."""
    pdf = dossier_pdf(choice.dossier, now=now)
    access.record_download(
        [choice],
        actor=actor,
        ip=ip,
        now=now,
        action=f"{access.action_prefix(actor)}.dossier_pdf",
        object_type="dossier",
        object_id=choice.dossier_id,
    )
    return pdf


def _cover_pdf(landlord: Landlord, moment: RegistrationMoment, count: int, *, now: datetime) -> bytes:
    return pdfpages.text_page(
        [
            (9.5, False, _("Groepsinschrijving sociale huur · Regio Kortrijk")),
            (6, False, ""),
            (24, True, _("Dossiers voor %(landlord)s", landlord=landlord.name)),
            (10, False, ""),
            (
                11,
                False,
                _(
                    "Inschrijvingsmoment: %(day)s, %(place)s",
                    day=dutch_date(moment.held_on, "EEEE d MMMM y"),
                    place=moment.location_name,
                ),
            ),
            (11, False, _("Aantal dossiers: %(n)d", n=count)),
            (11, False, _("Samengesteld op: %(when)s", when=dutch_datetime(now))),
            (40, False, ""),
            (
                11,
                True,
                _(
                    "Vertrouwelijk. Dit pakket bevat persoonsgegevens. Bewaar het niet langer dan nodig "
                    "en geef het niet door."
                ),
            ),
        ]
    )


def _toc_pdf(entries: list[dict]) -> bytes:
    rows = [(e["name"], e["reference"], str(e["persons"]), str(e["page"])) for e in entries]
    return pdfpages.table_pages(
        _("Inhoud"),
        [_("Referentiehuurder"), _("Dossier"), _("Personen"), _("Pagina")],
        rows,
        columns=[46, 330, 420, 500],
    )


def _toc_entries(parts: Sequence[tuple[Dossier, DossierSection, bytes]], front_pages: int) -> list[dict]:
    entries = []
    page = front_pages + 1
    for dossier, section, _pdf in parts:
        tenant = dossier.reference_tenant
        entries.append(
            {
                "reference": dossier.reference,
                "name": tenant.full_name if tenant else dossier.reference,
                "persons": len(dossier.persons),
                "page": page,
            }
        )
        page += section.page_count
    return entries


def outline_title(dossier: Dossier) -> str:
    tenant = dossier.reference_tenant
    return f"{tenant.full_name} ({dossier.reference})" if tenant else dossier.reference


def packet_pdf(landlord: Landlord, moment: RegistrationMoment, dossiers: Sequence[Dossier], *, now: datetime) -> bytes:
    """The packet for these dossiers, merged from their cached sections on every download.

    Merging 100 cached sections takes well under a second, so the merged packet is not stored: one
    copy fewer of everyone's personal data, and nothing to invalidate when a dossier or consent changes.
    """
    return merge_packet(landlord, moment, dossiers, now=now)


def merge_packet(
    landlord: Landlord, moment: RegistrationMoment, dossiers: Sequence[Dossier], *, now: datetime
) -> bytes:
    """Merge cover, table of contents and the cached sections of these dossiers into one PDF.

    Every section must be cached already (see `ensure_sections`); a missing one is rendered here.
    """
    parts = readable_sections(dossiers, now=now)
    cover = _cover_pdf(landlord, moment, len(parts), now=now)
    toc_pages = max(1, -(-len(parts) // pdfpages.ROWS_PER_PAGE))
    front_pages = pdfmerge.page_count(cover) + toc_pages
    toc = _toc_pdf(_toc_entries(parts, front_pages))
    footers = [_("Vertrouwelijk")] * front_pages
    outline = []
    for dossier, section, _pdf in parts:
        outline.append((outline_title(dossier), len(footers)))
        footers += [_("Dossier %(reference)s - vertrouwelijk", reference=dossier.reference)] * section.page_count
    title = _("Pakket %(landlord)s %(day)s", landlord=landlord.name, day=moment.held_on.isoformat())
    return _assemble([cover, toc] + [pdf for _d, _section, pdf in parts], footers, outline, title)


def _page_numbers(total: int) -> list[str]:
    # Written here, not in rendering: the merge knows no Flask and no language.
    return [_("pagina %(page)d van %(pages)d", page=page, pages=total) for page in range(1, total + 1)]


def _assemble(parts: list[bytes], footers: list[str], outline: list[tuple[str, int]], title: str) -> bytes:
    """Merge parts with footers (and page numbers), outline and title."""
    numbers = _page_numbers(len(footers))
    return pdfmerge.merge(parts, left_texts=footers, right_texts=numbers, outline=outline, title=title)


def dossier_pdf(dossier: Dossier, *, now: datetime) -> bytes:
    """The single-dossier PDF: the cached section with its footer."""
    [(_dossier, section, pdf)] = readable_sections([dossier], now=now)
    footers = [_("Dossier %(reference)s - vertrouwelijk", reference=dossier.reference)] * section.page_count
    return _assemble(
        [pdf], footers, [(outline_title(dossier), 0)], _("Dossier %(reference)s", reference=dossier.reference)
    )
