"""What a landlord may see, through one access rule; the portal's and the API's reads of moments and choices.

A landlord sees a dossier only while that dossier is complete and carries a live (not withdrawn)
consent to share it with this landlord (`dossiers.queries.shared_with_landlord`). Every read
starts from `shared_choices_stmt`, so a withdrawn consent ends access at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from inschrijving.dossiers.enums import ConsentPurpose, PersonRole
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person, Preferences
from inschrijving.dossiers.queries import shared_with_landlord
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, SubMunicipality
from inschrijving.planning.models import RegistrationMoment


class NotShared(Exception):
    """The dossier, document or moment is not shared with this landlord (shown as 404)."""


def _owner_readable(choice, landlord_id: int) -> sa.ColumnElement[bool]:
    """Whether the landlord a choice names hands that choice to `landlord_id` (itself, or as a predecessor)."""
    owner = aliased(Landlord)
    # Correlated explicitly: nested in another EXISTS, automatic correlation would not reach the outer dossier.
    held_on = (
        sa.select(RegistrationMoment.held_on)
        .where(RegistrationMoment.id == Dossier.moment_id)
        .correlate(Dossier)
        .scalar_subquery()
    )
    after_end = sa.and_(owner.active_until.is_not(None), owner.active_until < held_on)
    return (
        sa.exists()
        .where(owner.id == choice.landlord_id)
        .where(
            sa.or_(
                sa.and_(owner.id == landlord_id, sa.or_(owner.successor_id.is_(None), sa.not_(after_end))),
                sa.and_(owner.successor_id == landlord_id, sa.or_(owner.successor_reads_history, after_end)),
            )
        )
    )


def readable_by(landlord_id: int) -> sa.ColumnElement[bool]:
    """The access rule, with succession: the choice is shared (live consent, complete dossier) with the landlord
    it names, and that landlord hands it to this one.

    - A landlord reads the choices made for it, except on moments after it ended when it has a successor:
      those go to the successor.
    - A successor reads its predecessors' choices on moments after they ended, and all their choices
      when the coordinator set `successor_reads_history` on the predecessor.
    - A dossier that chose two predecessors shows once: through its first readable choice.

    A statement using it must select from (or join) landlord_choices, consents and dossiers.
    """
    other, other_consent = aliased(LandlordChoice), aliased(Consent)
    earlier = (
        sa.exists()
        .where(other.dossier_id == LandlordChoice.dossier_id, other.id < LandlordChoice.id)
        .where(
            other_consent.id == other.consent_id,
            other_consent.dossier_id == other.dossier_id,
            other_consent.purpose == ConsentPurpose.SHARE_WITH_LANDLORD,
            other_consent.landlord_id == other.landlord_id,
            other_consent.withdrawn_at.is_(None),
        )
        .where(_owner_readable(other, landlord_id))
    )
    # The consent must name the same landlord as the choice: one rule for owner and successor alike.
    return sa.and_(
        shared_with_landlord(LandlordChoice.landlord_id), _owner_readable(LandlordChoice, landlord_id), ~earlier
    )


@functools.lru_cache(maxsize=256)
def shared_choices_stmt(landlord_id: int) -> sa.Select:
    """Select the choices this landlord reads (its own, and its predecessors' as `readable_by` says).

    Built once per landlord and kept (a statement is immutable; `.where` makes a new one): building the
    rule's nested EXISTS cost 3.5 ms, twice in every portal request that reads a moment.
    """
    return (
        sa.select(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(readable_by(landlord_id))
    )


def changed_since_download(choice: LandlordChoice) -> bool:
    """Tell whether the dossier was completed again (so: corrected) after this landlord's last download."""
    completed = choice.dossier.completed_at
    return choice.last_downloaded_at is not None and completed is not None and completed > choice.last_downloaded_at


# The same rule as `changed_since_download`, for counting in SQL.
CHANGED_SINCE_DOWNLOAD = sa.and_(
    LandlordChoice.last_downloaded_at.is_not(None), Dossier.completed_at > LandlordChoice.last_downloaded_at
)


@dataclass(frozen=True)
class MomentSummary:
    """A moment with dossiers for a landlord: how many, how many never downloaded, how many changed since."""

    id: int
    held_on: date
    location_name: str
    address: str
    dossiers: int
    new: int
    changed: int


def moment_summaries(landlord_id: int) -> list[MomentSummary]:
    """The moments with dossiers for this landlord, newest first, in two queries."""
    never_downloaded = sa.case((LandlordChoice.first_downloaded_at.is_(None), 1), else_=0)
    changed = sa.case((CHANGED_SINCE_DOWNLOAD, 1), else_=0)
    rows = db.session.execute(
        sa.select(Dossier.moment_id, sa.func.count(), sa.func.sum(never_downloaded), sa.func.sum(changed))
        .select_from(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(readable_by(landlord_id))
        .group_by(Dossier.moment_id)
    ).all()
    counts = {moment_id: (total, int(new or 0), int(changed or 0)) for moment_id, total, new, changed in rows}
    if not counts:
        return []
    moments = db.session.execute(
        sa.select(
            RegistrationMoment.id,
            RegistrationMoment.held_on,
            RegistrationMoment.location_name,
            RegistrationMoment.address,
        )
        .where(RegistrationMoment.id.in_(counts))
        .order_by(RegistrationMoment.held_on.desc())
    ).all()
    return [MomentSummary(*moment, *counts[moment.id]) for moment in moments]


def _with_dossier_details(stmt: sa.Select) -> sa.Select:
    # Loaded up front so list pages and exports cost the same few queries for 1 or 100 dossiers.
    return stmt.options(
        selectinload(LandlordChoice.dossier).options(
            selectinload(Dossier.persons),
            selectinload(Dossier.preferences).options(
                selectinload(Preferences.municipalities),
                selectinload(Preferences.sub_municipalities).selectinload(SubMunicipality.municipality),
            ),
            selectinload(Dossier.documents),
            selectinload(Dossier.incomes),
            selectinload(Dossier.addresses),
            selectinload(Dossier.property_declarations),
            selectinload(Dossier.assets),
            selectinload(Dossier.moment),
        )
    )


def get_shared_moment(landlord_id: int, moment_id: int) -> RegistrationMoment:
    """The moment, if at least one of its dossiers is shared with this landlord."""
    stmt = shared_choices_stmt(landlord_id).where(Dossier.moment_id == moment_id)
    if not db.session.scalar(sa.select(stmt.exists())):
        raise NotShared(moment_id)
    return db.session.get(RegistrationMoment, moment_id)


def moment_choices(landlord_id: int, moment_id: int, *, details: bool = True) -> list[LandlordChoice]:
    """This landlord's shared choices of one moment, with their dossiers loaded, ordered by reference tenant.

    Without `details` only what a packet needs to find its cached sections is loaded (persons and
    documents); a section that must be rendered loads the rest of its own dossier.
    """
    stmt = shared_choices_stmt(landlord_id).where(Dossier.moment_id == moment_id)
    if details:
        stmt = _with_dossier_details(stmt)
    else:
        stmt = stmt.options(
            selectinload(LandlordChoice.dossier).options(selectinload(Dossier.persons), selectinload(Dossier.documents))
        )
    choices = list(db.session.scalars(stmt.order_by(Dossier.reference)).unique())
    choices.sort(key=lambda c: _sort_name(_tenant(c.dossier), c.dossier.reference))
    return choices


@dataclass(frozen=True)
class PacketEntry:
    """One dossier as a packet needs it: its section's cache key, its line in the contents, its bookmark.

    Read as plain rows by `packet_entries` (no household loaded: 600 objects for 100 dossiers cost a
    fifth of a download), or taken from a loaded dossier with `of`.
    """

    dossier_id: int
    reference: str
    version: int
    tenant: tuple[str, str] | None  # the reference tenant's first and last name
    persons: int
    documents: tuple[tuple[int, str, str], ...]  # each document's id, sha256 and kind
    choice_id: int | None = None  # the landlord's choice it was read through

    @classmethod
    def of(cls, dossier: Dossier) -> PacketEntry:
        return cls(
            dossier_id=dossier.id,
            reference=dossier.reference,
            version=dossier.version,
            tenant=_tenant(dossier),
            persons=len(dossier.persons),
            documents=documents_of(dossier),
        )

    @property
    def tenant_name(self) -> str | None:
        return f"{self.tenant[0]} {self.tenant[1]}" if self.tenant else None

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """The order of a moment's dossiers everywhere: by reference tenant, then reference."""
        return _sort_name(self.tenant, self.reference)


def documents_of(dossier: Dossier) -> tuple[tuple[int, str, str], ...]:
    """A loaded dossier's documents as a section's cache key counts them (as `packet_entries` reads them)."""
    return tuple(_document(d.id, d.sha256, d.kind) for d in dossier.documents)


def _document(document_id: int, sha256: str, kind: object) -> tuple[int, str, str]:
    return (document_id, sha256, str(kind))


def packet_entries(landlord_id: int, moment_id: int) -> list[PacketEntry]:
    """This landlord's shared dossiers of one moment as its packet needs them, in `moment_choices`' order.

    Three queries of plain rows: the choices (through the one access rule), the persons' names, the documents.
    """
    shared = shared_choices_stmt(landlord_id).where(Dossier.moment_id == moment_id)
    dossiers = db.session.execute(
        shared.with_only_columns(LandlordChoice.id, Dossier.id, Dossier.reference, Dossier.version)
    ).all()
    ids = [dossier_id for _choice, dossier_id, _reference, _version in dossiers]
    persons = db.session.execute(
        sa.select(Person.dossier_id, Person.role, Person.first_name, Person.last_name).where(Person.dossier_id.in_(ids))
    ).all()
    documents = db.session.execute(
        sa.select(Document.dossier_id, Document.id, Document.sha256, Document.kind).where(Document.dossier_id.in_(ids))
    ).all()
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    tenants: dict[int, tuple[str, str]] = {}
    for dossier_id, role, first_name, last_name in persons:
        counts[dossier_id] += 1
        if role == PersonRole.REFERENCE_TENANT:
            tenants[dossier_id] = (first_name, last_name)
    files: dict[int, list[tuple[int, str, str]]] = {dossier_id: [] for dossier_id in ids}
    for dossier_id, document_id, sha256, kind in documents:
        files[dossier_id].append(_document(document_id, sha256, kind))
    entries = [
        PacketEntry(dossier_id, reference, version, tenants.get(dossier_id), counts[dossier_id],
                    tuple(files[dossier_id]), choice_id)
        for choice_id, dossier_id, reference, version in dossiers
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)


def get_shared_choice(landlord_id: int, dossier_id: int, *, details: bool = True) -> LandlordChoice:
    """The landlord's choice on this dossier, only if the dossier is shared with it now."""
    stmt = shared_choices_stmt(landlord_id).where(LandlordChoice.dossier_id == dossier_id)
    if details:
        stmt = _with_dossier_details(stmt)
    choice = db.session.scalars(stmt).first()
    if choice is None:
        raise NotShared(dossier_id)
    return choice


def get_shared_document(landlord_id: int, document_id: int) -> tuple[Document, LandlordChoice]:
    """A document of a dossier shared with this landlord, and the landlord's choice on that dossier."""
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotShared(document_id)
    try:
        choice = get_shared_choice(landlord_id, document.dossier_id, details=False)
    except NotShared:
        raise NotShared(document_id) from None
    return document, choice

def _tenant(dossier: Dossier) -> tuple[str, str] | None:
    tenant = dossier.reference_tenant
    return (tenant.first_name, tenant.last_name) if tenant else None


def _sort_name(tenant: tuple[str, str] | None, reference: str) -> tuple[str, str, str]:
    if tenant is None:
        return ("", "", reference)
    first_name, last_name = tenant
    return (last_name.casefold(), first_name.casefold(), reference)
