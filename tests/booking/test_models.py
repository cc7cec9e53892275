"""Facts about one booking and one waiting-list entry: what staff and the candidate may do with it now.

`is_live` is also a filter in SQL; its Python answer and its SQL twin are asked on the same rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import Booking, BookingStatus, WaitlistStatus
from inschrijving.planning.models import MomentKind, RegistrationMoment
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import SlotFactory

# status: (is_live, can_check_in, can_mark_no_show, can_undo_attendance, can_move, can_start_dossier)
FACTS = {
    BookingStatus.BOOKED: (True, True, True, False, True, True),
    BookingStatus.CHECKED_IN: (True, False, False, True, True, True),
    BookingStatus.NO_SHOW: (False, True, False, True, False, False),
    BookingStatus.CANCELLED: (False, False, False, False, False, False),
}


@pytest.mark.parametrize("status", list(BookingStatus))
def test_the_day_facts_of_each_status(status):
    booking = Booking(status=status, is_walk_in=False, moment=RegistrationMoment(kind=MomentKind.REGISTRATION))
    assert (booking.is_live, booking.can_check_in, booking.can_mark_no_show, booking.can_undo_attendance,
            booking.can_move, booking.can_start_dossier) == FACTS[status]
    assert booking.can_reissue_link == booking.is_live
    # An info moment's registration never starts a dossier, whatever its status.
    booking.moment = RegistrationMoment(kind=MomentKind.INFO)
    assert not booking.can_start_dossier


def test_is_live_is_the_same_in_python_and_in_sql(db):
    bookings = [BookingFactory(status=status) for status in BookingStatus]
    live = set(db.session.scalars(sa.select(Booking.id).where(Booking.is_live)))
    assert live == {b.id for b in bookings if b.is_live}
    assert len(live) == 2


def test_a_walk_in_never_gets_a_new_manage_link(db):
    assert not Booking(status=BookingStatus.CHECKED_IN, is_walk_in=True).can_reissue_link


def test_a_candidate_changes_an_expected_booking_until_its_slot_starts(db):
    booking = BookingFactory()
    starts = booking.slot.starts_at
    assert booking.candidate_can_change(starts - timedelta(seconds=1))
    assert not booking.candidate_can_change(starts)
    booking.status = BookingStatus.CHECKED_IN
    assert not booking.candidate_can_change(starts - timedelta(days=1))


def test_an_offer_is_open_until_it_expires_or_is_used(db):
    entry = WaitlistEntryFactory(status=WaitlistStatus.OFFERED, offered_slot=SlotFactory())
    entry.offer_expires_at = entry.created_at + timedelta(hours=24)
    assert entry.offer_is_open(entry.offer_expires_at - timedelta(seconds=1))
    assert not entry.offer_is_open(entry.offer_expires_at)
    entry.status = WaitlistStatus.BOOKED
    assert not entry.offer_is_open(entry.created_at)
