from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking import reminders, services, waitlist
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import ContactDetails
from inschrijving.db_types import utcnow
from inschrijving.dossiers.models import Dossier
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import attachment_data, message_text
from inschrijving.planning.models import MomentKind, MomentStatus, Slot
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory


def details(n: int = 1, **overrides) -> ContactDetails:
    values = {"contact_name": f"Amina {n}", "phone": f"+3247000000{n}", "email": f"amina{n}@example.org"}
    values.update(overrides)
    return ContactDetails(**values)


def outbox(db) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def live_count(db, slot) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Booking).where(
            Booking.slot_id == slot.id, Booking.status.in_(("booked", "checked_in"))
        )
    )


@pytest.fixture
def now():
    return utcnow()


def test_book_slot_takes_a_seat_and_stores_only_the_token_hash(db, now):
    slot = SlotFactory(capacity=2)
    issued = services.book_slot(slot.id, details=details(), now=now)
    booking = issued.booking
    assert re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{3}-[ACDEFGHJKMNPQRTUVWXY34679]{3}", booking.reference)
    assert len(issued.token) >= 43  # 32 random bytes, url-safe base64
    assert booking.token_hash == services.hash_token(issued.token)
    assert issued.token not in booking.token_hash
    assert slot.booked == 1
    assert services.get_booking_by_token(issued.token) is booking
    [message] = outbox(db)
    assert message.recipient == "amina1@example.org"
    assert booking.reference in message.subject
    assert issued.token in message_text(message)
    assert message.attachments[0]["filename"] == "afspraak.ics"
    assert b"METHOD:PUBLISH" in attachment_data(message.attachments[0])


def test_phone_only_booking_sends_no_mail(db, now):
    slot = SlotFactory()
    services.book_slot(slot.id, details=details(email=None), now=now)
    assert outbox(db) == []


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_unknown_tokens_find_nothing(db, token):
    BookingFactory()
    assert services.get_booking_by_token(token) is None


def test_full_slot_refuses(db, now):
    slot = SlotFactory(capacity=1)
    services.book_slot(slot.id, details=details(1), now=now)
    with pytest.raises(services.SlotFull):
        services.book_slot(slot.id, details=details(2), now=now)
    assert slot.booked == 1


@pytest.mark.parametrize(
    ("shift", "reason"),
    [(lambda m: m.booking_opens_at - timedelta(minutes=1), "not_yet_open"),
     (lambda m: m.booking_closes_at, "closed")],
)
def test_booking_outside_the_window_is_refused_with_the_reason(db, shift, reason):
    slot = SlotFactory()
    with pytest.raises(services.BookingClosed) as caught:
        services.book_slot(slot.id, details=details(), now=shift(slot.moment))
    assert caught.value.reason == reason
    assert slot.booked == 0


def test_draft_moment_is_not_bookable(db, now):
    slot = SlotFactory(moment=MomentFactory(draft=True))
    with pytest.raises(services.BookingClosed) as caught:
        services.book_slot(slot.id, details=details(), now=now)
    assert caught.value.reason == "not_published"


def test_booking_an_unknown_slot_or_one_of_another_moment_is_refused(db, now):
    slot = SlotFactory()
    other = SlotFactory()
    with pytest.raises(services.SlotNotFound):
        services.book_slot(slot.id + other.id + 100, details=details(), now=now)
    with pytest.raises(services.SlotNotFound):
        services.book_slot(slot.id, moment_id=other.moment_id, details=details(), now=now)
    issued = services.book_slot(slot.id, moment_id=slot.moment_id, details=details(), now=now)
    assert issued.booking.slot_id == slot.id and issued.booking.moment_id == slot.moment_id
    assert issued.reference == issued.booking.reference
    assert (slot.booked, other.booked) == (1, 0)


def test_an_info_moment_takes_no_bookings_and_no_moves(db, now):
    info = SlotFactory(moment=MomentFactory(kind=MomentKind.INFO))
    with pytest.raises(services.BookingClosed) as caught:
        services.book_slot(info.id, details=details(), now=now)
    assert caught.value.reason == "not_bookable"
    booking = BookingFactory()
    with pytest.raises(services.BookingClosed) as caught:
        services.move_booking(booking, new_slot=info, now=now)
    assert caught.value.reason == "not_bookable"
    assert booking.slot_id != info.id and info.booked == 0


@pytest.mark.parametrize("field", ["phone", "email"])
def test_same_contact_cannot_hold_two_live_bookings_for_a_moment(db, now, field):
    first = SlotFactory()
    second = SlotFactory(moment=first.moment)
    existing = services.book_slot(first.id, details=details(1), now=now).booking
    clash = details(2, **{field: getattr(existing, field)})
    with pytest.raises(services.DuplicateContact) as caught:
        services.book_slot(second.id, details=clash, now=now)
    assert caught.value.existing is existing


def test_the_database_index_catches_a_duplicate_without_a_query_first(db, now, monkeypatch):
    slot = SlotFactory()
    existing = services.book_slot(slot.id, details=details(1), now=now).booking
    real = services.find_live_booking_for_contact
    seats_when_asked = []

    def after_the_insert(*args, **kwargs):
        # Asked only once the insert failed: the new seat is still taken (the caller rolls it back).
        seats_when_asked.append(db.session.scalar(sa.select(Slot.booked).where(Slot.id == slot.id)))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "find_live_booking_for_contact", after_the_insert)
    with pytest.raises(services.DuplicateContact) as caught:
        services.book_slot(slot.id, details=details(2, phone=existing.phone), now=now)
    assert caught.value.existing.id == existing.id
    assert seats_when_asked == [2]
    assert len(outbox(db)) == 1  # the refused booking's confirmation went with its insert


def test_a_duplicate_contact_on_a_full_slot_hears_about_its_booking(db, now):
    full = SlotFactory(capacity=1)
    existing = services.book_slot(full.id, details=details(1), now=now).booking
    with pytest.raises(services.DuplicateContact) as caught:
        services.book_slot(full.id, details=details(2, email=existing.email), now=now)
    assert caught.value.existing is existing
    with pytest.raises(services.SlotFull):
        services.book_slot(full.id, details=details(3), now=now)


def test_a_cancelled_booking_does_not_block_a_new_one(db, now):
    old = BookingFactory(cancelled=True)
    issued = services.book_slot(old.slot_id, details=details(phone=old.phone, email=old.email), now=now)
    assert issued.booking.id != old.id


def test_reference_collisions_are_retried(db, now, monkeypatch):
    BookingFactory(reference="AAA-AAA")
    drawn = iter(["AAA-AAA", "CCC-CCC"])
    monkeypatch.setattr(services, "new_reference", lambda: next(drawn))
    slot = SlotFactory()
    issued = services.book_slot(slot.id, details=details(), now=now)
    assert issued.booking.reference == "CCC-CCC"
    assert slot.booked == live_count(db, slot) == 1  # the seat is taken once, not once per attempt
    assert [m.subject for m in outbox(db)] == ["Uw afspraak CCC-CCC is bevestigd"]


def test_a_refusal_by_another_unique_index_is_not_redrawn_in_vain(db, now, monkeypatch):
    from inschrijving.booking.seats import Written

    attempts = []

    def refused(*args, **kwargs):
        attempts.append(kwargs["take_seat"])
        return Written(seat_taken=True, booking_id=None)

    # Neither a duplicate contact nor a taken reference: something else refused the row.
    monkeypatch.setattr(services, "write_booking", refused)
    with pytest.raises(services.BookingError, match="unique index"):
        services.book_slot(SlotFactory().id, details=details(), now=now)
    assert attempts == [True]


def test_move_keeps_the_row_reference_and_dossier_and_raises_the_sequence(db, now):
    booking = BookingFactory()
    old_slot = booking.slot
    dossier = Dossier(reference="DOS-001", booking_id=booking.id, moment_id=booking.moment_id)
    db.session.add(dossier)
    new_slot = SlotFactory(moment=booking.moment)
    services.move_booking(booking, new_slot=new_slot, now=now)
    db.session.flush()
    assert booking.slot_id == new_slot.id
    assert booking.sequence == 1
    assert (old_slot.booked, new_slot.booked) == (0, 1)
    assert db.session.get(Dossier, dossier.id).booking_id == booking.id
    assert "verplaatst" in outbox(db)[-1].subject


def test_move_to_another_moment(db, now):
    booking = BookingFactory()
    other = SlotFactory(moment=MomentFactory(held_on=booking.moment.held_on + timedelta(days=7)))
    reference = booking.reference
    services.move_booking(booking, new_slot=other, now=now)
    assert (booking.moment_id, booking.reference) == (other.moment_id, reference)


def test_move_to_a_full_slot_changes_nothing(db, now):
    booking = BookingFactory()
    full = SlotFactory(moment=booking.moment, capacity=1)
    BookingFactory(slot=full)
    db.session.commit()
    with pytest.raises(services.SlotFull):
        services.move_booking(booking, new_slot=full, now=now)
    db.session.rollback()
    db.session.refresh(booking)
    assert booking.sequence == 0
    assert booking.slot.booked == 1


def test_move_refuses_the_same_slot_and_a_cancelled_booking(db, now):
    booking = BookingFactory()
    with pytest.raises(services.SameSlot):
        services.move_booking(booking, new_slot=booking.slot, now=now)
    cancelled = BookingFactory(cancelled=True)
    with pytest.raises(services.BookingNotChangeable):
        services.move_booking(cancelled, new_slot=SlotFactory(moment=cancelled.moment), now=now)


def test_move_to_a_moment_where_the_contact_already_booked(db, now):
    booking = BookingFactory()
    other_moment = MomentFactory(held_on=booking.moment.held_on + timedelta(days=7))
    BookingFactory(slot=SlotFactory(moment=other_moment), phone=booking.phone)
    with pytest.raises(services.DuplicateContact):
        services.move_booking(booking, new_slot=SlotFactory(moment=other_moment), now=now)


def test_cancel_releases_the_seat_and_sends_a_cancel_notice(db, now):
    booking = BookingFactory()
    services.cancel_booking(booking, now=now)
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at == now
    assert booking.sequence == 1
    assert booking.slot.booked == 0
    [message] = outbox(db)
    ics = attachment_data(message.attachments[0])
    assert b"METHOD:CANCEL" in ics and b"STATUS:CANCELLED" in ics
    with pytest.raises(services.BookingNotChangeable):
        services.cancel_booking(booking, now=now)


def test_resend_rotates_the_token_and_mails_the_booking_address(db, now):
    booking = BookingFactory()
    old_hash = booking.token_hash
    outcome = services.resend_manage_link(booking, now=now)
    assert outcome.emailed
    assert booking.token_hash != old_hash
    [message] = outbox(db)
    assert message.recipient == booking.email
    token = re.search(r"/afspraak/([\w-]+)", message_text(message)).group(1)
    assert services.get_booking_by_token(token) is booking


def test_resend_without_email_asks_to_call(db, now):
    booking = BookingFactory(phone_only=True)
    assert not services.resend_manage_link(booking, now=now).emailed
    assert outbox(db) == []


# Waiting list


def test_join_waitlist_needs_an_email_and_only_once(db, now):
    moment = MomentFactory()
    with pytest.raises(waitlist.WaitlistError):
        waitlist.join_waitlist(moment, details=details(email=None), now=now)
    entry = waitlist.join_waitlist(moment, details=details(), now=now)
    assert entry.status == WaitlistStatus.WAITING
    with pytest.raises(waitlist.AlreadyWaiting):
        waitlist.join_waitlist(moment, details=details(), now=now)


def test_a_freed_seat_is_held_for_the_first_person_waiting(db, now):
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    first = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=2))
    second = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=1))
    services.cancel_booking(booking, now=now)
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == WaitlistStatus.OFFERED
    assert first.offered_slot_id == slot.id
    assert first.offer_expires_at == now + timedelta(hours=24)
    assert second.status == WaitlistStatus.WAITING
    assert slot.booked == 1  # held for the offer: nobody else can book it
    with pytest.raises(services.SlotFull):
        services.book_slot(slot.id, details=details(9), now=now)
    offer_mail = outbox(db)[-1]
    assert offer_mail.recipient == first.email
    assert "/aanbod/" in message_text(offer_mail)


def _offer(db, now):
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=slot)
    entry = WaitlistEntryFactory(moment=slot.moment, created_at=now - timedelta(hours=1))
    services.cancel_booking(booking, now=now)
    token = re.search(r"/aanbod/([\w-]+)", message_text(outbox(db)[-1])).group(1)
    return slot, entry, token


def test_claiming_an_offer_books_the_held_seat_once(db, now):
    slot, entry, token = _offer(db, now)
    issued = waitlist.claim_offer(token, now=now + timedelta(hours=1), needs_interpreter=True,
                                  interpreter_language="Arabisch")
    assert issued.booking.slot_id == slot.id
    assert issued.booking.needs_interpreter
    assert slot.booked == 1 == live_count(db, slot)
    db.session.refresh(entry)
    assert entry.status == WaitlistStatus.BOOKED and entry.booking_id == issued.booking.id
    with pytest.raises(waitlist.OfferGone):
        waitlist.claim_offer(token, now=now + timedelta(hours=1))


def test_claiming_while_already_booked_passes_the_seat_on_at_once(db, now):
    slot, entry, token = _offer(db, now)
    # Meanwhile they booked another hour of the same day themselves (or a social worker did).
    own = BookingFactory(slot=SlotFactory(moment=slot.moment), email=entry.email)
    nxt = WaitlistEntryFactory(moment=slot.moment, created_at=now)
    with pytest.raises(waitlist.AlreadyBooked) as caught:
        waitlist.claim_offer(token, now=now + timedelta(hours=1))
    assert caught.value.existing.id == own.id
    db.session.refresh(entry)
    db.session.refresh(nxt)
    assert entry.status == WaitlistStatus.BOOKED and entry.booking_id == own.id
    # The seat is not held for them until the offer runs out: the next person has it now.
    assert nxt.status == WaitlistStatus.OFFERED and nxt.offered_slot_id == slot.id
    assert slot.booked == 1 and live_count(db, slot) == 0
    assert outbox(db)[-1].recipient == nxt.email
    with pytest.raises(waitlist.OfferGone):
        waitlist.claim_offer(token, now=now + timedelta(hours=1))


def test_claiming_while_already_booked_with_nobody_waiting_frees_the_seat(db, now):
    slot, entry, token = _offer(db, now)
    BookingFactory(slot=SlotFactory(moment=slot.moment), email=entry.email)
    with pytest.raises(waitlist.AlreadyBooked):
        waitlist.claim_offer(token, now=now)
    assert slot.booked == 0
    services.book_slot(slot.id, details=details(7), now=now)  # free for anyone again


def test_an_expired_offer_passes_to_the_next_person(db, now):
    slot, entry, token = _offer(db, now)
    nxt = WaitlistEntryFactory(moment=slot.moment, created_at=now)
    later = now + timedelta(hours=25)
    with pytest.raises(waitlist.OfferGone):
        waitlist.claim_offer(token, now=later)
    assert waitlist.expire_offers(now=later) == 1
    db.session.refresh(entry)
    db.session.refresh(nxt)
    assert entry.status == WaitlistStatus.EXPIRED
    assert nxt.status == WaitlistStatus.OFFERED
    assert slot.booked == 1
    assert waitlist.expire_offers(now=later) == 0


def test_an_expired_offer_with_nobody_left_frees_the_seat(db, now):
    slot, _entry, _token = _offer(db, now)
    waitlist.expire_offers(now=now + timedelta(hours=25))
    assert slot.booked == 0


def test_next_moment_subscribers_hear_once(db, now):
    WaitlistEntryFactory(moment=None)
    WaitlistEntryFactory(moment=None)
    moment = MomentFactory(status=MomentStatus.PUBLISHED)
    assert waitlist.notify_next_moment_subscribers(moment, now) == 2
    assert waitlist.notify_next_moment_subscribers(moment, now) == 0
    assert all(f"/inschrijven/{moment.id}" in message_text(m) for m in outbox(db))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WaitlistEntry).where(
        WaitlistEntry.status == WaitlistStatus.NOTIFIED)) == 2


# Reminders


def test_reminders_are_sent_once_with_a_fresh_link(db, now):
    soon = SlotFactory(moment=MomentFactory(held_on=(now + timedelta(days=1)).date(),
                                            booking_opens_at=now - timedelta(days=30),
                                            booking_closes_at=now + timedelta(hours=1)))
    soon.starts_at, soon.ends_at = now + timedelta(days=1), now + timedelta(days=1, minutes=30)
    due = BookingFactory(slot=soon)
    BookingFactory(slot=soon, phone_only=True)
    BookingFactory()  # three weeks away
    old_hash = due.token_hash
    ids = reminders.list_due_reminder_ids(now=now, days_before=2)
    assert ids == [due.id]
    assert reminders.send_reminder(due.id, now=now)
    db.session.refresh(due)
    assert due.reminder_sent_at == now
    assert due.token_hash != old_hash
    [message] = outbox(db)
    token = re.search(r"/afspraak/([\w-]+)", message_text(message)).group(1)
    assert services.get_booking_by_token(token).id == due.id
    assert "vervangt de oude link" in message_text(message)
    assert reminders.list_due_reminder_ids(now=now, days_before=2) == []
    assert not reminders.send_reminder(due.id, now=now)
    assert len(outbox(db)) == 1
