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

from inschrijving.dossiers.enums import ConsentPurpose
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Preferences
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
    choices.sort(key=lambda c: _sort_name(c.dossier))
    return choices


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

def _sort_name(dossier: Dossier) -> tuple[str, str, str]:
    tenant = dossier.reference_tenant
    if tenant is None:
        return ("", "", dossier.reference)
    return (tenant.last_name.casefold(), tenant.first_name.casefold(), dossier.reference)
