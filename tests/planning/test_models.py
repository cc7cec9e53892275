"""Facts about one moment: the booking window and what may happen next. Where lists need a fact in SQL, the
Python answer and the SQL twin are asked on the same rows and must agree."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking.services.seats import load_seat_target
from inschrijving.planning.models import BookingClosedReason, MomentKind, MomentStatus, RegistrationMoment
from tests.factories.planning import MomentFactory, SlotFactory

OPENS = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
CLOSES = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
# Before the window, its first instant, inside, its last instant and the closing instant itself, after.
TIMES = [OPENS - timedelta(seconds=1), OPENS, OPENS + timedelta(days=9), CLOSES - timedelta(seconds=1), CLOSES,
         CLOSES + timedelta(days=1)]


@pytest.fixture
def every_moment(db) -> list[RegistrationMoment]:
    """One moment of each kind and status, all with the same booking window."""
    return [
        MomentFactory(kind=kind, status=status, booking_opens_at=OPENS, booking_closes_at=CLOSES)
        for kind, status in itertools.product(MomentKind, MomentStatus)
    ]


@pytest.mark.parametrize("now", TIMES)
def test_the_booking_window_reason_is_the_same_in_python_and_in_sql(db, every_moment, now):
    in_python = {m.id: m.booking_closed_reason(now) for m in every_moment}
    in_database = dict(db.session.execute(
        sa.select(RegistrationMoment.id, RegistrationMoment.booking_closed_reason(now))
    ).all())
    assert in_database == in_python  # a StrEnum equals its string


@pytest.mark.parametrize("now", TIMES)
@pytest.mark.parametrize("fact", ["takes_bookings", "booking_open_or_upcoming"])
def test_list_filters_pick_the_rows_python_says(db, every_moment, now, fact):
    picked = set(db.session.scalars(
        sa.select(RegistrationMoment.id).where(getattr(RegistrationMoment, fact)(now))
    ))
    assert picked == {m.id for m in every_moment if getattr(m, fact)(now)}


def test_only_a_published_registration_moment_inside_its_window_takes_bookings(db):
    moment = MomentFactory(booking_opens_at=OPENS, booking_closes_at=CLOSES)
    inside = OPENS + timedelta(days=1)
    assert moment.booking_closed_reason(inside) is None and moment.takes_bookings(inside)
    assert moment.booking_closed_reason(OPENS - timedelta(seconds=1)) == BookingClosedReason.NOT_YET_OPEN
    assert moment.booking_closed_reason(CLOSES) == BookingClosedReason.CLOSED
    before = OPENS - timedelta(days=1)
    assert moment.booking_open_or_upcoming(before) and not moment.takes_bookings(before)
    moment.status = MomentStatus.CLOSED
    assert moment.booking_closed_reason(inside) == BookingClosedReason.NOT_PUBLISHED
    moment.status, moment.kind = MomentStatus.PUBLISHED, MomentKind.INFO
    assert moment.booking_closed_reason(inside) == BookingClosedReason.NOT_BOOKABLE
    assert not moment.booking_open_or_upcoming(inside)


def test_the_public_booking_reads_the_same_reason_from_plain_values(db, every_moment):
    for moment in every_moment:
        target = load_seat_target(SlotFactory(moment=moment).id)
        for now in TIMES:
            assert target.booking_closed_reason(now) == moment.booking_closed_reason(now)


@pytest.mark.parametrize(
    ("status", "publish", "close", "cancel", "walk_ins"),
    [
        (MomentStatus.DRAFT, True, False, True, False),
        (MomentStatus.PUBLISHED, False, True, True, True),
        (MomentStatus.CLOSED, True, False, True, True),
        (MomentStatus.CANCELLED, False, False, False, False),
    ],
)
def test_what_may_happen_next_to_a_moment(status, publish, close, cancel, walk_ins):
    moment = RegistrationMoment(status=status)
    assert (moment.can_publish, moment.can_close, moment.can_cancel, moment.takes_walk_ins) == (
        publish, close, cancel, walk_ins)
