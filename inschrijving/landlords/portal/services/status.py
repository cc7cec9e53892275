"""What a landlord reports back on a dossier: registered (with its number), incomplete or refused."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.models import ApiToken
from inschrijving.landlords.portal.services import access

NOTE_MAX_LENGTH = 1000
REFERENCE_MAX_LENGTH = 60
# Statuses a landlord reports; "new" and "downloaded" follow from what happens, not from a report.
REPORTABLE_STATUSES = (ChoiceStatus.REGISTERED, ChoiceStatus.INCOMPLETE, ChoiceStatus.REFUSED)


class InvalidStatus(Exception):
    """A status report lacks what that status needs (a number, a reason) or is not one landlords set."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def set_choice_status(
    choice: LandlordChoice,
    *,
    status: ChoiceStatus | str,
    actor: access.Reader,
    ip: str | None,
    now: datetime,
    reference: str | None = None,
    registered_on: date | None = None,
    note: str | None = None,
) -> LandlordChoice:
    """Report what the landlord did with a dossier, and audit it; only the choice changes, never the dossier.

    Each field belongs to one kind of report: the number and date to "registered", the note to
    "incomplete" and "refused". A report stores its own fields and clears the others, so a choice
    never shows a number next to "refused" or an old reason next to "registered"; what was given
    for another status is ignored. Everything is checked before anything is changed.
    """
    status = _reportable(status)
    reference = (reference or "").strip() or None
    note = (note or "").strip() or None
    if status == ChoiceStatus.REGISTERED:
        _check_registered(reference, registered_on, now=now)
        note = None
    else:
        _check_note(status, note)
        reference, registered_on = None, None
    choice.status = status
    choice.landlord_reference = reference
    choice.registered_on = registered_on
    choice.status_note = note
    choice.status_set_at = now
    choice.status_set_by_id = None if isinstance(actor, ApiToken) else actor.id
    access.record_view(
        actor=actor,
        ip=ip,
        action=f"{access.action_prefix(actor)}.status_set",
        object_type="dossier",
        object_id=choice.dossier_id,
        status=status.value,
    )
    db.session.flush()
    return choice


def _reportable(status: ChoiceStatus | str) -> ChoiceStatus:
    try:
        status = ChoiceStatus(status)
    except ValueError as exc:
        raise InvalidStatus("status", _("Kies een geldige status.")) from exc
    if status not in REPORTABLE_STATUSES:
        raise InvalidStatus("status", _("Kies een geldige status."))
    return status


def _check_registered(reference: str | None, registered_on: date | None, *, now: datetime) -> None:
    if reference is None:
        raise InvalidStatus("reference", _("Vul uw inschrijvingsnummer in."))
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise InvalidStatus("reference", _("Het nummer is te lang (hoogstens 60 tekens)."))
    if registered_on is None:
        raise InvalidStatus("registered_on", _("Vul de datum van inschrijving in."))
    if registered_on > now.date():
        raise InvalidStatus("registered_on", _("De datum mag niet in de toekomst liggen."))


def _check_note(status: ChoiceStatus, note: str | None) -> None:
    if note is None:
        if status == ChoiceStatus.INCOMPLETE:
            raise InvalidStatus("note", _("Schrijf wat er ontbreekt."))
        raise InvalidStatus("note", _("Schrijf waarom u weigert."))
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidStatus("note", _("Schrijf hoogstens %(n)d tekens.", n=NOTE_MAX_LENGTH))


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
