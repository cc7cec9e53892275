"""Change a planned moment: place, notes, booking window and opening hours, with who is affected first.

`plan_edit` reads and decides (the preview); `apply_edit` carries it out in the caller's transaction. When
the opening hours change, a slot whose start time stays keeps its row (and its bookings); bookings in a
slot whose time goes away move to the nearest new time with a free seat, through the booking life cycle
(`move_by_staff`: SEQUENCE raised, move notice); whoever finds no seat at all is cancelled with a notice and
put first on the waiting list (`unseat_for_new_times`). Nobody is dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inschrijving.accounts.models import User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.booking.models import Booking
from inschrijving.booking.services import lifecycle, seats
from inschrijving.extensions import db
from inschrijving.planning.models import OpeningBlock, RegistrationMoment, Slot
from inschrijving.planning.services.base import BRUSSELS, MomentPlan, PlannedSlot, PlanningError, WrongStatus
from inschrijving.planning.services.capacity import live_bookings_by_slot
from inschrijving.planning.services.moments import plan_moment
from inschrijving.planning.services.slots import generate_slots

SAME_TIME, NEW_TIME, NO_SEAT = "same_time", "new_time", "no_seat"


class SeatHeldForOffer(PlanningError):
    """A slot whose time goes away holds a seat for an open waiting-list offer; nothing was changed."""

    def __init__(self, slot: Slot):
        super().__init__(_l("Het slot van %(time)s houdt een plaats vast voor iemand van de wachtlijst. Wacht tot "
                            "het aanbod is opgenomen of verlopen, of behoud dat uur.",
                            time=slot.starts_at.astimezone(BRUSSELS).strftime("%H:%M")))
        self.slot = slot


class EditChanged(PlanningError):
    """Bookings changed since the preview: the coordinator must look at the new preview first."""


@dataclass(frozen=True)
class Affected:
    """One live booking and what the new opening hours do to it."""

    booking: Booking
    outcome: str  # SAME_TIME, NEW_TIME or NO_SEAT
    old_start: datetime
    new_start: datetime | None  # the slot it keeps or moves to; None without a seat

    @property
    def keeps_time(self) -> bool:
        return self.outcome == SAME_TIME

    @property
    def gets_new_time(self) -> bool:
        return self.outcome == NEW_TIME


@dataclass
class MomentEdit:
    """A checked change to a moment, before anything is saved."""

    moment: RegistrationMoment
    plan: MomentPlan
    before: dict
    after: dict
    affected: list[Affected] = field(default_factory=list)
    kept: dict[datetime, Slot] = field(default_factory=dict)  # new start -> the existing slot it keeps
    revived: list[Slot] = field(default_factory=list)  # slots an earlier change withdrew, whose time is back
    new_slots: list[PlannedSlot] = field(default_factory=list)
    withdrawn: list[Slot] = field(default_factory=list)

    @property
    def changes_times(self) -> bool:
        return bool(self.new_slots or self.withdrawn or self.revived or self._ends_change())

    def _ends_change(self) -> bool:
        ends = {s.starts_at: s.ends_at for s in self.plan.slots}
        return any(slot.ends_at != ends[start] for start, slot in self.kept.items())

    @property
    def moved(self) -> list[Affected]:
        return [a for a in self.affected if a.outcome == NEW_TIME]

    @property
    def unseated(self) -> list[Affected]:
        return [a for a in self.affected if a.outcome == NO_SEAT]

    @property
    def needs_confirmation(self) -> bool:
        """Someone's appointment changes: the coordinator saw the preview before it is carried out."""
        return bool(self.moved or self.unseated)

    @property
    def fingerprint(self) -> str:
        """Who goes where: the confirmation carries it, so a booking that lands after the preview is not moved
        unseen."""
        text = "|".join(f"{a.booking.id}:{a.outcome}:{a.new_start}" for a in self.affected)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def changed_fields(self) -> list[str]:
        return [name for name in self.after if self.after[name] != self.before[name]]


def _minute(at: datetime) -> str:
    return at.astimezone(UTC).replace(second=0, microsecond=0).isoformat()


def _values(moment_or_plan) -> dict:
    return {
        "location_name": moment_or_plan.location_name,
        "address": moment_or_plan.address,
        "place_notes": dict(moment_or_plan.place_notes or {}),
        # In UTC and to the minute, so the same time written in another zone (the form's Brussels time, which
        # has no seconds) is no change.
        "booking_opens_at": _minute(moment_or_plan.booking_opens_at),
        "booking_closes_at": _minute(moment_or_plan.booking_closes_at),
        "blocks": [f"{s.strftime('%H:%M')}-{e.strftime('%H:%M')}" for s, e in _blocks_of(moment_or_plan)],
        "slot_minutes": moment_or_plan.slot_minutes,
    }


def _blocks_of(moment_or_plan) -> list[tuple[time, time]]:
    if isinstance(moment_or_plan, MomentPlan):
        return list(moment_or_plan.blocks)
    return [(b.start_time, b.end_time) for b in moment_or_plan.blocks]


def plan_edit(
    moment: RegistrationMoment,
    *,
    location_name: str,
    address: str,
    place_notes: dict[str, str],
    blocks: Sequence[tuple[time, time]],
    slot_minutes: int,
    booking_opens_at: datetime | None,
    booking_closes_at: datetime | None,
    now: datetime,
) -> MomentEdit:
    """Check the change and work out, per live booking, whether it keeps its time, moves, or finds no seat.

    :raises WrongStatus: the moment is closed or cancelled.
    :raises InvalidBlocks, NoSlots, InvalidBookingWindow: as when planning a new moment.
    """
    if not moment.can_edit:
        raise WrongStatus(moment.status)
    plan = plan_moment(
        kind=moment.kind, held_on=moment.held_on, title=moment.title, location_name=location_name, address=address,
        place_notes=place_notes, blocks=blocks, slot_minutes=slot_minutes, desks=moment.desks, now=now,
        booking_opens_at=booking_opens_at or moment.booking_opens_at, booking_closes_at=booking_closes_at,
    )
    edit = MomentEdit(moment=moment, plan=plan, before=_values(moment), after=_values(plan))
    # The times the current opening hours offer; a slot outside them was withdrawn by an earlier change.
    current = {s.starts_at for s in generate_slots(moment.held_on, _blocks_of(moment), moment.slot_minutes, 1)}
    by_start = {slot.starts_at: slot for slot in moment.slots}
    planned = {s.starts_at: s for s in plan.slots}
    edit.kept = {start: by_start[start] for start in planned if start in by_start}
    edit.revived = [slot for start, slot in edit.kept.items() if start not in current]
    edit.new_slots = [s for start, s in planned.items() if start not in by_start]
    edit.withdrawn = [slot for start, slot in by_start.items() if start in current and start not in planned]
    live = live_bookings_by_slot([slot.id for slot in moment.slots])
    for slot in edit.withdrawn:
        if slot.booked > sum(b.seats for b in live[slot.id]):
            raise SeatHeldForOffer(slot)
    for slot in edit.kept.values():
        edit.affected += [Affected(b, SAME_TIME, slot.starts_at, slot.starts_at) for b in live[slot.id]]
    free = {start: _capacity_after(edit, slot) - slot.booked for start, slot in edit.kept.items()}
    free.update({s.starts_at: s.capacity for s in edit.new_slots})
    for slot in sorted(edit.withdrawn, key=lambda s: s.starts_at):
        for booking in live[slot.id]:
            # The nearest new time with a free seat; the earlier one when two are as near.
            open_starts = [start for start, seats in free.items() if seats > 0]
            if not open_starts:
                edit.affected.append(Affected(booking, NO_SEAT, slot.starts_at, None))
                continue
            target = min(open_starts, key=lambda start: (abs(start - slot.starts_at), start))
            free[target] -= 1
            edit.affected.append(Affected(booking, NEW_TIME, slot.starts_at, target))
    edit.affected.sort(key=lambda a: (a.old_start, a.booking.id))
    return edit


def review_edit(edit: MomentEdit, *, actor: User, ip: str | None) -> None:
    """The preview names candidates with their phone numbers, so showing it is audited (as the capacity page's)."""
    if edit.needs_confirmation:
        account_audit.record_audit(actor=actor, action="moment.edit_preview", object_type="moment",
                                   object_id=edit.moment.id, detail={"affected": len(edit.affected)}, ip=ip)


def _capacity_after(edit: MomentEdit, slot: Slot) -> int:
    return edit.moment.desks if slot in edit.revived else slot.capacity


def apply_edit(edit: MomentEdit, *, actor: User, ip: str | None, now: datetime,
               confirmed: str | None = None) -> MomentEdit:
    """Carry out a checked change in the caller's transaction; audited with before and after.

    :raises EditChanged: the change moves someone and `confirmed` is not the fingerprint of this very preview.
    :raises SeatHeldForOffer: a slot whose time goes away holds a seat for a waiting-list offer.
    """
    moment, plan = edit.moment, edit.plan
    if edit.needs_confirmation and confirmed != edit.fingerprint:
        raise EditChanged()
    if not edit.changed_fields:
        return edit  # saved as it was: nothing to write, nothing to audit
    moment.location_name = plan.location_name
    moment.address = plan.address
    moment.place_notes = dict(plan.place_notes)
    moment.booking_opens_at = plan.booking_opens_at
    moment.booking_closes_at = plan.booking_closes_at
    moment.slot_minutes = plan.slot_minutes
    if _values(moment)["blocks"] != edit.after["blocks"]:
        moment.blocks.clear()
        db.session.flush()
        moment.blocks.extend(_opening_blocks(plan))
    ends = {s.starts_at: s.ends_at for s in plan.slots}
    for start, slot in edit.kept.items():
        slot.ends_at = ends[start]
    for slot in edit.revived:
        seats.set_capacity(slot.id, moment.desks)
    targets = {s.starts_at: Slot(moment=moment, starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity,
                                 booked=0) for s in edit.new_slots}
    db.session.add_all(targets.values())
    db.session.flush()
    targets.update(edit.kept)
    for item in edit.affected:
        if item.outcome == NEW_TIME:
            lifecycle.move_by_staff(item.booking, target=targets[item.new_start], actor=actor, ip=ip, now=now)
        elif item.outcome == NO_SEAT:
            lifecycle.unseat_for_new_times(item.booking, actor=actor, ip=ip, now=now)
    _withdraw(edit.withdrawn)
    account_audit.record_audit(
        actor=actor, action="moment.edit", object_type="moment", object_id=moment.id, ip=ip,
        detail={
            "before": {k: edit.before[k] for k in edit.changed_fields},
            "after": {k: edit.after[k] for k in edit.changed_fields},
            "moved": [a.booking.id for a in edit.moved],
            "unseated": [a.booking.id for a in edit.unseated],
        },
    )
    return edit


def _opening_blocks(plan: MomentPlan) -> list[OpeningBlock]:
    return [OpeningBlock(start_time=s, end_time=e) for s, e in plan.blocks]


def _withdraw(slots: list[Slot]) -> None:
    """Remove slots whose time went away: deleted when no booking ever named them, else kept with no seats
    (cancelled bookings keep pointing at the time they had)."""
    if not slots:
        return
    named = set(db.session.scalars(
        sa.select(Booking.slot_id).where(Booking.slot_id.in_([s.id for s in slots])).distinct()
    ))
    for slot in slots:
        if slot.id not in named:
            slot.moment.slots.remove(slot)  # delete-orphan: the row goes, and the moment stops listing it
        elif not seats.set_capacity(slot.id, 0):
            raise EditChanged()  # a seat was taken in it since the preview
    db.session.flush()
