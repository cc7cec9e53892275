"""Households come back: find earlier dossiers of the same household, let the volunteer continue or copy one
instead of starting a second, and never let landlords receive two live dossiers of one household for a moment.

The same household: an adult with the same national number, or the same first name, last name and full
birth date. Found as soon as the identity step is saved (the first moment those are known).
"""

from __future__ import annotations

import copy
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.dossiers.enums import DossierStatus, PersonRole
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.services.consent import live_share_consents
from inschrijving.dossiers.services.errors import DossierLocked, DuplicateHousehold
from inschrijving.dossiers.services.history import finish_step, record_change, track_changes
from inschrijving.extensions import db

DECISION_STEP = "duplicate"


class Choice(enum.StrEnum):
    CONTINUE = "continue"  # go on in the earlier dossier (a draft); the new one goes
    COPY = "copy"  # take the earlier answers over into the new dossier
    NEW = "new"  # a different household after all: keep both


def _adults(dossier: Dossier) -> list[Person]:
    return [p for p in dossier.persons if p.role != PersonRole.CHILD]


def _name_key(person: Person) -> tuple | None:
    if not (person.birth_year and person.birth_month and person.birth_day):
        return None
    return (person.first_name.strip().casefold(), person.last_name.strip().casefold(), person.birth_year,
            person.birth_month, person.birth_day)


def same_household(dossier: Dossier, *, other_ids: sa.ColumnElement[bool] | None = None) -> list[Dossier]:
    """Other dossiers with an adult of this household (national number, or name and full birth date). Two queries."""
    adults = _adults(dossier)
    numbers = {p.national_number for p in adults if p.national_number}
    names = {key for key in map(_name_key, adults) if key}
    if not numbers and not names:
        return []
    match = []
    if numbers:
        match.append(Person.national_number.in_(numbers))
    for first, last, year, month, day in names:
        match.append(sa.and_(sa.func.lower(Person.first_name) == first, sa.func.lower(Person.last_name) == last,
                             Person.birth_year == year, Person.birth_month == month, Person.birth_day == day))
    stmt = (
        sa.select(Dossier)
        .join(Person, Person.dossier_id == Dossier.id)
        .where(Dossier.id != dossier.id, Person.role != PersonRole.CHILD, sa.or_(*match))
        .options(selectinload(Dossier.persons), selectinload(Dossier.moment))
        .distinct()
        .order_by(Dossier.created_at.desc())
    )
    if other_ids is not None:
        stmt = stmt.where(other_ids)
    return list(db.session.scalars(stmt))


def pending_duplicates(dossier: Dossier, *, scope: sa.ColumnElement[bool] | None = None) -> list[Dossier]:
    """Earlier dossiers of this household the volunteer has not decided about yet (asked once per dossier).

    `scope` limits them to the dossiers the reader may open (`queries.dossier_scope`): a volunteer is never
    shown, nor can copy from, a dossier of a moment they do not staff.
    """
    if dossier.is_complete:
        return []
    decided = db.session.scalar(
        sa.select(DossierChange.id).where(DossierChange.dossier_id == dossier.id, DossierChange.step == DECISION_STEP)
    )
    return [] if decided else same_household(dossier, other_ids=scope)


def decide(dossier: Dossier, earlier: Dossier | None, choice: Choice, *, actor: Actor, now: datetime) -> Dossier:
    """Apply the volunteer's choice; audited. Returns the dossier to go on with."""
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    detail = {"choice": choice.value, "earlier": earlier.reference if earlier else None}
    audit(actor, f"dossier.duplicate_{choice.value}", object_type="dossier", object_id=dossier.id, detail=detail)
    if choice == Choice.CONTINUE and earlier is not None and not earlier.is_complete:
        return _continue(dossier, earlier, actor=actor, now=now)
    if choice == Choice.COPY and earlier is not None:
        _copy_answers(earlier, dossier, actor=actor, now=now)
    else:
        record_change(dossier, actor=actor, step=DECISION_STEP, changes=detail, now=now)
    return dossier


def _continue(new: Dossier, earlier: Dossier, *, actor: Actor, now: datetime) -> Dossier:
    """The earlier draft takes over the new dossier's booking and moment; the new one (just started) goes."""
    booking_id, moment_id = new.booking_id, new.moment_id
    record_change(earlier, actor=actor, step=DECISION_STEP,
                  changes={"continued_from": new.reference, "moment_id": [earlier.moment_id, moment_id]}, now=now)
    db.session.delete(new)
    db.session.flush()
    earlier.booking_id = booking_id if booking_id is not None else earlier.booking_id
    earlier.moment_id = moment_id
    earlier.updated_at, earlier.updated_by_id = now, actor.user_id
    return earlier


def _clone(row, **values):
    """A new row with the same column values (no id, no dossier), for copying answers."""
    mapper = sa.inspect(type(row))
    skip = {"id", "dossier_id", "person_id"}
    data = {c.key: copy.copy(getattr(row, c.key)) for c in mapper.column_attrs if c.key not in skip}
    return type(row)(**data | values)


def _copy_answers(earlier: Dossier, dossier: Dossier, *, actor: Actor, now: datetime) -> None:
    """Take over what the new dossier does not have yet: incomes (matched per person), savings, property,
    addresses and preferences. Never consents or documents: those are given again, today."""
    track_changes()
    mine = {p.national_number: p for p in dossier.persons if p.national_number}
    theirs = {p.id: p for p in earlier.persons}
    have_income = {i.person_id for i in dossier.incomes}
    for income in earlier.incomes:
        person = mine.get(theirs[income.person_id].national_number) if income.person_id in theirs else None
        if person is not None and person.id not in have_income:
            dossier.incomes.append(_clone(income, person_id=person.id))
    if dossier.assets is None and earlier.assets is not None:
        dossier.assets = _clone(earlier.assets)
    if dossier.has_property is None and earlier.has_property is not None:
        dossier.has_property = earlier.has_property
        for item in earlier.property_declarations:
            owner = mine.get(theirs[item.person_id].national_number) if item.person_id in theirs else None
            dossier.property_declarations.append(_clone(item, person_id=owner.id if owner else None))
    if not dossier.addresses:
        dossier.addresses.extend(_clone(a, person_id=None) for a in earlier.addresses)
    if dossier.preferences is None and earlier.preferences is not None:
        dossier.preferences = _clone(earlier.preferences, municipalities=list(earlier.preferences.municipalities))
    finish_step(dossier, step=DECISION_STEP, actor=actor, now=now, extra={"copied_from": earlier.reference})


def check_no_second_live_dossier(dossier: Dossier) -> None:
    """Refuse to complete a dossier when another complete dossier of the same household, for the same moment,
    already goes to one of its landlords: a landlord never receives the household twice.

    :raises DuplicateHousehold: naming those landlords.
    """
    mine = live_share_consents(dossier)
    if not mine:
        return
    others = same_household(dossier, other_ids=sa.and_(Dossier.moment_id == dossier.moment_id,
                                                       Dossier.status == DossierStatus.COMPLETE))
    shared = sorted({c.landlord.name for other in others for lid, c in live_share_consents(other).items()
                     if lid in mine})
    if shared:
        raise DuplicateHousehold(dossier.reference, shared)

