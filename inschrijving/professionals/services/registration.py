"""A professional's registration for an info moment: register, change the number of attendees, cancel.

A registration is a `Booking` in the info moment's one slot holding `seats` seats (its attendees).
Seats are taken and given back only through the atomic statements of `booking.services.seats`, so the
session is never overbooked, however many register at once (tests/professionals/test_concurrency.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inschrijving.booking.models import BookedBy, Booking
from inschrijving.booking.services import lifecycle, new_booking, seats, tokens, waitlist
from inschrijving.booking.services.base import (
    BookingClosed,
    BookingError,
    BookingNotChangeable,
    ContactDetails,
    DuplicateContact,
    IssuedBooking,
    SlotFull,
    SlotNotFound,
)
from inschrijving.booking.services.seats import load_seat_target
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, RegistrationMoment, Slot

MAX_ATTENDEES = 20


class TooManyAttendees(BookingError):
    """More attendees than one registration may bring."""


def professional_details(*, name: str, organisation: str, email: str, phone: str | None, language: str,
                         attendees: int, remark: str | None) -> ContactDetails:
    """A professional's registration as booking columns: the work e-mail is the contact."""
    return ContactDetails(contact_name=name, organisation=organisation, email=email, phone=phone, language=language,
                          seats=attendees, assistance_note=remark, booked_by=BookedBy.SOCIAL_WORKER)


def register(slot_id: int, *, details: ContactDetails, now: datetime) -> IssuedBooking:
    """Register for an info moment's session, taking one seat per attendee (all or none), with confirmation.

    Raises SlotNotFound (no such session, or not of an info moment), BookingClosed, DuplicateContact (this
    work e-mail or phone is registered already) or SlotFull (not enough seats left); the caller rolls back.
    """
    if not 1 <= details.seats <= MAX_ATTENDEES:
        raise TooManyAttendees(details.seats)
    target = load_seat_target(slot_id)
    if target is None or target.kind != MomentKind.INFO:
        raise SlotNotFound(slot_id)
    reason = target.booking_closed_reason(now, bookable_kind=MomentKind.INFO)
    if reason is not None:
        raise BookingClosed(db.session.get_one(RegistrationMoment, target.moment_id), reason)
    return new_booking.insert_booking(target, details=details, now=now, take_seat_first=True)


@dataclass(frozen=True)
class Submission:
    """What sending the registration form came to, as the sender may know it.

    `received`: registered, or registered already (then the address's owner got their link by e-mail):
    from the outside both are the same answer, so the form tells nobody whether an address is registered.
    Otherwise the seats asked for are not free (`seats_left`, 0 when full or closed meanwhile).
    """

    received: bool
    seats_left: int = 0


def submit(slot_id: int, *, details: ContactDetails, now: datetime) -> Submission:
    """Register from the public form (`register`), answering a registration that exists as a new one."""
    try:
        register(slot_id, details=details, now=now)
    except DuplicateContact as exc:
        # The seats were taken before the row was refused: given back in the same transaction.
        seats.release_seat(slot_id, details.seats)
        tokens.resend_manage_link(exc.existing, now=now, already_registered=True)
    except SlotFull:
        return Submission(received=False, seats_left=db.session.get_one(Slot, slot_id).free)
    except BookingClosed:
        return Submission(received=False)
    return Submission(received=True)


def claim_offer(token: str, *, now: datetime, remark: str | None) -> IssuedBooking:
    """Take the seats an info-moment offer holds: a registration with the organisation and attendees the
    professional joined the waiting list with. The seats were taken by the offer, with the one atomic seat
    statement; the claim only fills them (`booking.services.lifecycle.claim_offer`, whose errors it raises)."""
    return lifecycle.claim_offer(token, now=now, assistance_note=remark)


def change_attendees(booking: Booking, attendees: int, *, now: datetime) -> Booking:
    """Come with more or fewer colleagues: more takes the extra seats atomically (SlotFull when they are not
    free), fewer gives seats back and offers them to the waiting list."""
    if not booking.candidate_can_change(now) or not booking.moment.is_info:
        raise BookingNotChangeable(booking.id)
    if not 1 <= attendees <= MAX_ATTENDEES:
        raise TooManyAttendees(attendees)
    extra = attendees - booking.seats
    if extra > 0:
        seats.take_seat(booking.slot_id, extra)
    elif extra < 0:
        seats.release_seat(booking.slot_id, -extra)
    booking.seats = attendees
    booking.updated_at = now
    db.session.flush()
    if extra < 0:
        waitlist.offer_freed_seat(booking.slot, now=now)
    return booking


def cancel(booking: Booking, *, now: datetime) -> Booking:
    """Cancel a registration: every seat back, SEQUENCE raised, a METHOD:CANCEL calendar file by e-mail."""
    if not booking.moment.is_info:
        raise BookingNotChangeable(booking.id)
    return lifecycle.cancel_by_candidate(booking, now=now)
