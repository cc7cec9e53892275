"""What a landlord may see, and what it reports back: access rules and status feedback.

The one access rule of the portal, the API and the packets lives here: a landlord sees a dossier
only while that dossier is complete and carries a live (not withdrawn) consent to share it with
this landlord. Every read goes through `shared_choices`, so a withdrawn consent ends access at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from inschrijving.accounts.models import User
from inschrijving.dossiers.models import (
    ChoiceStatus,
    Consent,
    ConsentPurpose,
    Document,
    Dossier,
    DossierStatus,
    LandlordChoice,
    Preferences,
)
from inschrijving.dossiers.queries import landlord_can_see
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment

NOTE_MAX_LENGTH = 1000
REFERENCE_MAX_LENGTH = 60


class PortalError(Exception):
    """Base class for portal rule violations."""


class NotShared(PortalError):
    """The dossier, document or moment is not shared with this landlord (shown as 404)."""


class InvalidStatus(PortalError):
    """A status report lacks what that status needs (a number, a reason) or is not one landlords set."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# Statuses a landlord reports; "new" and "downloaded" follow from what happens, not from a report.
REPORTABLE_STATUSES = (ChoiceStatus.REGISTERED, ChoiceStatus.INCOMPLETE, ChoiceStatus.REFUSED)


def _shared_filter(landlord_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        LandlordChoice.landlord_id == landlord_id,
        Consent.landlord_id == landlord_id,
        Consent.purpose == ConsentPurpose.SHARE_WITH_LANDLORD,
        Consent.withdrawn_at.is_(None),
        Consent.dossier_id == LandlordChoice.dossier_id,
        Dossier.status == DossierStatus.COMPLETE,
    )


def shared_choices_stmt(landlord_id: int) -> sa.Select:
    """Select this landlord's choices on complete dossiers with a live consent to share with it."""
    return (
        sa.select(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(_shared_filter(landlord_id))
    )


@dataclass(frozen=True)
class MomentSummary:
    moment: RegistrationMoment
    dossiers: int
    new: int


def moment_summaries(landlord_id: int) -> list[MomentSummary]:
    """The moments with dossiers for this landlord, each with its count and how many were never downloaded."""
    never_downloaded = sa.case((LandlordChoice.first_downloaded_at.is_(None), 1), else_=0)
    rows = db.session.execute(
        sa.select(Dossier.moment_id, sa.func.count(), sa.func.sum(never_downloaded))
        .select_from(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(_shared_filter(landlord_id))
        .group_by(Dossier.moment_id)
    ).all()
    counts = {moment_id: (total, int(new or 0)) for moment_id, total, new in rows}
    if not counts:
        return []
    moments = db.session.scalars(
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.id.in_(counts))
        .order_by(RegistrationMoment.held_on.desc())
    ).all()
    return [MomentSummary(m, *counts[m.id]) for m in moments]


def _with_dossier_details(stmt: sa.Select) -> sa.Select:
    # Loaded up front so list pages and exports cost the same few queries for 1 or 100 dossiers.
    return stmt.options(
        selectinload(LandlordChoice.dossier).options(
            selectinload(Dossier.persons),
            selectinload(Dossier.preferences).selectinload(Preferences.municipalities),
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


def _sort_name(dossier: Dossier) -> tuple[str, str, str]:
    tenant = dossier.reference_tenant
    if tenant is None:
        return ("", "", dossier.reference)
    return (tenant.last_name.casefold(), tenant.first_name.casefold(), dossier.reference)


def get_shared_choice(landlord_id: int, dossier_id: int) -> LandlordChoice:
    """The landlord's choice on this dossier, only if the dossier is shared with it now."""
    stmt = _with_dossier_details(shared_choices_stmt(landlord_id).where(LandlordChoice.dossier_id == dossier_id))
    choice = db.session.scalars(stmt).first()
    if choice is None:
        raise NotShared(dossier_id)
    return choice


def get_shared_document(landlord_id: int, document_id: int) -> Document:
    """A document of a dossier shared with this landlord."""
    document = db.session.get(Document, document_id)
    if document is None or not landlord_can_see(document.dossier_id, landlord_id):
        raise NotShared(document_id)
    return document


def mark_downloaded(choices: Sequence[LandlordChoice], *, now: datetime) -> None:
    """Record a first download; a new choice becomes "downloaded", later reports are kept."""
    for choice in choices:
        if choice.first_downloaded_at is None:
            choice.first_downloaded_at = now
        if choice.status == ChoiceStatus.NEW:
            choice.status = ChoiceStatus.DOWNLOADED
            choice.status_set_at = now
    db.session.flush()


def set_choice_status(
    choice: LandlordChoice,
    *,
    status: ChoiceStatus | str,
    actor: User | None,
    now: datetime,
    reference: str | None = None,
    registered_on: date | None = None,
    note: str | None = None,
) -> LandlordChoice:
    """Report what the landlord did with a dossier; only the choice changes, never the dossier."""
    try:
        status = ChoiceStatus(status)
    except ValueError as exc:
        raise InvalidStatus("status", _("Kies een geldige status.")) from exc
    if status not in REPORTABLE_STATUSES:
        raise InvalidStatus("status", _("Kies een geldige status."))
    reference = (reference or "").strip() or None
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise InvalidStatus("note", _("Schrijf hoogstens %(n)d tekens.", n=NOTE_MAX_LENGTH))
    if status == ChoiceStatus.REGISTERED:
        if reference is None:
            raise InvalidStatus("reference", _("Vul uw inschrijvingsnummer in."))
        if len(reference) > REFERENCE_MAX_LENGTH:
            raise InvalidStatus("reference", _("Het nummer is te lang (hoogstens 60 tekens)."))
        if registered_on is None:
            raise InvalidStatus("registered_on", _("Vul de datum van inschrijving in."))
        if registered_on > now.date():
            raise InvalidStatus("registered_on", _("De datum mag niet in de toekomst liggen."))
        choice.landlord_reference = reference
        choice.registered_on = registered_on
    elif note is None:
        field_message = (
            _("Schrijf wat er ontbreekt.") if status == ChoiceStatus.INCOMPLETE else _("Schrijf waarom u weigert.")
        )
        raise InvalidStatus("note", field_message)
    choice.status = status
    choice.status_note = note
    choice.status_set_at = now
    choice.status_set_by_id = actor.id if actor is not None else None
    db.session.flush()
    return choice




def candidate_status_lines(dossier: Dossier) -> list[str]:
    """Plain-language lines for the candidate's manage page: what each chosen landlord did."""
    lines = []
    for choice in sorted(dossier.landlord_choices, key=lambda c: c.landlord.name):
        name = choice.landlord.name
        if choice.status == ChoiceStatus.REGISTERED and choice.registered_on is not None:
            lines.append(
                _(
                    "%(landlord)s heeft u ingeschreven op %(day)s, nummer %(number)s.",
                    landlord=name,
                    day=format_date(choice.registered_on, "d MMMM y"),
                    number=choice.landlord_reference,
                )
            )
        elif choice.status == ChoiceStatus.INCOMPLETE:
            lines.append(
                _("%(landlord)s mist nog iets in uw dossier: %(what)s", landlord=name, what=choice.status_note)
            )
        elif choice.status == ChoiceStatus.REFUSED:
            lines.append(_("%(landlord)s kan u niet inschrijven: %(reason)s", landlord=name, reason=choice.status_note))
        elif choice.status == ChoiceStatus.DOWNLOADED:
            lines.append(_("%(landlord)s heeft uw dossier ontvangen.", landlord=name))
        else:
            lines.append(_("%(landlord)s heeft uw dossier nog niet bekeken.", landlord=name))
    return lines




def preferred_municipalities(dossier: Dossier) -> list[str]:
    if dossier.preferences is None:
        return []
    return sorted(m.name for m in dossier.preferences.municipalities)
