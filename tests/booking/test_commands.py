from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking import queries
from inschrijving.booking.services import lifecycle, reminders
from inschrijving.booking.services.base import ContactDetails
from inschrijving.db_types import utcnow
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from tests.factories.accounts import UserFactory
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory


def test_send_reminders_twice_queues_one_reminder_and_send_outbox_writes_it(app, db):
    now = utcnow()
    moment = MomentFactory(held_on=(now + timedelta(days=1)).date(), booking_opens_at=now - timedelta(days=9),
                           booking_closes_at=now + timedelta(hours=2))
    slot = SlotFactory(moment=moment, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, minutes=30))
    BookingFactory(slot=slot, phone="056 27 72 00")  # a landline: the reminder goes by e-mail only
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "queued 1 reminders" in first.output
    second = runner.invoke(args=["send-reminders"])
    assert "queued 0 reminders" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    sent = runner.invoke(args=["send-outbox"])
    assert sent.exit_code == 0 and "sent 1" in sent.output
    assert "sent 0" in runner.invoke(args=["send-outbox"]).output


def _soon_slot(now, **kwargs):
    """A slot tomorrow, inside the reminder window, of a moment that still takes bookings until an hour from now."""
    moment = MomentFactory(held_on=(now + timedelta(days=1)).date(), booking_opens_at=now - timedelta(days=9),
                           booking_closes_at=now + timedelta(hours=1))
    return SlotFactory(moment=moment, starts_at=now + timedelta(days=1),
                       ends_at=now + timedelta(days=1, minutes=30), **kwargs)


def _late_booking(now):
    issued = lifecycle.book_slot(_soon_slot(now).id, details=ContactDetails("Late Boeker", email="laat@example.org"),
                                now=now)
    return issued.booking, issued.token


def _move_closer(now):
    booking = BookingFactory()  # three weeks away
    lifecycle.move_by_candidate(booking, new_slot=_soon_slot(now), now=now)
    return booking, f"token-{booking.reference}"


def _staff_move_after_the_reminder(now):
    slot = _soon_slot(now)
    booking = BookingFactory(slot=slot, reminder_sent_at=now - timedelta(hours=3))
    lifecycle.move_by_staff(booking, target=SlotFactory(moment=slot.moment, starts_at=slot.ends_at,
                                                        ends_at=slot.ends_at + timedelta(minutes=30)),
                            actor=UserFactory(coordinator=True), ip=None, now=now)
    return booking, f"token-{booking.reference}"


def _claim_close_to_the_day(now):
    slot = _soon_slot(now, capacity=1)
    leaving = BookingFactory(slot=slot, reminder_sent_at=now - timedelta(hours=3))
    WaitlistEntryFactory(moment=slot.moment, email="wacht@example.org")
    lifecycle.cancel_by_candidate(leaving, now=now)
    offer = re.search(r"/aanbod/([\w-]+)", message_text(db_last_message())).group(1)
    issued = lifecycle.claim_offer(offer, now=now)
    return issued.booking, issued.token


def db_last_message() -> OutboxMessage:
    from inschrijving.extensions import db

    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


@pytest.mark.parametrize("make", [_late_booking, _move_closer, _staff_move_after_the_reminder,
                                  _claim_close_to_the_day], ids=lambda f: f.__name__.strip("_"))
def test_a_booking_made_or_moved_close_to_the_day_keeps_the_link_it_was_just_given(app, db, make):
    # Its confirmation or move notice is the reminder: a reminder on top would rotate the token and kill
    # the link that notice (and the printed letter's QR code) carries.
    now = utcnow()
    booking, token = make(now)
    db.session.commit()
    assert booking.reminder_sent_at is not None
    messages_before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "queued 0 reminders" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == messages_before
    assert queries.get_booking_by_token(token).id == booking.id


def test_a_booking_moved_further_away_is_reminded_of_its_new_time(app, db):
    now = utcnow()
    booking = BookingFactory(slot=_soon_slot(now), reminder_sent_at=now - timedelta(hours=3))
    later = SlotFactory()  # three weeks away
    lifecycle.move_by_candidate(booking, new_slot=later, now=now)
    assert booking.reminder_sent_at is None
    # Within the window of the new time, send-reminders reminds it (once, with a fresh link).
    assert reminders.list_due_reminder_ids(now=later.starts_at - timedelta(days=1), days_before=2) == [booking.id]
