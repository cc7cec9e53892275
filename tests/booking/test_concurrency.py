"""Many threads race for the last seats through the real services, with real commits.

Each thread has its own app context and so its own session and connection, like a request in a
worker. Exactly the capacity may succeed; the rest must get SlotFull (or OfferGone), and the seat
counters must equal the live bookings afterwards.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from inschrijving.booking.models import Booking, WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import base, lifecycle
from inschrijving.booking.services.base import ContactDetails
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from inschrijving.planning.models import Slot
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory

THREADS = 24


def race(app, work, n: int = THREADS) -> Counter:
    """Run work(i) in n threads released at the same instant; count outcomes by name."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                work(i)
                db.session.commit()
                outcome = "ok"
            except base.BookingError as exc:
                db.session.rollback()
                outcome = type(exc).__name__
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def live_bookings(slot_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Booking).where(
            Booking.slot_id == slot_id, Booking.status.in_(("booked", "checked_in"))
        )
    )


def booked_counter(slot_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(Slot.booked).where(Slot.id == slot_id))


def test_threads_racing_for_the_last_seats(committed_app):
    slot = SlotFactory(capacity=5)
    BookingFactory(slot=slot)
    BookingFactory(slot=slot)
    db.session.commit()
    slot_id = slot.id

    def book(i: int) -> None:
        target = db.session.get(Slot, slot_id)
        details = ContactDetails(contact_name=f"Racer {i}", phone=f"+324710000{i:02d}", email=f"racer{i}@example.org")
        lifecycle.book_slot(target.id, details=details, now=utcnow())

    outcomes = race(committed_app, book)
    assert outcomes == Counter({"ok": 3, "SlotFull": THREADS - 3})
    assert booked_counter(slot_id) == live_bookings(slot_id) == 5
    # Only the winners' confirmations were queued: a losing transaction left nothing behind.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.channel == "email")) == 3


def test_the_same_contact_racing_gets_one_booking(committed_app):
    moment = MomentFactory()
    slots = [SlotFactory(moment=moment, capacity=THREADS) for _ in range(3)]
    db.session.commit()
    slot_ids = [s.id for s in slots]

    def book(i: int) -> None:
        target = db.session.get(Slot, slot_ids[i % 3])
        lifecycle.book_slot(target.id, details=ContactDetails(contact_name="Zelfde", phone="+32470999999"),
                            now=utcnow())

    outcomes = race(committed_app, book)
    assert outcomes == Counter({"ok": 1, "DuplicateContact": THREADS - 1})
    assert sum(booked_counter(i) for i in slot_ids) == sum(live_bookings(i) for i in slot_ids) == 1


def test_threads_racing_to_move_into_the_last_seats(committed_app):
    moment = MomentFactory()
    target = SlotFactory(moment=moment, capacity=3)
    origins = [SlotFactory(moment=moment, capacity=THREADS) for _ in range(2)]
    bookings = [BookingFactory(slot=origins[i % 2]) for i in range(THREADS)]
    db.session.commit()
    booking_ids, target_id = [b.id for b in bookings], target.id

    def move(i: int) -> None:
        booking = db.session.get(Booking, booking_ids[i])
        lifecycle.move_by_candidate(booking, new_slot=db.session.get(Slot, target_id), now=utcnow())

    outcomes = race(committed_app, move)
    assert outcomes == Counter({"ok": 3, "SlotFull": THREADS - 3})
    for slot_id in [target_id, *(o.id for o in origins)]:
        assert booked_counter(slot_id) == live_bookings(slot_id)
    assert booked_counter(target_id) == 3


def test_a_waiting_list_offer_is_claimed_once_while_others_try_to_book_the_seat(committed_app):
    now = utcnow()
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=1))
    db.session.commit()
    lifecycle.cancel_by_candidate(booking, now=now)
    db.session.commit()
    token = re.search(r"/aanbod/([\w-]+)", message_text(db.session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first())).group(1)
    slot_id = slot.id

    def claim_or_book(i: int) -> None:
        if i % 2:
            lifecycle.claim_offer(token, now=utcnow())
        else:
            details = ContactDetails(contact_name=f"Snel {i}", phone=f"+324720000{i:02d}")
            lifecycle.book_slot(slot_id, details=details, now=utcnow())

    outcomes = race(committed_app, claim_or_book)
    assert outcomes == Counter({"ok": 1, "OfferGone": THREADS // 2 - 1, "SlotFull": THREADS // 2})
    assert booked_counter(slot_id) == live_bookings(slot_id) == 1
    entry = db.session.scalars(sa.select(WaitlistEntry)).one()
    assert entry.status == WaitlistStatus.BOOKED
