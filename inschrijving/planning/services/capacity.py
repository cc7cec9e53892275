"""Changing the seats of slots, and who must move first when seats go down (nobody is ever dropped).

The move itself is the booking domain's (`booking.services.lifecycle.move_by_staff`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from inschrijving.accounts.models import User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.booking.services import seats, waitlist
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.planning.services.base import CapacityBelowBookings, PlanningError, Shortfall


def live_bookings_of_slot(slot: Slot) -> list[Booking]:
    """Live bookings of a slot, the ones who keep their seat first: present people, then earliest booked."""
    return live_bookings_by_slot([slot.id])[slot.id]


def live_bookings_by_slot(slot_ids: list[int]) -> dict[int, list[Booking]]:
    """Live bookings of several slots in one query, each slot's in keep-their-seat order (see above)."""
    found: dict[int, list[Booking]] = {slot_id: [] for slot_id in slot_ids}
    if slot_ids:
        bookings = db.session.scalars(
            sa.select(Booking).where(Booking.slot_id.in_(slot_ids), Booking.is_live)
        ).all()
        for booking in bookings:
            found[booking.slot_id].append(booking)
    for bookings_of_slot in found.values():
        bookings_of_slot.sort(key=lambda b: (b.status != BookingStatus.CHECKED_IN, b.created_at, b.id))
    return found


def change_capacity(moment: RegistrationMoment, changes: dict[int, int], *, actor: User, ip: str | None,
                    now: datetime) -> list[Slot]:
    """Set new capacities ({slot_id: seats}) for slots of one moment, all or nothing; audited.

    Seats added to a slot go to the moment's waiting list first, as freed seats do.

    :raises CapacityBelowBookings: with, per slot, exactly who must move first and the slots with free seats.
    """
    slots = {s.id: s for s in moment.slots}
    if any(slot_id not in slots for slot_id in changes) or any(c < 0 for c in changes.values()):
        raise PlanningError(changes)
    shortfalls = find_shortfalls(moment, changes)
    if shortfalls:
        raise CapacityBelowBookings(shortfalls, free_slots_after(moment, changes))
    added = {slot_id: capacity - slots[slot_id].capacity for slot_id, capacity in changes.items()}
    for slot_id, capacity in sorted(changes.items()):
        # Conditional, like taking a seat: a booking that lands meanwhile makes this refuse, never overbook.
        if not seats.set_capacity(slot_id, capacity):
            slot = slots[slot_id]
            db.session.expire(slot, ["booked"])
            raise CapacityBelowBookings(
                [Shortfall(slot, capacity, live_bookings_of_slot(slot)[capacity:])],
                free_slots_after(moment, changes),
            )
    for slot_id, new_seats in sorted(added.items()):
        for _seat in range(max(new_seats, 0)):
            if waitlist.offer_freed_seat(slots[slot_id], now=now) is None:
                break
    account_audit.record_audit(actor=actor, action="slot.capacity_change", object_type="moment",
                                  object_id=moment.id, detail={"changes": {str(k): v for k, v in changes.items()}},
                                  ip=ip)
    return [slots[slot_id] for slot_id in sorted(changes)]


def review_shortfalls(moment: RegistrationMoment, changes: dict[int, int], *, actor: User,
                      ip: str | None) -> CapacityBelowBookings | None:
    """Who would have to move for these capacities, and where to; None when everybody fits.

    The answer names candidates with their phone numbers, so showing it is audited.
    """
    shortfalls = find_shortfalls(moment, changes)
    if not shortfalls:
        return None
    account_audit.record_audit(actor=actor, action="slot.capacity_shortfall_view", object_type="moment",
                                  object_id=moment.id, ip=ip)
    return CapacityBelowBookings(shortfalls, free_slots_after(moment, changes))


def find_shortfalls(moment: RegistrationMoment, changes: dict[int, int]) -> list[Shortfall]:
    """For each slot that would hold fewer seats than live bookings: exactly who would have to move.

    Two queries however many slots change (the capacity page lists them all when "all slots" goes down).
    """
    if not changes:
        return []
    # Read the counters afresh, all at once: a booking may have landed since the slots were loaded.
    fresh = db.session.scalars(
        sa.select(Slot).where(Slot.id.in_(changes)).execution_options(populate_existing=True)
    ).all()
    slots = {s.id: s for s in fresh if s.moment_id == moment.id}
    short = {slot_id: capacity for slot_id, capacity in sorted(changes.items()) if slots[slot_id].booked > capacity}
    live = live_bookings_by_slot(list(short))
    return [
        Shortfall(slots[slot_id], capacity, live[slot_id][capacity:],
                  held_offers=slots[slot_id].booked - sum(b.seats for b in live[slot_id]))
        for slot_id, capacity in short.items()
    ]


def free_slots_after(moment: RegistrationMoment, changes: dict[int, int] | None = None) -> list[Slot]:
    """Slots of the moment that would still have a free seat with the given new capacities."""
    changes = changes or {}
    return [s for s in moment.slots if changes.get(s.id, s.capacity) > s.booked]
