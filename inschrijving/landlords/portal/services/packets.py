"""Landlord packets: one PDF per landlord and moment, merged from cached per-dossier sections.

Rendering HTML to PDF costs 0.3 to 0.5 s per dossier, far too slow to do on every download. So
each dossier's section is rendered once and kept (`sections`: a `DossierSection` row and its file), keyed by the dossier
version, the section template version and the documents; a packet is the cover and table of
contents (small, written per build) written with the cached sections (`rendering.pdfparts`). The
footer (reference, "vertrouwelijk", page x of y) is stamped on every page at merge time, so page
numbers run over the whole packet while the cached sections stay reusable.

Which dossiers go in is decided by `portal.queries.shared.packet_entries` (the one access rule, read as
plain rows) at the moment of the download, never by the cache: a withdrawn consent drops the dossier
from the next packet at once.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from flask_babel import gettext as _

from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier
from inschrijving.formatting import dutch_date, dutch_datetime
from inschrijving.landlords.models import DossierSection, Landlord
from inschrijving.landlords.portal.queries.shared import PacketEntry
from inschrijving.landlords.portal.services import access, sections
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering import pdfpages, storage
from inschrijving.rendering.pdfparts import writing as pdfwrite

logger = logging.getLogger(__name__)

DOWNLOAD_ACTIONS = {"portal": "portal.packet_download", "api": "api.packet"}


@dataclass(frozen=True)
class Progress:
    """How far a cold packet's preparation is: sections ready out of all."""

    ready: int
    total: int

    @property
    def is_ready(self) -> bool:
        return self.ready == self.total


def prepare_packet(
    entries: Sequence[PacketEntry],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
    moment_id: int,
    **detail: object,
) -> Progress:
    """Render the next few missing sections of a moment's packet, and audit the step (it reads every dossier)."""
    remaining = sections.ensure_sections(entries, now=now, limit=sections.SECTIONS_PER_STEP)
    access.record_view(
        actor=actor,
        ip=ip,
        action=f"{access.action_prefix(actor)}.packet_prepare",
        object_type="moment",
        object_id=moment_id,
        dossiers=len(entries),
        remaining=remaining,
        **detail,
    )
    return Progress(ready=len(entries) - remaining, total=len(entries))


def download_packet(
    landlord: Landlord,
    moment: RegistrationMoment,
    entries: Sequence[PacketEntry],
    *,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
) -> WrittenPdf:
    """The moment's packet of these entries (`shared.packet_entries`): their choices count as downloaded, audited."""
    pdf = merge_packet(landlord, moment, entries, now=now)
    try:
        access.record_download(
            [entry.choice_id for entry in entries if entry.choice_id is not None],
            actor=actor,
            ip=ip,
            now=now,
            action=DOWNLOAD_ACTIONS[access.action_prefix(actor)],
            object_type="moment",
            object_id=moment.id,
            dossiers=len(entries),
        )
    except BaseException:
        pdf.close()
        raise
    return pdf


def download_dossier(
    choice: LandlordChoice, *, actor: access.Reader, ip: str | None, now: datetime
) -> WrittenPdf:
    """One dossier's PDF, which counts as downloaded (and the download is audited)."""
    pdf = _dossier_file(choice.dossier, now=now)
    try:
        access.record_download(
            [choice],
            actor=actor,
            ip=ip,
            now=now,
            action=f"{access.action_prefix(actor)}.dossier_pdf",
            object_type="dossier",
            object_id=choice.dossier_id,
        )
    except BaseException:
        pdf.close()
        raise
    return pdf


def _cover_part(landlord: Landlord, moment: RegistrationMoment, count: int, *, now: datetime) -> bytes:
    return pdfpages.text_part(
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


def _toc_part(entries: list[dict]) -> bytes:
    rows = [(e["name"], e["reference"], str(e["persons"]), str(e["page"])) for e in entries]
    return pdfpages.table_part(
        _("Inhoud"),
        [_("Referentiehuurder"), _("Dossier"), _("Personen"), _("Pagina")],
        rows,
        columns=[46, 330, 420, 500],
    )


def _toc_entries(parts: Sequence[tuple[PacketEntry, DossierSection, BinaryIO]], front_pages: int) -> list[dict]:
    entries = []
    page = front_pages + 1
    for entry, section, _file in parts:
        entries.append(
            {
                "reference": entry.reference,
                "name": entry.tenant_name or entry.reference,
                "persons": entry.persons,
                "page": page,
            }
        )
        page += section.page_count
    return entries


def outline_title(dossier: Dossier | PacketEntry) -> str:
    entry = dossier if isinstance(dossier, PacketEntry) else PacketEntry.of(dossier)
    return f"{entry.tenant_name} ({entry.reference})" if entry.tenant_name else entry.reference


def packet_pdf(landlord: Landlord, moment: RegistrationMoment, dossiers: Sequence[Dossier], *, now: datetime) -> bytes:
    """The packet for these (loaded) dossiers as one file: the ZIP holds it; a download streams `merge_packet`'s."""
    entries = [PacketEntry.of(dossier) for dossier in dossiers]
    with contextlib.closing(merge_packet(landlord, moment, entries, now=now)) as chunks:
        return b"".join(chunks)


def merge_packet(
    landlord: Landlord, moment: RegistrationMoment, entries: Sequence[PacketEntry], *, now: datetime
) -> WrittenPdf:
    """Write cover, table of contents and the cached sections of these dossiers into one PDF.

    Written again on every download from the cached sections (prepared parts, `rendering.pdfparts`: the
    sections' bytes are copied, not parsed), so the merged packet is not stored: one copy fewer of
    everyone's personal data, and nothing to invalidate when a dossier or consent changes.
    Every section must be cached already (see `sections.ensure_sections`); a missing one is rendered here.
    Close what it returns (a response does) if it is not read to the end.
    """
    parts = sections.opened_sections(entries, now=now)
    files = collections.deque(file for _entry, _section, file in parts)
    try:
        cover = _cover_part(landlord, moment, len(parts), now=now)
        toc_pages = max(1, -(-len(parts) // pdfpages.ROWS_PER_PAGE))
        front_pages = pdfwrite.page_count(cover) + toc_pages
        toc = _toc_part(_toc_entries(parts, front_pages))
        footers = [_("Vertrouwelijk")] * front_pages
        outline = []
        for entry, section, _file in parts:
            outline.append((outline_title(entry), len(footers)))
            footers += [_("Dossier %(reference)s - vertrouwelijk", reference=entry.reference)] * section.page_count
        title = _("Pakket %(landlord)s %(day)s", landlord=landlord.name, day=moment.held_on.isoformat())
        return WrittenPdf([cover, toc], files, footers, outline, title)
    except BaseException:
        _close(files)
        raise


class WrittenPdf(Iterator[bytes]):
    """A PDF's chunks as it is written: front pages, then each section's file, read when its turn comes.

    The files were opened in the request and the keys are read here, in it too: the parts are decrypted
    while the response is sent, after the request. Each file is closed once read; `close` (a server calls
    it when the response ends, sent or abandoned) closes the ones never read, as does letting go of an
    answer nobody read or closed (a test's).
    """

    def __init__(
        self,
        front: list[bytes],
        files: collections.deque[BinaryIO],
        footers: list[str],
        outline: list[tuple[str, int]],
        title: str,
    ):
        self._files = files
        weakref.finalize(self, _close, files)
        read = storage.blob_reader()

        def parts() -> Iterator[bytes]:
            yield from front
            while files:
                file = files.popleft()
                try:
                    part = read(file)
                except storage.Undecryptable:
                    # Damaged on disk: without its file the section is missing, and the next download renders it.
                    storage.discard_opened_blob(file)
                    raise
                yield part

        numbers = _page_numbers(len(footers))
        self._chunks = _said_if_cut_off(
            pdfwrite.write(parts(), left_texts=footers, right_texts=numbers, outline=outline, title=title), title
        )

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        self._chunks.close()
        _close(self._files)


def _close(files: collections.deque[BinaryIO]) -> None:
    while files:
        files.popleft().close()


def _page_numbers(total: int) -> list[str]:
    # Written here, not in rendering: the merge knows no Flask and no language.
    # Translated once (without arguments gettext returns the pattern), filled in for each of hundreds of pages.
    pattern = _("pagina %(page)d van %(pages)d")
    return [pattern % {"page": page, "pages": total} for page in range(1, total + 1)]


def _said_if_cut_off(chunks: Iterator[bytes], title: str) -> Iterator[bytes]:
    # The file is sent as it is written, after the answer's status: a part that fails to decrypt then (a
    # damaged file; a retired key is caught before, `opened_sections`) cuts the download off. Say so loudly.
    try:
        yield from chunks
    except Exception:
        logger.exception("%s failed while it was written: the answer was cut off (or, whole, not sent)", title)
        raise


def dossier_pdf(dossier: Dossier, *, now: datetime) -> bytes:
    """The single-dossier PDF: the cached section with its footer."""
    with contextlib.closing(_dossier_file(dossier, now=now)) as chunks:
        return b"".join(chunks)


def _dossier_file(dossier: Dossier, *, now: datetime) -> WrittenPdf:
    [(_entry, section, file)] = sections.opened_sections([PacketEntry.of(dossier)], now=now)
    footers = [_("Dossier %(reference)s - vertrouwelijk", reference=dossier.reference)] * section.page_count
    title = _("Dossier %(reference)s", reference=dossier.reference)
    return WrittenPdf([], collections.deque([file]), footers, [(outline_title(dossier), 0)], title)
