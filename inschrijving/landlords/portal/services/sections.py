"""Per-dossier packet sections: rendered once (`section_pages`), encrypted, cached in `DossierSection`.

A section is a dossier's data page(s) plus its scans and appended PDFs, always in Dutch (it is cached
for every landlord). Its cache key changes with the dossier version, its documents and the section
template version, so a stale section is never served. `packets` merges them; the worker renders them
after a dossier is completed (issue 18).

The row holds what a packet needs to plan (pages, cache key); the section's prepared part is an
encrypted file (`storage.store_blob`). A file lives as long as its row: written before the row, removed
when the transaction (or savepoint) that wrote it rolls back, and when the transaction that deletes its
row (a newer version, an erasure) commits. `remove_orphan_files` is the backstop for a process that died
in between. A row whose file is gone or no key opens is no cached section: it is rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import BinaryIO, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from inschrijving import transactions
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Preferences
from inschrijving.dossiers.models.means import IncomeRecord
from inschrijving.extensions import db
from inschrijving.landlords.models import DossierSection, SubMunicipality
from inschrijving.landlords.portal.queries.shared import PacketEntry, documents_of
from inschrijving.landlords.portal.services import section_pages
from inschrijving.rendering import storage
from inschrijving.rendering.pdf import collections_after
from inschrijving.rendering.pdfparts import making as parts

logger = logging.getLogger(__name__)

# Raise whenever templates/pdf/dossier_section.html (or what it shows) changes: every cached
# section then misses and is rendered again with the new template.
# .2: deelgemeenten; appended PDFs cleaned at merge; .3: kept as parts; .4: scans drawn by pikepdf;
# .5: a section cut from a step's document holds only its own pages' resources (not the step's other scans)
TEMPLATE_VERSION = "2026-12-07.5"
# A cold packet with more missing sections than this is prepared in steps (a progress page in the
# portal, 202 answers in the API), so no request runs into a proxy timeout. A step costs its sections
# (about 80 ms each, one WeasyPrint document) plus what every step pays whatever its size (the moment's
# dossiers loaded, the document set up: about 60 ms at 100 dossiers, more for larger moments), so ten
# to a step take under a second, as five did when a section cost 140 ms (docs/performance.md).
INSTANT_RENDER_LIMIT = 3
SECTIONS_PER_STEP = 10

class SectionUnavailable(LookupError):
    """A dossier left its packet (reopened, erased) while the packet was being written: asking again leaves it out."""


# A loaded dossier (a page, the worker) or a packet's plain row (`shared.packet_entries`): what the cache needs
# of either is the dossier's id, version and documents.
Item = TypeVar("Item", Dossier, PacketEntry)


def _id(item: Dossier | PacketEntry) -> int:
    return item.id if isinstance(item, Dossier) else item.dossier_id


def section_key(item: Dossier | PacketEntry) -> str:
    """The cache key of a dossier's section: changes with the dossier, its documents or the template."""
    documents = documents_of(item) if isinstance(item, Dossier) else item.documents
    fingerprint = hashlib.sha256("|".join(sorted(f"{i}:{sha}:{kind}" for i, sha, kind in documents)).encode())
    raw = f"{_id(item)}|{item.version}|{TEMPLATE_VERSION}|{fingerprint.hexdigest()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def cached_sections(items: Sequence[Dossier | PacketEntry]) -> dict[int, DossierSection]:
    """The up-to-date cached sections of these dossiers, by dossier id (one query, and a look at each file's head).

    A row whose file is gone (a database restored from a backup, which leaves the files out; a file found
    damaged) or that no configured key opens (a retired key) is not a cached section: it is missing, and a
    packet with many missing prepares them in steps as for a cold moment.
    """
    if not items:
        return {}
    wanted = {_id(item): section_key(item) for item in items}
    stmt = sa.select(DossierSection).where(DossierSection.dossier_id.in_(wanted))
    found = {}
    for section in db.session.scalars(stmt):
        if wanted[section.dossier_id] == section.cache_key and storage.blob_file_opens(section.storage_key):
            found[section.dossier_id] = section
    return found


def opened_sections(items: Sequence[Item], *, now: datetime) -> list[tuple[Item, DossierSection, BinaryIO]]:
    """Each dossier with its cached section and the section's file, opened now; missing ones rendered first.

    Read the files later, one at a time (`storage.blob_reader`), so a packet is never held as a whole; being
    open, each is still read after a newer version has replaced it. A section whose file is gone, or that
    no configured key opens any more (its key was retired, docs/dossiers.md "Key rotation"), is a cache
    miss: it is rendered again, with the newest key.
    """
    sections = cached_sections(items)
    if len(sections) < len(items):
        ensure_sections(items, now=now)
        sections = cached_sections(items)
    found: list[tuple[Item, DossierSection, BinaryIO]] = []
    try:
        for item in items:
            section = sections.get(_id(item))
            file = None if section is None else _open(section)
            if file is None:
                # Its file is gone or no key opens it; or the dossier changed since it was listed (rendered anew).
                logger.info("cached section of dossier %s missing or no longer opens: rendered again", _id(item))
                dossier = next(iter(_loaded([_id(item)])), None)
                if dossier is None:
                    raise SectionUnavailable(_id(item))
                section = render_section(dossier, now=now)
                file = _open(section)
                if file is None:
                    raise storage.Undecryptable(section.storage_key)
            found.append((item, section, file))
    except BaseException:
        for _dossier, _section, file in found:
            file.close()
        raise
    return found


def _open(section: DossierSection) -> BinaryIO | None:
    try:
        return storage.open_blob(section.storage_key)
    except storage.UnknownKey:
        return None


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


def missing_sections(items: Sequence[Item]) -> list[Item]:
    """The dossiers whose section must be rendered before a packet can be merged."""
    cached = cached_sections(items)
    return [item for item in items if _id(item) not in cached]


def render_section(dossier: Dossier, *, now: datetime) -> DossierSection:
    """Render and cache a dossier's section, dropping its older versions."""
    pdf, pages = section_pages.render_section_pdf(dossier)
    return store_section(dossier, pdf, pages, now=now)


def store_section(dossier: Dossier, pdf: bytes, pages: int, *, now: datetime) -> DossierSection:
    """Cache a dossier's rendered section (encrypted), dropping its older versions."""
    # Kept as a prepared part, so a packet copies it instead of parsing it (`rendering.pdfparts`).
    # It holds the household's scans: encrypted at rest like the documents (issue 13.3).
    file_key = storage.store_blob(parts.to_part(pdf))
    # Written before its row: if the row does not commit, nothing names the file.
    transactions.on_rollback(("section file", file_key), functools.partial(storage.delete_blob, file_key))
    section = DossierSection(
        dossier_id=dossier.id,
        cache_key=section_key(dossier),
        dossier_version=dossier.version,
        template_version=TEMPLATE_VERSION,
        page_count=pages,
        storage_key=file_key,
        rendered_at=now,
    )
    try:
        with db.session.begin_nested():
            older = _delete_rows(sa.select(DossierSection.id).where(DossierSection.dossier_id == dossier.id))
            db.session.add(section)
    except IntegrityError:
        # Another worker cached the same section a moment earlier: theirs is just as good.
        storage.delete_blob(file_key)
        return cached_sections([dossier])[dossier.id]
    _remove_after_commit(older)
    return section


def drop_sections(dossier_ids: Sequence[int]) -> None:
    """Delete these dossiers' cached sections; their files go when the transaction commits (an erasure)."""
    _remove_after_commit(_delete_rows(sa.select(DossierSection.id).where(DossierSection.dossier_id.in_(dossier_ids))))


def _delete_rows(ids: sa.Select) -> list[str]:
    """Delete the sections these ids select; return their file keys."""
    deleted = sa.delete(DossierSection).where(DossierSection.id.in_(ids)).returning(DossierSection.storage_key)
    return list(db.session.scalars(deleted.execution_options(synchronize_session="fetch")))


def _remove_after_commit(keys: Sequence[str]) -> None:
    # Rows deleted: their files go only if the deletion commits (a rollback brings the rows back).
    for key in keys:
        transactions.on_commit(("section file", key), functools.partial(storage.delete_blob, key))


def orphan_files(*, now: datetime, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """The section files no row points to (left by a process that died between file and commit).

    Only files older than `older_than`: a younger one may belong to a transaction that has not committed yet.
    """
    used = set(db.session.scalars(sa.select(DossierSection.storage_key)))
    cutoff = (now - older_than).timestamp()
    return [key for key, written in storage.stored_blobs() if key not in used and written < cutoff]


def remove_orphan_files(*, now: datetime, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete the `orphan_files`; return how many."""
    orphans = orphan_files(now=now, older_than=older_than)
    for key in orphans:
        storage.delete_blob(key)
    return len(orphans)



def ensure_sections(items: Sequence[Dossier | PacketEntry], *, now: datetime, limit: int | None = None) -> int:
    """Render the missing sections (at most `limit`); return how many are still missing afterwards."""
    missing = [_id(item) for item in missing_sections(items)]
    todo = missing if limit is None else missing[:limit]
    # A step's sections are rendered in one document; more than a step's worth (a packet asked for
    # without its progress page) go a step at a time, so no document grows with the moment.
    for start in range(0, len(todo), SECTIONS_PER_STEP):
        with collections_after():
            step = _loaded(todo[start : start + SECTIONS_PER_STEP])
            for dossier, (pdf, pages) in zip(step, section_pages.render_sections_pdf(step), strict=True):
                store_section(dossier, pdf, pages, now=now)
    return len(missing) - len(todo)


def _loaded(dossier_ids: Sequence[int]) -> list[Dossier]:
    """These dossiers with everything their sections show, in a few queries (not a dozen per dossier), in order.

    Only complete ones: one reopened (or erased) since its packet's dossiers were read is not rendered.
    """
    found = db.session.scalars(
        sa.select(Dossier)
        .where(Dossier.id.in_(dossier_ids), Dossier.status == DossierStatus.COMPLETE)
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
    by_id = {dossier.id: dossier for dossier in found}
    return [by_id[dossier_id] for dossier_id in dossier_ids if dossier_id in by_id]


def needs_preparing(items: Sequence[Dossier | PacketEntry]) -> bool:
    """Tell whether so many sections are missing that the packet must be prepared in steps first."""
    return len(missing_sections(items)) > INSTANT_RENDER_LIMIT


