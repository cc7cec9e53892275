"""Changing the seats of slots, and moving bookings within a moment so nobody is dropped."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from inschrijving.booking import notices, waitlist
from inschrijving.booking import services as booking_services
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, Booking, BookingStatus
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.planning.services.base import (
    CapacityBelowBookings,
    NotMovable,
    PlanningError,
    Shortfall,
)


def live_bookings_of_slot(slot: Slot) -> list[Booking]:
    """Live bookings of a slot, the ones who keep their seat first: present people, then earliest booked."""
    return live_bookings_by_slot([slot.id])[slot.id]


def live_bookings_by_slot(slot_ids: list[int]) -> dict[int, list[Booking]]:
    """Live bookings of several slots in one query, each slot's in keep-their-seat order (see above)."""
    found: dict[int, list[Booking]] = {slot_id: [] for slot_id in slot_ids}
    if slot_ids:
        bookings = db.session.scalars(
            sa.select(Booking).where(Booking.slot_id.in_(slot_ids), Booking.status.in_(LIVE_BOOKING_STATUSES))
        ).all()
        for booking in bookings:
            found[booking.slot_id].append(booking)
    for bookings_of_slot in found.values():
        bookings_of_slot.sort(key=lambda b: (b.status != BookingStatus.CHECKED_IN, b.created_at, b.id))
    return found


def change_capacity(moment: RegistrationMoment, changes: dict[int, int], *, now: datetime) -> list[Slot]:
    """Set new capacities ({slot_id: seats}) for slots of one moment, all or nothing.

    Seats added to a slot go to the moment's waiting list first, as freed seats do.

    :raises CapacityBelowBookings: with, per slot, exactly who must move first and the slots with free seats.
    """
    slots = {s.id: s for s in moment.slots}
    if any(slot_id not in slots for slot_id in changes) or any(c < 0 for c in changes.values()):
        raise PlanningError(changes)
    shortfalls = find_shortfalls(moment, changes)
    if shortfalls:
        raise CapacityBelowBookings(shortfalls, free_slots_after(moment, changes))
    changed = []
    added = {slot_id: capacity - slots[slot_id].capacity for slot_id, capacity in changes.items()}
    for slot_id, capacity in sorted(changes.items()):
        # Conditional, like take_seat: a booking that lands meanwhile makes this refuse, never overbook.
        result = db.session.execute(
            sa.update(Slot)
            .where(Slot.id == slot_id, Slot.booked <= capacity)
            .values(capacity=capacity)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(slots[slot_id], ["capacity", "booked"])
        if result.rowcount != 1:
            slot = slots[slot_id]
            raise CapacityBelowBookings(
                [Shortfall(slot, capacity, live_bookings_of_slot(slot)[capacity:])],
                free_slots_after(moment, changes),
            )
        changed.append(slots[slot_id])
    for slot_id, seats in sorted(added.items()):
        for _seat in range(max(seats, 0)):
            if waitlist.offer_freed_seat(slots[slot_id], now=now) is None:
                break
    return changed


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
                  held_offers=slots[slot_id].booked - len(live[slot_id]))
        for slot_id, capacity in short.items()
    ]


def free_slots_after(moment: RegistrationMoment, changes: dict[int, int] | None = None) -> list[Slot]:
    """Slots of the moment that would still have a free seat with the given new capacities."""
    changes = changes or {}
    return [s for s in moment.slots if changes.get(s.id, s.capacity) > s.booked]


def move_booking_to_slot(booking: Booking, target: Slot, *, now: datetime) -> None:
    """Move a live booking to another slot of the same moment, keeping its reference and everything attached.

    The seat in the new slot is taken first, so a failed move leaves the booking where it was.
    """
    if not booking.is_live or target.moment_id != booking.moment_id or target.id == booking.slot_id:
        raise NotMovable(booking.id)
    old_slot_id = booking.slot_id
    booking_services.take_seat(target.id)
    booking_services.release_seat(old_slot_id)
    booking.slot_id = target.id
    booking.slot = target
    booking.sequence += 1
    booking.updated_at = now
    # Close to the day the move notice is the reminder; further ahead the new hour gets its own.
    booking_services.settle_reminder(booking, now=now)
    db.session.flush()
    # The same notice (with the updated calendar file) as when candidates move themselves.
    notices.queue_moved(booking, now=now)
