"""Every transition of a booking, in one place.

Book, claim a waiting-list offer, move (by the candidate, or by staff when fewer seats force it),
cancel (by the candidate, by staff, or with the whole moment), and on the day check in, no-show,
undo and a walk-in. Each function decides once what its transition does to

- the seat: always through the statements of `seats`, never an UPDATE of its own;
- the calendar SEQUENCE: raised by every move and cancellation, so the candidate's calendar follows;
- the reminder: settled whenever a booking gets a (new) time (`new_booking.settled_reminder`);
- the notice: an e-mail in the candidate's language when they gave an address;
- the seat it frees: offered to the waiting list or not, and why (docs/booking.md, "Life cycle").

Planning's pages call these functions and never change a booking themselves. Staff transitions take
the acting user and their address and write their own audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.booking import queries
from inschrijving.booking.models import BookedBy, Booking, BookingStatus, WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import new_booking, notices, seats, waitlist
from inschrijving.booking.services.base import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingClosed,
    BookingNotChangeable,
    ContactDetails,
    DuplicateContact,
    IssuedBooking,
    MomentNotRunning,
    NotMovable,
    OfferGone,
    SameSlot,
    SeatTaken,
    SlotFull,
    SlotNotFound,
    WrongBookingStatus,
)
from inschrijving.booking.services.seats import SeatTarget, load_seat_target
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment, Slot

# --- booking ------------------------------------------------------------------------------------


def book_slot(slot_id: int, *, details: ContactDetails, now: datetime, moment_id: int | None = None,
              notify: bool = True) -> IssuedBooking:
    """Book one seat in a slot for a candidate, in the caller's transaction.

    Raises SlotNotFound (also when `moment_id` is given and is not the slot's), BookingClosed,
    DuplicateContact or SlotFull; the caller rolls back on any of them. The busiest write: one
    read of plain values, then seat, booking and confirmation (see `seats`). A contact holding a
    live booking for the moment is caught by the unique indexes, not by a query beforehand.
    """
    target = load_seat_target(slot_id)
    if target is None or (moment_id is not None and target.moment_id != moment_id):
        raise SlotNotFound(slot_id)
    reason = target.booking_closed_reason(now)
    if reason is not None:
        raise BookingClosed(db.session.get_one(RegistrationMoment, target.moment_id), reason)
    try:
        return new_booking.insert_booking(target, details=details, now=now, take_seat_first=True, notify=notify)
    except SlotFull:
        # Someone who already has a booking is better told so than that this hour is full.
        existing = queries.get_live_booking_for_person(target.moment_id, phone=details.phone, email=details.email,
                                                       client_key=details.client_key)
        if existing is not None:
            raise DuplicateContact(existing) from None
        raise


def claim_offer(token: str, *, now: datetime, needs_interpreter: bool = False,
                interpreter_language: str | None = None, assistance_note: str | None = None) -> IssuedBooking:
    """Turn a waiting-list offer into a booking in the held seat; one claim wins, even when clicked twice at once.

    :raises OfferGone: unknown, used or expired (roll back).
    :raises AlreadyBooked: the person has a booking for the moment already; the seat went on (commit).
    """
    entry = queries.get_offer_by_token(token, now=now)
    if entry is None:
        raise OfferGone()
    won = db.session.execute(
        sa.update(WaitlistEntry)
        .where(WaitlistEntry.id == entry.id, WaitlistEntry.status == WaitlistStatus.OFFERED,
               WaitlistEntry.offer_expires_at > now)
        .values(status=WaitlistStatus.BOOKED)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:
        raise OfferGone()
    db.session.refresh(entry)
    slot = entry.offered_slot
    existing = queries.get_live_booking_for_person(slot.moment_id, phone=entry.phone, email=entry.email,
                                                   client_key=entry.client_key)
    if existing is not None:
        # They booked an hour themselves meanwhile. Holding this seat until the offer runs out would only
        # keep it from the next person, so it goes on now; the entry points at the booking they have.
        entry.booking_id = existing.id
        seats.release_seat(slot.id, entry.seats)
        waitlist.offer_freed_seat(slot, now=now)
        raise AlreadyBooked(existing)
    details = _claimed_details(entry, needs_interpreter=needs_interpreter,
                               interpreter_language=interpreter_language, assistance_note=assistance_note)
    # The seats were taken when the offer was made (`waitlist.offer_freed_seat`): the booking only fills them.
    issued = new_booking.insert_booking(SeatTarget.of(slot), details=details, now=now, take_seat_first=False)
    entry.booking_id = issued.booking_id
    return issued


def _claimed_details(entry: WaitlistEntry, *, needs_interpreter: bool, interpreter_language: str | None,
                     assistance_note: str | None) -> ContactDetails:
    """The claim form's answers, and who waits: an entry made for an unseated booking makes that booking again
    as it was made (on behalf of a client: booker, channel, client identity, the client's and booker's languages)."""
    answers = {"needs_interpreter": needs_interpreter, "interpreter_language": interpreter_language,
               "assistance_note": assistance_note}
    if entry.replaces_booking is not None and entry.replaces_booking.anonymised_at is None:
        return replace(ContactDetails.of_booking(entry.replaces_booking), **answers)
    return ContactDetails(
        contact_name=entry.contact_name, phone=entry.phone, email=entry.email, language=entry.language,
        household_size=entry.household_size, client_key=entry.client_key, **answers,
        # An info moment's professional: their organisation and attendees, as they joined the waiting list.
        seats=entry.seats, organisation=entry.organisation,
        booked_by=BookedBy.SOCIAL_WORKER if entry.offered_slot.moment.is_info else BookedBy.SELF,
    )


# --- moving -------------------------------------------------------------------------------------


def move_by_candidate(booking: Booking, *, new_slot: Slot, now: datetime) -> Booking:
    """Move a booking, at the candidate's request, to another slot of this or another open moment.

    Only an expected booking whose slot has not started moves, and only into a moment that takes
    bookings now. Same row and reference (a dossier stays linked), SEQUENCE raised, reminder settled
    for the new time, a move notice, and the seat it leaves is offered to the waiting list.
    """
    if not booking.candidate_can_change(now) or booking.moment.is_info:
        # An info-moment registration changes its attendees or cancels (professionals.services.registration).
        raise BookingNotChangeable(booking.id)
    if new_slot.id == booking.slot_id:
        raise SameSlot(booking.id)
    reason = new_slot.moment.booking_closed_reason(now)
    if reason is not None:
        raise BookingClosed(new_slot.moment, reason)
    if new_slot.moment_id != booking.moment_id:
        existing = queries.get_live_booking_for_person(
            new_slot.moment_id, phone=booking.phone, email=booking.email, client_key=booking.client_key,
            exclude_id=booking.id,
        )
        if existing is not None:
            raise DuplicateContact(existing)
    old_slot = _move(booking, new_slot, now=now)
    notices.queue_moved(booking, now=now)
    waitlist.offer_freed_seat(old_slot, now=now)
    return booking


def move_by_staff(booking: Booking, *, target: Slot, actor: User, ip: str | None, now: datetime) -> Booking:
    """Move a live booking to another slot of its moment, by a coordinator making room when seats go down
    or when the moment's opening hours change (`planning.services.editing`).

    Staff moves differ from the candidate's in two decisions:
    - no "slot has started" check: staff see the person, and moving a late arrival on the day is
      legitimate; a checked-in booking may move too;
    - the seat it leaves is not offered to the waiting list: it is the seat the capacity reduction
      is about to remove. An offer would hold it at once, and the reduction would be refused again.
    Like any move: same row and reference, SEQUENCE raised, reminder settled, move notice, audited.
    """
    if not booking.can_move or target.moment_id != booking.moment_id or target.id == booking.slot_id:
        raise NotMovable(booking.id)
    _move(booking, target, now=now)
    notices.queue_moved(booking, now=now)
    account_audit.record_audit(actor=actor, action="booking.move_by_staff", object_type="booking",
                                  object_id=booking.id, detail={"slot_id": target.id}, ip=ip)
    return booking


def _move(booking: Booking, new_slot: Slot, *, now: datetime) -> Slot:
    """Take the new seat, then give the old one back: a full target leaves the booking where it was."""
    old_slot = booking.slot
    seats.take_seat(new_slot.id, booking.seats)
    seats.release_seat(old_slot.id, booking.seats)
    other_moment = new_slot.moment_id != booking.moment_id
    booking.slot = new_slot
    booking.moment = new_slot.moment
    booking.sequence += 1
    booking.updated_at = now
    booking.reminder_sent_at = new_booking.settled_reminder(new_slot.starts_at, now=now)
    if not other_moment:
        db.session.flush()
        return old_slot
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # The unique indexes saw the contact booked at the other moment meanwhile.
        raise DuplicateContact(booking) from None
    return old_slot


# --- cancelling ---------------------------------------------------------------------------------


def cancel_by_candidate(booking: Booking, *, now: datetime) -> Booking:
    """Cancel a booking at the candidate's request: while expected and before its slot starts.

    Seat given back, SEQUENCE raised, a notice with the METHOD:CANCEL calendar file, and the seat
    offered to the waiting list.
    """
    if not booking.candidate_can_change(now):
        raise BookingNotChangeable(booking.id)
    _cancel(booking, now=now)
    notices.queue_cancelled(booking, now=now)
    waitlist.offer_freed_seat(booking.slot, now=now)
    return booking


def cancel_by_staff(booking: Booking, *, now: datetime, notify: bool = True) -> Booking:
    """Cancel a live booking on the candidate's behalf; an erasure does it silently (notify=False).

    Like the candidate's own cancellation the seat goes back and is offered to the waiting list
    (nothing is offered once the slot has started). The calling service's audit event says why
    (`privacy.erase`), so this writes none of its own.
    """
    if not booking.is_live:
        raise BookingNotChangeable(booking.id)
    _cancel(booking, now=now)
    if notify:
        notices.queue_cancelled(booking, now=now)
    waitlist.offer_freed_seat(booking.slot, now=now)
    return booking


def cancel_with_moment(moment: RegistrationMoment, *, now: datetime) -> list[Booking]:
    """Cancel every live booking of a moment being cancelled; tell each candidate with e-mail.

    The same templated notice as a single cancellation (their language, the Woonclub's phone, a
    METHOD:CANCEL file with the raised SEQUENCE). Every seat of the moment goes free at once, seats
    held for offers included, and its waiting list closes: nothing is offered for a day that is off.
    """
    bookings = db.session.scalars(
        sa.select(Booking)
        .where(Booking.moment_id == moment.id, Booking.is_live)
        .options(selectinload(Booking.slot))  # each notice shows its hour and carries its calendar file
        .order_by(Booking.id)
    ).all()
    for booking in bookings:
        _cancel(booking, now=now, release=False)
        notices.queue_moment_cancelled(booking, now=now)
    seats.empty_moment(moment)
    waitlist.close_moment_entries(moment)
    db.session.flush()
    return list(bookings)


def _cancel(booking: Booking, *, now: datetime, release: bool = True) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.updated_at = now
    booking.sequence += 1
    if release:
        seats.release_seat(booking.slot_id, booking.seats)
    db.session.flush()


def unseat_for_new_times(booking: Booking, *, actor: User, ip: str | None, now: datetime) -> WaitlistEntry | None:
    """Cancel a booking whose time went away with the moment's new opening hours and no seat left anywhere.

    Never silent: the candidate gets the cancellation notice (SEQUENCE raised, METHOD:CANCEL), and one who
    gave an e-mail address goes on the moment's waiting list ahead of everyone who joined after they booked
    (the entry carries the booking's own time). The seat is given back but not offered: its slot is being
    withdrawn. Audited; returns the waiting-list entry, or None for a candidate staff must phone.
    """
    if not booking.is_live:
        raise BookingNotChangeable(booking.id)
    _cancel(booking, now=now)
    entry = None
    if booking.email:
        # The entry is written to where the booking was (a client's booker: in the booker's language), waits
        # as the client (`client_key`), and points at the booking, which a claim of the offer makes again.
        details = ContactDetails(contact_name=booking.contact_name, phone=booking.phone, email=booking.email,
                                 language=booking.message_language, household_size=booking.household_size,
                                 client_key=booking.client_key)
        try:
            entry = waitlist.join_waitlist(booking.moment, details=details, now=booking.created_at, replaces=booking)
        except AlreadyWaiting:
            entry = None
    notices.queue_unseated(booking, now=now, on_waitlist=entry is not None)
    account_audit.record_audit(actor=actor, action="booking.unseated_by_new_times", object_type="booking",
                               object_id=booking.id, detail={"waitlist": entry is not None}, ip=ip)
    return entry


# --- the day itself -----------------------------------------------------------------------------


def check_in(booking: Booking, *, actor: User, ip: str | None, now: datetime) -> None:
    """Mark that the candidate came; a no-show who turns up late takes a seat again (SeatTaken if none)."""
    if not booking.can_check_in:
        raise WrongBookingStatus(booking.status)
    if booking.is_no_show:
        _retake_seat(booking)
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    _day_step(booking, "booking.check_in", actor=actor, ip=ip, now=now)


def mark_no_show(booking: Booking, *, actor: User, ip: str | None, now: datetime) -> None:
    """Mark that an expected candidate did not come; the seat goes free for a walk-in.

    Not offered to the waiting list: the people without a booking are at the desk, and an offer
    would hold the seat for someone who is not there. A checked-in candidate is undone first.
    """
    if not booking.can_mark_no_show:
        raise WrongBookingStatus(booking.status)
    seats.release_seat(booking.slot_id, booking.seats)
    booking.status = BookingStatus.NO_SHOW
    booking.checked_in_at = None
    _day_step(booking, "booking.no_show", actor=actor, ip=ip, now=now)


def undo_attendance(booking: Booking, *, actor: User, ip: str | None, now: datetime) -> None:
    """Put a checked-in or no-show booking back to expected; a no-show needs its seat back (SeatTaken if none)."""
    if not booking.can_undo_attendance:
        raise WrongBookingStatus(booking.status)
    if booking.is_no_show:
        _retake_seat(booking)
    booking.status = BookingStatus.BOOKED
    booking.checked_in_at = None
    _day_step(booking, "booking.undo_attendance", actor=actor, ip=ip, now=now)


def _retake_seat(booking: Booking) -> None:
    try:
        seats.take_seat(booking.slot_id, booking.seats)
    except SlotFull as exc:
        raise SeatTaken(booking.slot_id) from exc


def _day_step(booking: Booking, action: str, *, actor: User, ip: str | None, now: datetime) -> None:
    booking.updated_at = now
    db.session.flush()
    account_audit.record_audit(actor=actor, action=action, object_type="booking", object_id=booking.id, ip=ip)


def may_add_seats(actor: User) -> bool:
    """Only a coordinator makes a slot larger (a walk-in over capacity; the capacity page is theirs alone)."""
    return actor.role == Role.COORDINATOR


@dataclass(frozen=True)
class WalkIn:
    booking: Booking
    # The slot was full and grew by one seat for this person.
    added_seat: bool


def add_walk_in(slot: Slot, *, contact_name: str, language: str, household_size: int, needs_interpreter: bool,
                actor: User, ip: str | None, now: datetime, over_capacity: bool = False) -> WalkIn:
    """Seat someone who came without a booking, checked in at once, on a day that runs.

    `over_capacity` is the explicit choice to grow a full slot by one seat, honoured for coordinators
    only (`may_add_seats`). A free seat is used first, so ticking the box "just in case" never makes
    a slot larger. A grown slot is audited apart (`slot.capacity_raised_for_walk_in`).

    :raises SlotFull: the slot is full and may not grow.
    :raises MomentNotRunning: a draft or cancelled moment.
    """
    if not slot.moment.takes_walk_ins:
        raise MomentNotRunning(slot.moment_id)
    added_seat = False
    try:
        seats.take_seat(slot.id)
    except SlotFull:
        if not (over_capacity and may_add_seats(actor)):
            raise
        added_seat = seats.grow_full_slot(slot.id)
        seats.take_seat(slot.id)
    details = ContactDetails(contact_name=contact_name.strip(), language=language, household_size=household_size,
                             needs_interpreter=needs_interpreter)
    # Walk-ins get no manage link: the token drawn with the row is never shown, so the link is unusable.
    issued = new_booking.insert_booking(SeatTarget.of(slot), details=details, now=now, take_seat_first=False,
                                        notify=False, status=BookingStatus.CHECKED_IN, is_walk_in=True,
                                        checked_in_at=now, reminder_sent_at=None)
    if added_seat:
        account_audit.record_audit(actor=actor, action="slot.capacity_raised_for_walk_in", object_type="slot",
                                      object_id=slot.id, detail={"booking_id": issued.booking_id}, ip=ip)
    account_audit.record_audit(actor=actor, action="booking.walk_in", object_type="booking",
                                  object_id=issued.booking_id, ip=ip)
    return WalkIn(booking=issued.booking, added_seat=added_seat)
