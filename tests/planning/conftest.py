"""Fixtures for the planning tests: staff users, a moment with slots, and bookings that hold real seats."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime, time

import pytest

from inschrijving.booking.models import BookedBy, Booking, BookingStatus
from inschrijving.booking.services import seats
from inschrijving.db_types import utcnow
from inschrijving.planning.models import MomentKind
from inschrijving.planning.services import moments
from tests.factories.accounts import UserFactory

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HELD_ON = date(2026, 12, 8)  # a Tuesday
_numbers = itertools.count(1)


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True, name="Cora Coördinator")


@pytest.fixture
def volunteer(db):
    """A volunteer who staffs every moment of the test: who reaches which moment is tested apart
    (tests/dossiers/test_volunteer_scope.py); these tests are about what the pages do."""
    from tests.factories.planning import staffing_every_moment

    user = UserFactory(name="Vic Vrijwilliger")
    with staffing_every_moment(user):
        yield user


@pytest.fixture
def by(coordinator):
    """Who acts in a staff service call: the coordinator, from an address of the documentation range."""
    return {"actor": coordinator, "ip": "192.0.2.10"}


@pytest.fixture
def moment(db, by):
    """A published moment on 8 December 2026: 09:00-11:00 in 30-minute slots with 2 desks (8 seats)."""
    plan = moments.plan_moment(
        kind=MomentKind.REGISTRATION,
        held_on=HELD_ON,
        location_name="Sociaal Huis Kortrijk",
        address="Budastraat 27, 8500 Kortrijk",
        blocks=[(time(9), time(11))],
        slot_minutes=30,
        desks=2,
        now=NOW,
    )
    created = moments.create_moment(plan, **by)
    moments.publish_moment(created, now=utcnow(), **by)
    return created


def make_booking(slot, *, name=None, email=None, phone=None, status=BookingStatus.BOOKED, **extra) -> Booking:
    """A booking that took its seat the way the booking domain does: through take_seat."""
    n = next(_numbers)
    seats.take_seat(slot.id)
    booking = Booking(
        reference=f"T{n:02d}-{n:03d}"[:7],
        token_hash=hashlib.sha256(f"token-{n}".encode()).hexdigest(),
        moment_id=slot.moment_id,
        slot_id=slot.id,
        status=status,
        contact_name=name or f"Kandidaat {n}",
        phone=phone or (None if email else f"+3247000{n:04d}"),
        email=email,
        booked_by=extra.pop("booked_by", BookedBy.SELF),
        **extra,
    )
    from inschrijving.extensions import db

    db.session.add(booking)
    db.session.flush()
    return booking


@pytest.fixture
def book():
    return make_booking
