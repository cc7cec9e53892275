"""The day's transitions of a booking, through `booking.services.lifecycle`: check in, no-show, undo, walk-in.

Each is a staff step: it takes the acting user and their address and writes its own audit event.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import Booking, BookingStatus, WaitlistStatus
from inschrijving.booking.services import base, lifecycle
from inschrijving.planning.models import MomentStatus
from tests.booking.support import live_count, outbox
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory


def actions(db) -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id).order_by(AuditEvent.id)
    )
    return [tuple(row) for row in rows]


def walk_in(slot, by, **kwargs):
    values = {"contact_name": "Binnenloper", "language": "nl", "household_size": 1, "needs_interpreter": False}
    return lifecycle.add_walk_in(slot, **{**values, **kwargs}, **by)


def test_check_in_no_show_and_undo_keep_the_seat_count_and_are_audited(db, now, by):
    slot = SlotFactory(capacity=2)
    booking = BookingFactory(slot=slot)
    lifecycle.check_in(booking, now=now, **by)
    assert booking.status == BookingStatus.CHECKED_IN and booking.checked_in_at == now and slot.booked == 1
    lifecycle.undo_attendance(booking, now=now, **by)
    assert booking.status == BookingStatus.BOOKED and booking.checked_in_at is None and slot.booked == 1
    lifecycle.mark_no_show(booking, now=now, **by)
    assert booking.status == BookingStatus.NO_SHOW and slot.booked == 0  # the seat goes free for a walk-in
    lifecycle.undo_attendance(booking, now=now, **by)
    assert booking.status == BookingStatus.BOOKED and slot.booked == 1
    with pytest.raises(base.WrongBookingStatus):
        lifecycle.undo_attendance(booking, now=now, **by)
    assert actions(db) == [(action, "booking", booking.id) for action in (
        "booking.check_in", "booking.undo_attendance", "booking.no_show", "booking.undo_attendance")]
    assert {e.ip for e in db.session.scalars(sa.select(AuditEvent))} == {"192.0.2.20"}


def test_a_no_show_who_turns_up_late_is_checked_in_and_takes_a_seat_again(db, now, by):
    booking = BookingFactory()
    lifecycle.mark_no_show(booking, now=now, **by)
    lifecycle.check_in(booking, now=now, **by)
    assert booking.status == BookingStatus.CHECKED_IN and booking.slot.booked == 1 == live_count(booking.slot)


def test_a_checked_in_candidate_is_undone_before_a_no_show_and_a_cancelled_one_has_no_day(db, now, by):
    checked_in = BookingFactory(status=BookingStatus.CHECKED_IN)
    with pytest.raises(base.WrongBookingStatus):
        lifecycle.mark_no_show(checked_in, now=now, **by)
    cancelled = BookingFactory(cancelled=True)
    for step in (lifecycle.check_in, lifecycle.mark_no_show, lifecycle.undo_attendance):
        with pytest.raises(base.WrongBookingStatus):
            step(cancelled, now=now, **by)
    assert actions(db) == []


def test_the_seat_of_a_no_show_is_not_offered_to_the_waiting_list(db, now, by):
    booking = BookingFactory(slot=SlotFactory(capacity=1))
    waiting = WaitlistEntryFactory(moment=booking.moment)
    lifecycle.mark_no_show(booking, now=now, **by)
    assert waiting.status == WaitlistStatus.WAITING and booking.slot.booked == 0 and outbox() == []


def test_undo_no_show_refused_when_a_walk_in_took_the_seat(db, now, by):
    slot = SlotFactory(capacity=2)
    BookingFactory(slot=slot)
    late = BookingFactory(slot=slot)
    lifecycle.mark_no_show(late, now=now, **by)
    walk_in(slot, by, now=now, household_size=2)
    for step in (lifecycle.undo_attendance, lifecycle.check_in):
        with pytest.raises(base.SeatTaken):
            step(late, now=now, **by)
    assert late.status == BookingStatus.NO_SHOW and slot.booked == 2


def test_walk_in_takes_a_free_seat_and_is_checked_in(db, now, by):
    slot = SlotFactory(capacity=2)
    seated = walk_in(slot, by, now=now, contact_name=" Binnenloper ", language="ar", household_size=4,
                     needs_interpreter=True)
    walk_in_booking = seated.booking
    assert not seated.added_seat
    assert walk_in_booking.is_walk_in and walk_in_booking.status == BookingStatus.CHECKED_IN
    assert walk_in_booking.checked_in_at == now and walk_in_booking.needs_interpreter
    assert walk_in_booking.contact_name == "Binnenloper" and walk_in_booking.language == "ar"
    assert len(walk_in_booking.reference) == 7 and walk_in_booking.reference[3] == "-"
    assert walk_in_booking.phone is None and walk_in_booking.email is None and not walk_in_booking.can_reissue_link
    assert slot.booked == 1 and outbox() == []
    assert actions(db) == [("booking.walk_in", "booking", walk_in_booking.id)]


def test_walk_in_into_a_full_slot_needs_a_coordinators_over_capacity(db, now, by, by_volunteer):
    slot = SlotFactory(capacity=2)
    BookingFactory(slot=slot)
    BookingFactory(slot=slot)
    with pytest.raises(base.SlotFull):
        walk_in(slot, by, now=now, contact_name="Te veel")
    # A volunteer's tick does not grow the slot: only a coordinator adds seats.
    with pytest.raises(base.SlotFull):
        walk_in(slot, by_volunteer, now=now, contact_name="Te veel", over_capacity=True)
    seated = walk_in(slot, by, now=now, contact_name="Toch", over_capacity=True)
    assert seated.added_seat
    assert (slot.capacity, slot.booked) == (3, 3) and live_count(slot) == 3
    assert actions(db) == [("slot.capacity_raised_for_walk_in", "slot", slot.id),
                           ("booking.walk_in", "booking", seated.booking.id)]
    assert lifecycle.may_add_seats(by["actor"]) and not lifecycle.may_add_seats(by_volunteer["actor"])


def test_over_capacity_uses_a_free_seat_first(db, now, by):
    slot = SlotFactory(capacity=2)
    BookingFactory(slot=slot)
    seated = walk_in(slot, by, now=now, contact_name="Voor de zekerheid", over_capacity=True)
    assert not seated.added_seat
    assert (slot.capacity, slot.booked) == (2, 2)


@pytest.mark.parametrize("status", [MomentStatus.DRAFT, MomentStatus.CANCELLED])
def test_walk_in_refused_on_a_day_that_does_not_run(db, now, by, status):
    slot = SlotFactory(moment=MomentFactory(status=status))
    with pytest.raises(base.MomentNotRunning):
        walk_in(slot, by, now=now)
    assert slot.booked == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_a_walk_in_on_a_closed_day_after_its_slot_started(db, now, by):
    # Closed for booking, the day still happens; a late walk-in joins a slot under way.
    moment = MomentFactory(status=MomentStatus.CLOSED, held_on=now.date())
    slot = SlotFactory(moment=moment, starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=20))
    assert walk_in(slot, by, now=now).booking.slot_id == slot.id
