"""The booking rules around the life cycle: manage links, the waiting list (join, hold, expire, next moment)
and reminders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking import queries
from inschrijving.booking.models import WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import base, lifecycle, reminders, tokens, waitlist
from inschrijving.notifications.services import message_text
from inschrijving.planning.models import MomentStatus
from tests.booking.support import details, make_offer, outbox
from tests.factories.accounts import UserFactory
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_unknown_tokens_find_nothing(db, token):
    BookingFactory()
    assert queries.get_booking_by_token(token) is None


def test_resend_mails_a_second_link_and_the_first_keeps_working(db, now):
    # Anyone who knows the phone number can ask for a resend: it must not kill the candidate's link.
    first, first_hash = tokens.new_token()
    booking = BookingFactory(token_hash=first_hash)
    outcome = tokens.resend_manage_link(booking, now=now)
    assert outcome.emailed
    assert booking.token_hash == first_hash
    [message] = outbox()
    assert message.recipient == booking.email
    assert "De oude link blijft ook werken" in message_text(message)
    token = re.search(r"/afspraak/([\w-]+)", message_text(message)).group(1)
    assert queries.get_booking_by_token(token) is booking
    assert queries.get_booking_by_token(first) is booking
    # A second resend replaces the second link only; a volunteer's reissue revokes both.
    tokens.resend_manage_link(booking, now=now)
    assert queries.get_booking_by_token(token) is None
    assert queries.get_booking_by_token(first) is booking
    tokens.reissue_manage_link(booking, actor=UserFactory(), ip=None, now=now)
    assert queries.get_booking_by_token(first) is None
    assert booking.next_token_hash is None


def test_resend_without_email_asks_to_call(db, now):
    booking = BookingFactory(phone_only=True)
    assert not tokens.resend_manage_link(booking, now=now).emailed
    assert outbox() == []


# Waiting list


def test_join_waitlist_needs_a_mobile_number_or_an_email_and_only_once(db, now):
    moment = MomentFactory()
    with pytest.raises(base.WaitlistError):
        waitlist.join_waitlist(moment, details=details(email=None, phone=None), now=now)
    with pytest.raises(base.WaitlistError):  # a landline cannot take the SMS an offer goes by
        waitlist.join_waitlist(moment, details=details(email=None, phone="+3256234567"), now=now)
    with pytest.raises(base.WaitlistError):  # news of a new date goes by e-mail only
        waitlist.join_waitlist(None, details=details(email=None, phone="+32470112233"), now=now)
    texted = waitlist.join_waitlist(moment, details=details(email=None, phone="+32470112233"), now=now)
    assert texted.status == WaitlistStatus.WAITING
    entry = waitlist.join_waitlist(moment, details=details(), now=now)
    assert entry.status == WaitlistStatus.WAITING
    with pytest.raises(base.AlreadyWaiting):
        waitlist.join_waitlist(moment, details=details(), now=now)


def test_a_freed_seat_is_held_for_the_first_person_waiting(db, now):
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    first = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=2))
    second = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=1))
    lifecycle.cancel_by_candidate(booking, now=now)
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == WaitlistStatus.OFFERED
    assert first.offered_slot_id == slot.id
    assert first.offer_expires_at == now + timedelta(hours=24)
    assert second.status == WaitlistStatus.WAITING
    assert slot.booked == 1  # held for the offer: nobody else can book it
    with pytest.raises(base.SlotFull):
        lifecycle.book_slot(slot.id, details=details(9), now=now)
    offer_mail = outbox()[-1]
    assert offer_mail.recipient == first.email
    assert "/aanbod/" in message_text(offer_mail)


def test_an_expired_offer_passes_to_the_next_person(db, now):
    slot, entry, token = make_offer(now)
    nxt = WaitlistEntryFactory(moment=slot.moment, created_at=now)
    later = now + timedelta(hours=25)
    with pytest.raises(base.OfferGone):
        lifecycle.claim_offer(token, now=later)
    assert waitlist.expire_offers(now=later) == 1
    db.session.refresh(entry)
    db.session.refresh(nxt)
    assert entry.status == WaitlistStatus.EXPIRED
    assert nxt.status == WaitlistStatus.OFFERED
    assert slot.booked == 1
    assert waitlist.expire_offers(now=later) == 0


def test_an_expired_offer_with_nobody_left_frees_the_seat(db, now):
    slot, _entry, _token = make_offer(now)
    waitlist.expire_offers(now=now + timedelta(hours=25))
    assert slot.booked == 0


def test_next_moment_subscribers_hear_once(db, now):
    WaitlistEntryFactory(moment=None)
    WaitlistEntryFactory(moment=None)
    moment = MomentFactory(status=MomentStatus.PUBLISHED)
    assert waitlist.notify_next_moment_subscribers(moment, now) == 2
    assert waitlist.notify_next_moment_subscribers(moment, now) == 0
    assert all(f"/inschrijven/{moment.id}" in message_text(m) for m in outbox())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WaitlistEntry).where(
        WaitlistEntry.status == WaitlistStatus.NOTIFIED)) == 2


# Reminders


def test_reminders_are_sent_once_with_a_fresh_link(db, now):
    soon = SlotFactory(moment=MomentFactory(held_on=(now + timedelta(days=1)).date(),
                                            booking_opens_at=now - timedelta(days=30),
                                            booking_closes_at=now + timedelta(hours=1)))
    soon.starts_at, soon.ends_at = now + timedelta(days=1), now + timedelta(days=1, minutes=30)
    due = BookingFactory(slot=soon)
    BookingFactory(slot=soon, phone_only=True, phone="+3256277200")  # a landline only: nothing to send it by
    BookingFactory()  # three weeks away
    old_hash = due.token_hash
    ids = reminders.list_due_reminder_ids(now=now, days_before=2)
    assert due.id in ids
    assert reminders.send_reminder(due.id, now=now)
    db.session.refresh(due)
    assert due.reminder_sent_at == now
    assert due.token_hash != old_hash
    [message] = outbox()
    token = re.search(r"/afspraak/([\w-]+)", message_text(message)).group(1)
    assert queries.get_booking_by_token(token).id == due.id
    assert "vervangt de oude link" in message_text(message)
    assert due.id not in reminders.list_due_reminder_ids(now=now, days_before=2)
    assert not reminders.send_reminder(due.id, now=now)
    assert len(outbox()) == 1


def test_someone_waiting_with_only_a_mobile_number_is_offered_the_seat_by_sms(db, now):
    # Issue 18: many candidates have a phone and no e-mail; the waiting list must reach them too.
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    entry = waitlist.join_waitlist(slot.moment, details=details(email=None, phone="+32470112233"), now=now)
    lifecycle.cancel_by_candidate(booking, now=now)
    db.session.refresh(entry)
    assert entry.status == WaitlistStatus.OFFERED
    from inschrijving.notifications.models import OutboxMessage

    offers = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "+32470112233")).all()
    assert [m.channel for m in offers] == ["sms"] and "/k/" in offers[0].body_text
