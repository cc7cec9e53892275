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
    Document,
    Dossier,
    LandlordChoice,
    Preferences,
)
from inschrijving.dossiers.queries import shared_with_landlord
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


def shared_choices_stmt(landlord_id: int) -> sa.Select:
    """Select this landlord's choices on complete dossiers with a live consent to share with it."""
    return (
        sa.select(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(shared_with_landlord(landlord_id))
    )


def changed_since_download(choice: LandlordChoice) -> bool:
    """Tell whether the dossier was completed again (so: corrected) after this landlord's last download."""
    completed = choice.dossier.completed_at
    return choice.last_downloaded_at is not None and completed is not None and completed > choice.last_downloaded_at


# The same rule as `changed_since_download`, for counting in SQL.
_CHANGED_SINCE_DOWNLOAD = sa.and_(
    LandlordChoice.last_downloaded_at.is_not(None), Dossier.completed_at > LandlordChoice.last_downloaded_at
)


@dataclass(frozen=True)
class MomentSummary:
    moment: RegistrationMoment
    dossiers: int
    new: int
    changed: int


def moment_summaries(landlord_id: int) -> list[MomentSummary]:
    """The moments with dossiers for this landlord, with how many were never downloaded or changed since."""
    never_downloaded = sa.case((LandlordChoice.first_downloaded_at.is_(None), 1), else_=0)
    changed = sa.case((_CHANGED_SINCE_DOWNLOAD, 1), else_=0)
    rows = db.session.execute(
        sa.select(Dossier.moment_id, sa.func.count(), sa.func.sum(never_downloaded), sa.func.sum(changed))
        .select_from(LandlordChoice)
        .join(Consent, Consent.id == LandlordChoice.consent_id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(shared_with_landlord(landlord_id))
        .group_by(Dossier.moment_id)
    ).all()
    counts = {
        moment_id: (total, int(new or 0), int(changed or 0)) for moment_id, total, new, changed in rows
    }
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


def mark_downloaded(choices: Sequence[LandlordChoice], *, now: datetime) -> None:
    """Record a download; a new choice becomes "downloaded", later reports are kept."""
    for choice in choices:
        if choice.first_downloaded_at is None:
            choice.first_downloaded_at = now
        choice.last_downloaded_at = now
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
    """Report what the landlord did with a dossier; only the choice changes, never the dossier.

    Each field belongs to one kind of report: the number and date to "registered", the note to
    "incomplete" and "refused". A report stores its own fields and clears the others, so a choice
    never shows a number next to "refused" or an old reason next to "registered"; what was given
    for another status is ignored.
    """
    try:
        status = ChoiceStatus(status)
    except ValueError as exc:
        raise InvalidStatus("status", _("Kies een geldige status.")) from exc
    if status not in REPORTABLE_STATUSES:
        raise InvalidStatus("status", _("Kies een geldige status."))
    reference = (reference or "").strip() or None
    note = (note or "").strip() or None
    if status == ChoiceStatus.REGISTERED:
        if reference is None:
            raise InvalidStatus("reference", _("Vul uw inschrijvingsnummer in."))
        if len(reference) > REFERENCE_MAX_LENGTH:
            raise InvalidStatus("reference", _("Het nummer is te lang (hoogstens 60 tekens)."))
        if registered_on is None:
            raise InvalidStatus("registered_on", _("Vul de datum van inschrijving in."))
        if registered_on > now.date():
            raise InvalidStatus("registered_on", _("De datum mag niet in de toekomst liggen."))
        note = None
    else:
        if note is None:
            field_message = (
                _("Schrijf wat er ontbreekt.") if status == ChoiceStatus.INCOMPLETE else _("Schrijf waarom u weigert.")
            )
            raise InvalidStatus("note", field_message)
        if len(note) > NOTE_MAX_LENGTH:
            raise InvalidStatus("note", _("Schrijf hoogstens %(n)d tekens.", n=NOTE_MAX_LENGTH))
        reference, registered_on = None, None
    choice.status = status
    choice.landlord_reference = reference
    choice.registered_on = registered_on
    choice.status_note = note
    choice.status_set_at = now
    choice.status_set_by_id = actor.id if actor is not None else None
    db.session.flush()
    return choice


def status_form_values(choice: LandlordChoice) -> dict[str, object]:
    """What the status form starts with: the current report and only the fields that belong to it."""
    values: dict[str, object] = {"status": None, "reference": None, "registered_on": None, "note": None}
    if choice.status == ChoiceStatus.REGISTERED:
        values.update(
            status=choice.status.value, reference=choice.landlord_reference, registered_on=choice.registered_on
        )
    elif choice.status in (ChoiceStatus.INCOMPLETE, ChoiceStatus.REFUSED):
        values.update(status=choice.status.value, note=choice.status_note)
    return values


def _is_withdrawn(choice: LandlordChoice) -> bool:
    return choice.consent is not None and choice.consent.withdrawn_at is not None


def candidate_sees_status_lines(dossier: Dossier) -> bool:
    """Tell whether the manage page shows what the landlords did.

    A complete dossier always does. A dossier back in draft (reopened to be corrected) does once a
    landlord whose consent still stands had it: the candidate must keep reading, for instance, what
    a landlord found missing, exactly while that is being fixed.
    """
    if dossier.is_complete:
        return True
    return any(
        not _is_withdrawn(c) and (c.status != ChoiceStatus.NEW or c.first_downloaded_at is not None)
        for c in dossier.landlord_choices
    )


def candidate_status_lines(dossier: Dossier) -> list[str]:
    """Plain-language lines for the candidate's manage page: what each chosen landlord did.

    A landlord whose consent was withdrawn is left out: it no longer has the dossier.
    """
    lines = []
    choices = [c for c in dossier.landlord_choices if not _is_withdrawn(c)]
    for choice in sorted(choices, key=lambda c: c.landlord.name):
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
