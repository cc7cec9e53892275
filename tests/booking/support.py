"""Small helpers the booking tests share: contact details, the outbox, seat counts and a waiting-list offer."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from inschrijving.booking.models import Booking, WaitlistEntry
from inschrijving.booking.services import lifecycle
from inschrijving.booking.services.base import ContactDetails
from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from inschrijving.planning.models import Slot
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import SlotFactory

# A social worker booking for a client (the booking-for-someone-else form's own fields).
WORKER = {
    "booked_by": "social_worker",
    "social_worker_name": "Sara Declercq",
    "social_worker_organisation": "CAW Zuid-West-Vlaanderen",
    "social_worker_phone": "056 23 45 67",
    "social_worker_email": "sara.declercq@caw.example.org",
}


def details(n: int = 1, **overrides) -> ContactDetails:
    values = {"contact_name": f"Amina {n}", "phone": f"+3247000000{n}", "email": f"amina{n}@example.org"}
    values.update(overrides)
    return ContactDetails(**values)


def outbox() -> list[OutboxMessage]:
    """The queued e-mails (SMS to the same bookings are tested in tests/notifications)."""
    return list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.channel == "email").order_by(OutboxMessage.id)))


def sms_outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id)))


def live_count(slot: Slot) -> int:
    """Live bookings of the slot, counted from the rows (the counter `slots.booked` must agree)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Booking).where(Booking.slot_id == slot.id, Booking.is_live)
    )


def make_offer(now: datetime) -> tuple[Slot, WaitlistEntry, str]:
    """A one-seat slot whose only booking the candidate cancelled: the seat is held for the first person waiting."""
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    entry = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=1))
    lifecycle.cancel_by_candidate(booking, now=now)
    token = re.search(r"/aanbod/([\w-]+)", message_text(outbox()[-1])).group(1)
    return slot, entry, token
