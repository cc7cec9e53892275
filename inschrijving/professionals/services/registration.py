"""A professional's registration for an info moment: register, change the number of attendees, cancel.

A registration is a `Booking` in the info moment's one slot holding `seats` seats (its attendees).
Seats are taken and given back only through the atomic statements of `booking.services.seats`, so the
session is never overbooked, however many register at once (tests/professionals/test_concurrency.py).
"""

from __future__ import annotations

from datetime import datetime

from inschrijving.booking.models import BookedBy, Booking
from inschrijving.booking.services import lifecycle, new_booking, seats, waitlist
from inschrijving.booking.services.base import (
    BookingClosed,
    BookingError,
    BookingNotChangeable,
    ContactDetails,
    IssuedBooking,
    SlotNotFound,
)
from inschrijving.booking.services.seats import load_seat_target
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, RegistrationMoment

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
