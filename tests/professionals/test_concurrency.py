"""Professionals racing for the last seats of an info moment, with real commits (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.models import Slot
from inschrijving.professionals.services import registration
from tests.booking.test_concurrency import THREADS, race
from tests.professionals.conftest import make_info_session


def test_threads_racing_for_the_last_info_moment_seats_never_overbook(committed_app):
    slot = make_info_session(seats=10)
    db.session.commit()
    slot_id = slot.id

    def register(i: int) -> None:
        # Every professional wants 3 seats: at most three registrations (9 seats) fit in 10.
        details = registration.professional_details(
            name=f"Racer {i}", organisation="OCMW", email=f"racer{i}@ocmw.example.org", phone=None, language="nl",
            attendees=3, remark=None)
        registration.register(slot_id, details=details, now=utcnow())

    outcomes = race(committed_app, register)
    assert outcomes == Counter({"ok": 3, "SlotFull": THREADS - 3})
    db.session.expire_all()
    booked = db.session.scalar(sa.select(Slot.booked).where(Slot.id == slot_id))
    seats = db.session.scalar(sa.select(sa.func.sum(Booking.seats)).where(Booking.slot_id == slot_id, Booking.is_live))
    assert booked == seats == 9
