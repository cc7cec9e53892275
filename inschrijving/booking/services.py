"""Booking rules: taking and giving back seats, booking, moving, cancelling, the waiting list."""

from __future__ import annotations

import sqlalchemy as sa

from inschrijving.extensions import db
from inschrijving.planning.models import Slot


class BookingError(Exception):
    """Base class for booking rule violations."""


class SlotFull(BookingError):
    """No free seat left in the slot."""


def take_seat(slot_id: int) -> None:
    """Take one seat in a slot atomically, or raise SlotFull.

    One conditional UPDATE: the database compares and increments in a single step, so two
    requests can never both take the last seat (SQLite ignores SELECT ... FOR UPDATE; this
    works on SQLite and PostgreSQL alike).
    """
    result = db.session.execute(
        sa.update(Slot)
        .where(Slot.id == slot_id, Slot.booked < Slot.capacity)
        .values(booked=Slot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise SlotFull(slot_id)
    _expire_slot(slot_id)


def release_seat(slot_id: int) -> None:
    """Give one seat back to a slot."""
    db.session.execute(
        sa.update(Slot)
        .where(Slot.id == slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1)
        .execution_options(synchronize_session=False)
    )
    _expire_slot(slot_id)


def _expire_slot(slot_id: int) -> None:
    # The UPDATE bypassed the identity map: make a loaded Slot re-read its counter.
    slot = db.session.identity_map.get(db.session.identity_key(Slot, slot_id))
    if slot is not None:
        db.session.expire(slot, ["booked"])
