"""Writing a new booking: reference and token drawn (again on a collision), seat, row and confirmation.

Every transition that creates a booking (`lifecycle.book_slot`, `claim_offer`, `add_walk_in`) writes
it here, through `seats.write_booking`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from flask import current_app

from inschrijving.booking import queries
from inschrijving.booking.models import BookingStatus
from inschrijving.booking.services import notices, seats
from inschrijving.booking.services.base import BookingError, ContactDetails, DuplicateContact, IssuedBooking, SlotFull
from inschrijving.booking.services.seats import BookingDraft, SeatTarget, write_booking
from inschrijving.booking.services.tokens import new_reference
from inschrijving.notifications.services import templated_message_row
from inschrijving.tokens import new_token

REFERENCE_ATTEMPTS = 8


def settled_reminder(starts_at: datetime, *, now: datetime) -> datetime | None:
    """`reminder_sent_at` for a booking made or moved now into a slot starting at `starts_at`.

    A booking made or moved within REMINDER_DAYS_BEFORE of its slot counts as reminded: the
    confirmation or move notice that goes out now already gives the time (a new booking's also the
    link and the checklist). A reminder on top would be the second mail in a day, and it would rotate
    the manage token, killing the link that notice and the printed QR code just promised. Further
    ahead, the new time gets its own reminder later.
    """
    window = timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    return now if starts_at <= now + window else None


def insert_booking(target: SeatTarget, *, details: ContactDetails, now: datetime, take_seat_first: bool,
                   notify: bool = True, confirmation=notices.confirmation_message, **columns) -> IssuedBooking:
    """Insert a booking row, taking its seat first unless the caller holds one (an offer, a walk-in).

    The confirmation is built before any write, so the seat (and on SQLite the database's write
    lock) is held only for the UPDATE, the two INSERTs and the commit. A contact that already
    holds a live booking for the moment raises DuplicateContact (the unique indexes); a reference
    collision is drawn again. The seat is taken once. The rows are written with Core statements
    and no savepoint: a refused row is no row, not an error (`seats.booking_insert`). `columns`
    override the values of a new candidate booking (a walk-in arrives checked in).
    """
    # ContactDetails names its fields after the booking's columns.
    values = {
        **asdict(details),
        "interpreter_language": details.interpreter_language if details.needs_interpreter else None,
        "moment_id": target.moment_id,
        "slot_id": target.slot_id,
        "status": BookingStatus.BOOKED,
        "is_walk_in": False,
        "sequence": 0,
        "created_at": now,
        "reminder_sent_at": settled_reminder(target.starts_at, now=now),
        **columns,
    }
    seat_taken = not take_seat_first
    for _attempt in range(REFERENCE_ATTEMPTS):
        token, token_hash = new_token()
        reference = new_reference()
        message = None
        if notify and notices.wants_email(details):
            draft = BookingDraft(reference=reference, contact_name=details.contact_name, email=details.email,
                                 message_language=details.message_language, target=target, seats=details.seats,
                                 speaks_to_booker=details.speaks_to_booker,
                                 social_worker_name=details.social_worker_name)
            message = templated_message_row(**confirmation(draft, token, now=now))
        written = write_booking({**values, "reference": reference, "token_hash": token_hash}, message,
                                slot_id=target.slot_id, take_seat=not seat_taken)
        if not seat_taken:
            if not written.seat_taken:
                raise SlotFull(target.slot_id)
            seat_taken = True
            seats.forget_counter(target.slot_id)
        if written.booking_id is None:
            existing = queries.get_live_booking_for_person(target.moment_id, phone=details.phone,
                                                           email=details.email, client_key=details.client_key)
            if existing is not None:
                raise DuplicateContact(existing)
            if not seats.reference_or_token_taken(reference, token_hash):
                # ON CONFLICT DO NOTHING names no index: a refusal by any other unique index must
                # not be mistaken for a collision and redrawn in vain.
                raise BookingError("a unique index refused the booking")
            continue  # reference (or, astronomically unlikely, token hash) collided: draw again
        if notify:
            notices.queue_confirmation_sms(details, target, booking_id=written.booking_id, reference=reference,
                                           token=token, language=details.message_language)
        return IssuedBooking(booking_id=written.booking_id, reference=reference, token=token)
    raise BookingError("could not draw a unique reference")
