"""Every transition of a booking, through `booking.services.lifecycle`: book, claim an offer, move (candidate or
staff), cancel (candidate, staff, with the moment). The day's steps are in test_day.py; the write itself in
test_seats.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking import queries
from inschrijving.booking.models import BookedBy, BookingStatus, ContactChannel, ReachBy, WaitlistStatus
from inschrijving.booking.services import base, lifecycle, waitlist
from inschrijving.booking.services.clients import client_key
from inschrijving.dossiers.models.household import Dossier
from inschrijving.notifications.services import attachment_data, message_text
from inschrijving.planning.models import MomentKind, MomentStatus
from inschrijving.tokens import hash_token
from tests.booking.support import details, live_count, make_offer, outbox
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.planning import MomentFactory, SlotFactory


def audit_events(db) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def started_slot(now, **kwargs):
    """A slot of a moment held today that began an hour ago; another slot of that day comes with it."""
    moment = MomentFactory(held_on=now.date(), booking_opens_at=now - timedelta(days=30),
                           booking_closes_at=now - timedelta(days=2))
    slot = SlotFactory(moment=moment, starts_at=now - timedelta(hours=1), ends_at=now - timedelta(minutes=30),
                       **kwargs)
    later = SlotFactory(moment=moment, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=1, minutes=30))
    return slot, later


# --- book ---------------------------------------------------------------------------------------


def test_book_slot_takes_a_seat_and_stores_only_the_token_hash(db, now):
    slot = SlotFactory(capacity=2)
    issued = lifecycle.book_slot(slot.id, details=details(), now=now)
    booking = issued.booking
    assert re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{3}-[ACDEFGHJKMNPQRTUVWXY34679]{3}", booking.reference)
    assert len(issued.token) >= 43  # 32 random bytes, url-safe base64
    assert booking.token_hash == hash_token(issued.token)
    assert issued.token not in booking.token_hash
    assert slot.booked == 1
    assert queries.get_booking_by_token(issued.token) is booking
    [message] = outbox()
    assert message.recipient == "amina1@example.org"
    assert booking.reference in message.subject
    assert issued.token in message_text(message)
    assert message.attachments[0]["filename"] == "afspraak.ics"
    assert b"METHOD:PUBLISH" in attachment_data(message.attachments[0])


def test_phone_only_booking_sends_no_mail(db, now):
    slot = SlotFactory()
    lifecycle.book_slot(slot.id, details=details(email=None), now=now)
    assert outbox() == []


def test_full_slot_refuses(db, now):
    slot = SlotFactory(capacity=1)
    lifecycle.book_slot(slot.id, details=details(1), now=now)
    with pytest.raises(base.SlotFull):
        lifecycle.book_slot(slot.id, details=details(2), now=now)
    assert slot.booked == 1


@pytest.mark.parametrize(
    ("shift", "reason"),
    [(lambda m: m.booking_opens_at - timedelta(minutes=1), "not_yet_open"),
     (lambda m: m.booking_closes_at, "closed")],
)
def test_booking_outside_the_window_is_refused_with_the_reason(db, shift, reason):
    slot = SlotFactory()
    with pytest.raises(base.BookingClosed) as caught:
        lifecycle.book_slot(slot.id, details=details(), now=shift(slot.moment))
    assert caught.value.reason == reason
    assert slot.booked == 0


def test_draft_moment_is_not_bookable(db, now):
    slot = SlotFactory(moment=MomentFactory(draft=True))
    with pytest.raises(base.BookingClosed) as caught:
        lifecycle.book_slot(slot.id, details=details(), now=now)
    assert caught.value.reason == "not_published"


def test_booking_an_unknown_slot_or_one_of_another_moment_is_refused(db, now):
    slot = SlotFactory()
    other = SlotFactory()
    with pytest.raises(base.SlotNotFound):
        lifecycle.book_slot(slot.id + other.id + 100, details=details(), now=now)
    with pytest.raises(base.SlotNotFound):
        lifecycle.book_slot(slot.id, moment_id=other.moment_id, details=details(), now=now)
    issued = lifecycle.book_slot(slot.id, moment_id=slot.moment_id, details=details(), now=now)
    assert issued.booking.slot_id == slot.id and issued.booking.moment_id == slot.moment_id
    assert issued.reference == issued.booking.reference
    assert (slot.booked, other.booked) == (1, 0)


def test_an_info_moment_takes_no_bookings_and_no_moves(db, now):
    info = SlotFactory(moment=MomentFactory(kind=MomentKind.INFO))
    with pytest.raises(base.BookingClosed) as caught:
        lifecycle.book_slot(info.id, details=details(), now=now)
    assert caught.value.reason == "not_bookable"
    booking = BookingFactory()
    with pytest.raises(base.BookingClosed) as caught:
        lifecycle.move_by_candidate(booking, new_slot=info, now=now)
    assert caught.value.reason == "not_bookable"
    assert booking.slot_id != info.id and info.booked == 0


@pytest.mark.parametrize("field", ["phone", "email"])
def test_same_contact_cannot_hold_two_live_bookings_for_a_moment(db, now, field):
    first = SlotFactory()
    second = SlotFactory(moment=first.moment)
    existing = lifecycle.book_slot(first.id, details=details(1), now=now).booking
    clash = details(2, **{field: getattr(existing, field)})
    with pytest.raises(base.DuplicateContact) as caught:
        lifecycle.book_slot(second.id, details=clash, now=now)
    assert caught.value.existing is existing


def test_a_duplicate_contact_on_a_full_slot_hears_about_its_booking(db, now):
    full = SlotFactory(capacity=1)
    existing = lifecycle.book_slot(full.id, details=details(1), now=now).booking
    with pytest.raises(base.DuplicateContact) as caught:
        lifecycle.book_slot(full.id, details=details(2, email=existing.email), now=now)
    assert caught.value.existing is existing
    with pytest.raises(base.SlotFull):
        lifecycle.book_slot(full.id, details=details(3), now=now)


def test_a_cancelled_booking_does_not_block_a_new_one(db, now):
    old = BookingFactory(cancelled=True)
    issued = lifecycle.book_slot(old.slot_id, details=details(phone=old.phone, email=old.email), now=now)
    assert issued.booking.id != old.id


# --- claim a waiting-list offer ---------------------------------------------------------------


def test_claiming_an_offer_books_the_held_seat_once(db, now):
    slot, entry, token = make_offer(now)
    issued = lifecycle.claim_offer(token, now=now + timedelta(hours=1), needs_interpreter=True,
                                  interpreter_language="Arabisch")
    assert issued.booking.slot_id == slot.id
    assert issued.booking.needs_interpreter
    assert slot.booked == 1 == live_count(slot)
    db.session.refresh(entry)
    assert entry.status == WaitlistStatus.BOOKED and entry.booking_id == issued.booking.id
    with pytest.raises(base.OfferGone):
        lifecycle.claim_offer(token, now=now + timedelta(hours=1))


def test_claiming_while_already_booked_passes_the_seat_on_at_once(db, now):
    slot, entry, token = make_offer(now)
    # Meanwhile they booked another hour of the same day themselves (or a social worker did).
    own = BookingFactory(slot=SlotFactory(moment=slot.moment), email=entry.email)
    nxt = WaitlistEntryFactory(moment=slot.moment, created_at=now)
    with pytest.raises(base.AlreadyBooked) as caught:
        lifecycle.claim_offer(token, now=now + timedelta(hours=1))
    assert caught.value.existing.id == own.id
    db.session.refresh(entry)
    db.session.refresh(nxt)
    assert entry.status == WaitlistStatus.BOOKED and entry.booking_id == own.id
    # The seat is not held for them until the offer runs out: the next person has it now.
    assert nxt.status == WaitlistStatus.OFFERED and nxt.offered_slot_id == slot.id
    assert slot.booked == 1 and live_count(slot) == 0
    assert outbox()[-1].recipient == nxt.email
    with pytest.raises(base.OfferGone):
        lifecycle.claim_offer(token, now=now + timedelta(hours=1))


def test_claiming_while_already_booked_with_nobody_waiting_frees_the_seat(db, now):
    slot, entry, token = make_offer(now)
    BookingFactory(slot=SlotFactory(moment=slot.moment), email=entry.email)
    with pytest.raises(base.AlreadyBooked):
        lifecycle.claim_offer(token, now=now)
    assert slot.booked == 0
    lifecycle.book_slot(slot.id, details=details(7), now=now)  # free for anyone again


def _unseated_offer(now, by, **booking_values):
    """A booking new opening hours unseated onto the waiting list, and the seat then offered to its entry."""
    slot = SlotFactory(capacity=1)
    booking = BookingFactory(slot=SlotFactory(moment=slot.moment), created_at=now - timedelta(days=3),
                             **booking_values)
    entry = lifecycle.unseat_for_new_times(booking, **by, now=now)
    offer = waitlist.offer_freed_seat(slot, now=now)
    assert offer is not None and offer.entry.id == entry.id
    return booking, entry, offer.token


def test_claiming_the_offer_of_an_unseated_booking_makes_that_booking_again(db, now, by):
    old, entry, token = _unseated_offer(now, by, language="tr", reach_by=ReachBy.EMAIL, household_size=4,
                                        needs_interpreter=True, interpreter_language="Turks")
    assert entry.replaces_booking_id == old.id and entry.client_key is None
    new = lifecycle.claim_offer(token, now=now, needs_interpreter=True, interpreter_language="Turks").booking
    assert (new.contact_name, new.phone, new.email) == (old.contact_name, old.phone, old.email)
    assert (new.language, new.reach_by, new.household_size, new.interpreter_language) == ("tr", ReachBy.EMAIL, 4,
                                                                                          "Turks")
    assert new.booked_by == BookedBy.SELF and new.id != old.id and entry.booking_id == new.id


def test_claiming_for_a_client_reached_through_the_worker_keeps_worker_channel_and_client(db, now, by):
    key = client_key(booker_phone="+3256234567", client_name="Youssef Amrani", birth_year=1984)
    worker = {"booked_by": BookedBy.SOCIAL_WORKER, "social_worker_name": "Sara", "social_worker_organisation": "CAW",
              "social_worker_phone": "+3256234567", "social_worker_email": "sara@caw.example.org",
              "phone": "+3256234567", "email": "sara@caw.example.org", "contact_channel": ContactChannel.BOOKER,
              "client_key": key, "client_birth_year": 1984, "language": "ar", "booker_language": "fr"}
    old, entry, token = _unseated_offer(now, by, contact_name="Youssef Amrani", **worker)
    # The offer goes to the worker in the worker's language; the entry waits as the client.
    assert (entry.email, entry.language, entry.client_key) == ("sara@caw.example.org", "fr", key)
    assert outbox()[-1].recipient == "sara@caw.example.org" and outbox()[-1].language == "fr"
    new = lifecycle.claim_offer(token, now=now).booking
    assert {name: getattr(new, name) for name in worker} == worker
    assert new.message_language == "fr" and outbox()[-1].language == "fr"


def test_a_client_of_a_worker_waits_as_the_client_not_as_the_workers_contact(db, now):
    moment = SlotFactory().moment
    worker_contact = {"phone": "+3256234567", "email": "sara@caw.example.org"}
    waitlist.join_waitlist(moment, details=details(1, **worker_contact, client_key="a" * 64), now=now)
    # Another client of the same worker, and the worker waiting for themselves, both wait too.
    waitlist.join_waitlist(moment, details=details(2, **worker_contact, client_key="b" * 64), now=now)
    waitlist.join_waitlist(moment, details=details(3, **worker_contact), now=now)
    with pytest.raises(base.AlreadyWaiting):
        waitlist.join_waitlist(moment, details=details(4, client_key="a" * 64), now=now)
    with pytest.raises(base.AlreadyWaiting):
        waitlist.join_waitlist(moment, details=details(5, **worker_contact), now=now)


# --- move by the candidate --------------------------------------------------------------------


def test_move_keeps_the_row_reference_and_dossier_and_raises_the_sequence(db, now):
    booking = BookingFactory()
    old_slot = booking.slot
    dossier = Dossier(reference="DOS-001", booking_id=booking.id, moment_id=booking.moment_id)
    db.session.add(dossier)
    new_slot = SlotFactory(moment=booking.moment)
    lifecycle.move_by_candidate(booking, new_slot=new_slot, now=now)
    db.session.flush()
    assert booking.slot_id == new_slot.id
    assert booking.sequence == 1
    assert (old_slot.booked, new_slot.booked) == (0, 1)
    assert db.session.get(Dossier, dossier.id).booking_id == booking.id
    assert "verplaatst" in outbox()[-1].subject


def test_move_to_another_moment(db, now):
    booking = BookingFactory()
    other = SlotFactory(moment=MomentFactory(held_on=booking.moment.held_on + timedelta(days=7)))
    reference = booking.reference
    lifecycle.move_by_candidate(booking, new_slot=other, now=now)
    assert (booking.moment_id, booking.reference) == (other.moment_id, reference)


def test_move_to_a_full_slot_changes_nothing(db, now):
    booking = BookingFactory()
    full = SlotFactory(moment=booking.moment, capacity=1)
    BookingFactory(slot=full)
    db.session.commit()
    with pytest.raises(base.SlotFull):
        lifecycle.move_by_candidate(booking, new_slot=full, now=now)
    db.session.rollback()
    db.session.refresh(booking)
    assert booking.sequence == 0
    assert booking.slot.booked == 1


def test_move_refuses_the_same_slot_and_a_cancelled_booking(db, now):
    booking = BookingFactory()
    with pytest.raises(base.SameSlot):
        lifecycle.move_by_candidate(booking, new_slot=booking.slot, now=now)
    cancelled = BookingFactory(cancelled=True)
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.move_by_candidate(cancelled, new_slot=SlotFactory(moment=cancelled.moment), now=now)


def test_move_to_a_moment_where_the_contact_already_booked(db, now):
    booking = BookingFactory()
    other_moment = MomentFactory(held_on=booking.moment.held_on + timedelta(days=7))
    BookingFactory(slot=SlotFactory(moment=other_moment), phone=booking.phone)
    with pytest.raises(base.DuplicateContact):
        lifecycle.move_by_candidate(booking, new_slot=SlotFactory(moment=other_moment), now=now)


def test_a_candidate_cannot_move_once_the_slot_started_or_after_check_in(db, now):
    slot, later = started_slot(now)
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.move_by_candidate(BookingFactory(slot=slot), new_slot=later, now=now)
    checked_in = BookingFactory(slot=SlotFactory(), status=BookingStatus.CHECKED_IN)
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.move_by_candidate(checked_in, new_slot=SlotFactory(moment=checked_in.moment), now=now)


def test_the_seat_a_candidate_leaves_goes_to_the_waiting_list(db, now):
    booking = BookingFactory(slot=SlotFactory(capacity=1))
    old_slot = booking.slot
    waiting = WaitlistEntryFactory(moment=booking.moment)
    lifecycle.move_by_candidate(booking, new_slot=SlotFactory(moment=booking.moment), now=now)
    assert waiting.status == WaitlistStatus.OFFERED and waiting.offered_slot_id == old_slot.id
    assert old_slot.booked == 1  # held for the offer


# --- move by staff (seats going down) ---------------------------------------------------------


def test_staff_move_a_late_arrival_after_the_slot_started(db, now, by):
    # Decision: staff see the person; moving someone who came late, on the day, is legitimate.
    slot, later = started_slot(now)
    booking = BookingFactory(slot=slot, email="laat@example.org")
    lifecycle.move_by_staff(booking, target=later, now=now, **by)
    assert booking.slot_id == later.id and booking.sequence == 1
    assert (slot.booked, later.booked) == (0, 1)
    assert outbox()[-1].recipient == "laat@example.org" and "verplaatst" in outbox()[-1].subject
    [event] = audit_events(db)
    assert (event.action, event.object_id, event.detail, event.ip) == (
        "booking.move_by_staff", booking.id, {"slot_id": later.id}, "192.0.2.20")
    assert event.user_id == by["actor"].id


def test_staff_may_move_a_checked_in_booking(db, now, by):
    booking = BookingFactory(status=BookingStatus.CHECKED_IN)
    target = SlotFactory(moment=booking.moment)
    lifecycle.move_by_staff(booking, target=target, now=now, **by)
    assert booking.slot_id == target.id and booking.status == BookingStatus.CHECKED_IN


def test_the_seat_a_staff_move_leaves_is_not_offered_to_the_waiting_list(db, now, by):
    # Decision: that seat is the one the capacity reduction is about to remove; an offer would hold it.
    slot = SlotFactory(capacity=2)
    BookingFactory(slot=slot)
    mover = BookingFactory(slot=slot)
    waiting = WaitlistEntryFactory(moment=slot.moment)
    lifecycle.move_by_staff(mover, target=SlotFactory(moment=slot.moment), now=now, **by)
    assert waiting.status == WaitlistStatus.WAITING
    assert slot.booked == 1 == live_count(slot)
    assert [m.recipient for m in outbox()] == [mover.email]  # the move notice, no offer


def test_staff_move_refuses_a_full_slot_another_moment_the_same_slot_and_a_dead_booking(db, now, by):
    booking = BookingFactory()
    slot = booking.slot
    full = SlotFactory(moment=booking.moment, capacity=1)
    BookingFactory(slot=full)
    with pytest.raises(base.SlotFull):
        lifecycle.move_by_staff(booking, target=full, now=now, **by)
    assert booking.slot_id == slot.id and slot.booked == 1 and booking.sequence == 0
    for target in (SlotFactory(), slot):
        with pytest.raises(base.NotMovable):
            lifecycle.move_by_staff(booking, target=target, now=now, **by)
    booking.status = BookingStatus.NO_SHOW
    with pytest.raises(base.NotMovable):
        lifecycle.move_by_staff(booking, target=SlotFactory(moment=booking.moment), now=now, **by)
    assert audit_events(db) == []


# --- cancel -----------------------------------------------------------------------------------


def test_cancel_releases_the_seat_and_sends_a_cancel_notice(db, now):
    booking = BookingFactory()
    lifecycle.cancel_by_candidate(booking, now=now)
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at == now
    assert booking.sequence == 1
    assert booking.slot.booked == 0
    [message] = outbox()
    ics = attachment_data(message.attachments[0])
    assert b"METHOD:CANCEL" in ics and b"STATUS:CANCELLED" in ics
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.cancel_by_candidate(booking, now=now)


def test_a_candidate_cannot_cancel_once_the_slot_started(db, now):
    slot, _later = started_slot(now)
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.cancel_by_candidate(BookingFactory(slot=slot), now=now)


def test_staff_cancel_any_live_booking_silently_if_asked_and_the_seat_goes_to_the_waiting_list(db, now):
    booking = BookingFactory(slot=SlotFactory(capacity=1), status=BookingStatus.CHECKED_IN)
    waiting = WaitlistEntryFactory(moment=booking.moment)
    lifecycle.cancel_by_staff(booking, now=now, notify=False)
    assert booking.status == BookingStatus.CANCELLED and booking.sequence == 1
    assert waiting.status == WaitlistStatus.OFFERED
    assert [m.recipient for m in outbox()] == [waiting.email]  # the offer only, nothing to the candidate
    with pytest.raises(base.BookingNotChangeable):
        lifecycle.cancel_by_staff(booking, now=now)


def test_a_staff_cancel_with_notice_sends_the_cancel_notice(db, now):
    booking = BookingFactory()
    lifecycle.cancel_by_staff(booking, now=now)
    [message] = outbox()
    assert message.recipient == booking.email and b"METHOD:CANCEL" in attachment_data(message.attachments[0])


def test_cancelling_with_the_moment_frees_every_seat_closes_the_waiting_list_and_offers_nothing(db, now):
    slot = SlotFactory(capacity=1)
    held = make_offer(now)[1]  # a seat of another moment held for its first person waiting
    leaving = BookingFactory(slot=slot)
    present = BookingFactory(slot=SlotFactory(moment=slot.moment), status=BookingStatus.CHECKED_IN, email=None)
    first, second = WaitlistEntryFactory(moment=slot.moment), WaitlistEntryFactory(moment=slot.moment)
    lifecycle.cancel_by_candidate(leaving, now=now)
    assert first.status == WaitlistStatus.OFFERED and slot.booked == 1
    before = len(outbox())
    slot.moment.status = MomentStatus.CANCELLED

    cancelled = lifecycle.cancel_with_moment(slot.moment, now=now)

    assert cancelled == [present]
    assert present.status == BookingStatus.CANCELLED and present.sequence == 1
    assert all(s.booked == 0 for s in slot.moment.slots)
    for entry in (first, second, held):
        db.session.refresh(entry)
    assert (first.status, second.status) == (WaitlistStatus.CANCELLED, WaitlistStatus.CANCELLED)
    assert len(outbox()) == before  # no e-mail address on the cancelled booking, and no new offer
    assert held.status == WaitlistStatus.OFFERED  # another moment's list is untouched
