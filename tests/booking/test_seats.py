"""The seat statements and the busiest write: one conditional UPDATE per seat change, the booking row written
without a pre-check, a reference drawn again on a collision."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inschrijving.booking import queries
from inschrijving.booking.models import WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import base, lifecycle, new_booking, seats
from inschrijving.extensions import db as _db
from inschrijving.planning.models import Slot
from tests.booking.support import details, live_count, outbox
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import SlotFactory


def counters(slot: Slot) -> tuple[int, int]:
    """(booked, capacity) as the database holds them now."""
    return tuple(_db.session.execute(sa.select(Slot.booked, Slot.capacity).where(Slot.id == slot.id)).one())


def test_taking_the_last_seat_then_one_more_refuses_and_release_never_goes_below_zero(db):
    slot = SlotFactory(capacity=1)
    seats.take_seat(slot.id)
    with pytest.raises(base.SlotFull):
        seats.take_seat(slot.id)
    assert slot.booked == 1  # the loaded row reads its counter again
    seats.release_seat(slot.id)
    seats.release_seat(slot.id)
    assert counters(slot) == (0, 1)


def test_a_full_slot_grows_by_one_seat_but_a_slot_with_a_free_seat_does_not(db):
    slot = SlotFactory(capacity=1)
    assert not seats.grow_full_slot(slot.id)
    seats.take_seat(slot.id)
    assert seats.grow_full_slot(slot.id)
    assert (slot.booked, slot.capacity) == (1, 2)


def test_a_new_capacity_below_the_seats_taken_is_refused_and_changes_nothing(db):
    slot = SlotFactory(capacity=3)
    seats.take_seat(slot.id)
    seats.take_seat(slot.id)
    assert not seats.set_capacity(slot.id, 1)
    assert counters(slot) == (2, 3)
    assert seats.set_capacity(slot.id, 2)
    assert slot.capacity == 2


def test_emptying_a_moment_frees_every_seat_of_it_and_no_other(db):
    first = SlotFactory(capacity=2)
    second = SlotFactory(moment=first.moment, capacity=2)
    elsewhere = SlotFactory(capacity=2)
    for slot in (first, first, second, elsewhere):
        BookingFactory(slot=slot)
    db.session.flush()
    seats.empty_moment(first.moment)
    assert (first.booked, second.booked, elsewhere.booked) == (0, 0, 1)


def test_a_held_offer_counts_as_a_taken_seat(db, now):
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    WaitlistEntryFactory(moment=slot.moment)
    lifecycle.cancel_by_candidate(booking, now=now)
    assert counters(slot) == (1, 1) and live_count(slot) == 0
    assert db.session.scalar(sa.select(WaitlistEntry.status)) == WaitlistStatus.OFFERED


def test_the_database_index_catches_a_duplicate_without_a_query_first(db, now, monkeypatch):
    slot = SlotFactory()
    existing = lifecycle.book_slot(slot.id, details=details(1), now=now).booking
    real = queries.get_live_booking_for_contact
    seats_when_asked = []

    def after_the_insert(*args, **kwargs):
        # Asked only once the insert failed: the new seat is still taken (the caller rolls it back).
        seats_when_asked.append(db.session.scalar(sa.select(Slot.booked).where(Slot.id == slot.id)))
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "get_live_booking_for_contact", after_the_insert)
    with pytest.raises(base.DuplicateContact) as caught:
        lifecycle.book_slot(slot.id, details=details(2, phone=existing.phone), now=now)
    assert caught.value.existing.id == existing.id
    assert seats_when_asked == [2]
    assert len(outbox()) == 1  # the refused booking's confirmation went with its insert


def test_reference_collisions_are_retried(db, now, monkeypatch):
    BookingFactory(reference="AAA-AAA")
    drawn = iter(["AAA-AAA", "CCC-CCC"])
    monkeypatch.setattr(new_booking, "new_reference", lambda: next(drawn))
    slot = SlotFactory()
    issued = lifecycle.book_slot(slot.id, details=details(), now=now)
    assert issued.booking.reference == "CCC-CCC"
    assert slot.booked == live_count(slot) == 1  # the seat is taken once, not once per attempt
    assert [m.subject for m in outbox()] == ["Uw afspraak CCC-CCC is bevestigd"]


def test_a_refusal_by_another_unique_index_is_not_redrawn_in_vain(db, now, monkeypatch):
    from inschrijving.booking.services.seats import Written

    attempts = []

    def refused(*args, **kwargs):
        attempts.append(kwargs["take_seat"])
        return Written(seat_taken=True, booking_id=None)

    # Neither a duplicate contact nor a taken reference: something else refused the row.
    monkeypatch.setattr(new_booking, "write_booking", refused)
    with pytest.raises(base.BookingError, match="unique index"):
        lifecycle.book_slot(SlotFactory().id, details=details(), now=now)
    assert attempts == [True]


