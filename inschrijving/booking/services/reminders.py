"""Reminder rules: one e-mail per live booking, a configurable number of days before its slot."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.booking.services import notices, waitlist
from inschrijving.booking.services.tokens import rotate_token
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications.services import DuplicateMessage
from inschrijving.planning.models import Slot


def reminder_key(booking: Booking) -> str:
    # The sequence is part of the key: a moved booking is reminded of its new time, once.
    return f"reminder:{booking.id}:{booking.sequence}"


def list_due_reminder_ids(*, now: datetime, days_before: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Booking.id)
            .join(Slot, Slot.id == Booking.slot_id)
            .where(
                Booking.status == BookingStatus.BOOKED,
                Booking.reminder_sent_at.is_(None),
                # An address, or a number that may take an SMS (notices.wants_sms says whether it is mobile).
                sa.or_(Booking.email.is_not(None),
                       sa.and_(Booking.phone.is_not(None), Booking.sms_opted_out_at.is_(None),
                               Booking.sms_refused_at.is_(None))),
                Slot.starts_at > now,
                Slot.starts_at <= now + timedelta(days=days_before),
            )
            .order_by(Slot.starts_at, Booking.id)
        )
    )


def send_reminder(booking_id: int, *, now: datetime) -> bool:
    """Queue the reminder for one booking, unless another run did; returns whether this run did.

    The manage token is not stored, so the reminder carries a fresh one: the e-mail says that this
    link replaces the old one (docs/booking.md explains the choice).
    """
    marked = db.session.execute(
        sa.update(Booking)
        .where(Booking.id == booking_id, Booking.reminder_sent_at.is_(None), Booking.status == BookingStatus.BOOKED)
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:
        return False
    booking = db.session.get(Booking, booking_id)
    db.session.refresh(booking)
    if not (notices.wants_email(booking) or notices.wants_sms(booking)):
        return False  # a landline only: nothing to send, and the letter's link must keep working
    token = rotate_token(booking)
    try:
        notices.queue_reminder(booking, token, now=now, dedupe_key=reminder_key(booking))
    except DuplicateMessage:
        return False
    return True


def run_reminders() -> dict[str, int]:
    """Expire unclaimed waiting-list offers, then queue due reminders; one commit per booking."""
    expired = waitlist.expire_offers(now=utcnow())
    db.session.commit()
    days = current_app.config["REMINDER_DAYS_BEFORE"]
    sent = 0
    for booking_id in list_due_reminder_ids(now=utcnow(), days_before=days):
        if send_reminder(booking_id, now=utcnow()):
            sent += 1
            db.session.commit()
        else:
            db.session.rollback()
    return {"reminders": sent, "expired_offers": expired}
