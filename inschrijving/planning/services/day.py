"""The day itself: check in, no-show, undo, and walk-ins."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from inschrijving.booking import services as booking_services
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, Booking, BookingStatus
from inschrijving.extensions import db
from inschrijving.planning.models import MomentStatus, Slot
from inschrijving.planning.services.base import SeatTaken, WrongStatus


@dataclass(frozen=True)
class WalkIn:
    booking: Booking
    # The slot was full and grew by one seat for this person (only with over_capacity).
    added_seat: bool


def check_in(booking: Booking, *, now: datetime) -> None:
    """Mark that the candidate came; a no-show who turns up late takes a seat again."""
    if booking.status == BookingStatus.NO_SHOW:
        _retake_seat(booking)
    elif booking.status != BookingStatus.BOOKED:
        raise WrongStatus(booking.status)
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.updated_at = now
    db.session.flush()


def mark_no_show(booking: Booking, *, now: datetime) -> None:
    """Mark that the candidate did not come; the seat goes free for a walk-in."""
    if booking.status not in LIVE_BOOKING_STATUSES:
        raise WrongStatus(booking.status)
    booking_services.release_seat(booking.slot_id)
    booking.status = BookingStatus.NO_SHOW
    booking.checked_in_at = None
    booking.updated_at = now
    db.session.flush()


def undo_attendance(booking: Booking, *, now: datetime) -> None:
    """Put a checked-in or no-show booking back to booked."""
    if booking.status == BookingStatus.NO_SHOW:
        _retake_seat(booking)
    elif booking.status != BookingStatus.CHECKED_IN:
        raise WrongStatus(booking.status)
    booking.status = BookingStatus.BOOKED
    booking.checked_in_at = None
    booking.updated_at = now
    db.session.flush()


def _retake_seat(booking: Booking) -> None:
    try:
        booking_services.take_seat(booking.slot_id)
    except booking_services.SlotFull as exc:
        raise SeatTaken(booking.slot_id) from exc


def _new_reference() -> str:
    # Booking references come from one place, so walk-ins follow the same read-aloud alphabet.
    while True:
        reference = booking_services.new_reference()
        if db.session.scalar(sa.select(Booking.id).where(Booking.reference == reference)) is None:
            return reference


def add_walk_in(
    slot: Slot,
    *,
    contact_name: str,
    language: str,
    household_size: int,
    needs_interpreter: bool,
    now: datetime,
    over_capacity: bool = False,
) -> WalkIn:
    """Seat someone who came without a booking, checked in at once.

    With over_capacity (a coordinator's explicit choice) a full slot grows by one seat; a free seat is
    used first, so ticking the box "just in case" never makes a slot larger. `WalkIn.added_seat` says
    whether it grew, for the caller's audit record.
    :raises booking_services.SlotFull: when the slot is full and over_capacity is not set.
    """
    if slot.moment.status not in (MomentStatus.PUBLISHED, MomentStatus.CLOSED):
        raise WrongStatus(slot.moment.status)
    added_seat = False
    try:
        booking_services.take_seat(slot.id)
    except booking_services.SlotFull:
        if not over_capacity:
            raise
        # Conditional, like take_seat: if a seat came free in between, that seat is used instead.
        grown = db.session.execute(
            sa.update(Slot)
            .where(Slot.id == slot.id, Slot.booked >= Slot.capacity)
            .values(capacity=Slot.capacity + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(slot, ["capacity"])
        added_seat = grown.rowcount == 1
        booking_services.take_seat(slot.id)
    booking = Booking(
        reference=_new_reference(),
        # Walk-ins get no manage link; a random hash keeps the column unique and unusable.
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        moment_id=slot.moment_id,
        slot_id=slot.id,
        status=BookingStatus.CHECKED_IN,
        contact_name=contact_name.strip(),
        language=language,
        household_size=household_size,
        needs_interpreter=needs_interpreter,
        is_walk_in=True,
        checked_in_at=now,
        created_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    return WalkIn(booking=booking, added_seat=added_seat)
