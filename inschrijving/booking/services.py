"""Booking rules: taking and giving back seats, booking, moving, cancelling, the manage link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from inschrijving.booking import notices
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, BookedBy, Booking, BookingStatus
from inschrijving.extensions import db
from inschrijving.notifications.services import queue_message
from inschrijving.planning.models import MomentKind, RegistrationMoment, Slot


class BookingError(Exception):
    """Base class for booking rule violations."""


class SlotFull(BookingError):
    """No free seat left in the slot."""


class BookingClosed(BookingError):
    """The moment does not take bookings now; `reason` says why (not_bookable, not_published, not_yet_open, closed)."""

    def __init__(self, moment: RegistrationMoment, reason: str):
        super().__init__(reason)
        self.moment = moment
        self.reason = reason


class DuplicateContact(BookingError):
    """This phone number or e-mail address already holds a live booking for the moment."""

    def __init__(self, existing: Booking):
        super().__init__(existing.id)
        self.existing = existing


class BookingNotChangeable(BookingError):
    """The booking is cancelled, already used, or its slot has started."""


class SameSlot(BookingError):
    """A move to the slot the booking already has."""


# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: references are read out over the phone and typed from paper.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_ATTEMPTS = 8


def take_seat(slot_id: int) -> None:
    """Take one seat in a slot atomically, or raise SlotFull.

    One conditional UPDATE: the database compares and increments in a single step, so two
    requests can never both take the last seat (SQLite ignores SELECT ... FOR UPDATE; this
    works on SQLite and PostgreSQL alike).
    """
    result = db.session.execute(
        sa.update(Slot)
        .where(Slot.id == slot_id, Slot.booked < Slot.capacity)
        .values(booked=Slot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise SlotFull(slot_id)
    _expire_slot(slot_id)


def release_seat(slot_id: int) -> None:
    """Give one seat back to a slot."""
    db.session.execute(
        sa.update(Slot)
        .where(Slot.id == slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1)
        .execution_options(synchronize_session=False)
    )
    _expire_slot(slot_id)


def _expire_slot(slot_id: int) -> None:
    # The UPDATE bypassed the identity map: make a loaded Slot re-read its counter.
    slot = db.session.identity_map.get(db.session.identity_key(Slot, slot_id))
    if slot is not None:
        db.session.expire(slot, ["booked"])


@dataclass(frozen=True)
class ContactDetails:
    """What a candidate (or the social worker booking for them) tells us."""

    contact_name: str
    phone: str | None = None
    email: str | None = None
    language: str = "nl"
    household_size: int = 1
    needs_interpreter: bool = False
    interpreter_language: str | None = None
    assistance_note: str | None = None
    booked_by: BookedBy = BookedBy.SELF
    social_worker_name: str | None = None
    social_worker_organisation: str | None = None
    social_worker_phone: str | None = None


@dataclass(frozen=True)
class IssuedBooking:
    """A booking plus its manage token; the token exists only here and in the link built from it."""

    booking: Booking
    token: str


def new_token() -> tuple[str, str]:
    """A fresh manage token (256 random bits) and the hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def get_booking_by_token(token: str) -> Booking | None:
    """Find the booking a manage token belongs to, or None for unknown or malformed tokens."""
    if not token or len(token) > 100:
        return None
    wanted = hash_token(token)
    booking = db.session.scalar(sa.select(Booking).where(Booking.token_hash == wanted))
    if booking is None or not hmac.compare_digest(booking.token_hash, wanted):
        return None
    return booking


def check_booking_window(moment: RegistrationMoment, *, now: datetime) -> None:
    """Raise BookingClosed with the reason when the moment takes no bookings at `now`.

    Only registration moments take bookings: an info session for social workers has slots too, but
    nobody may book or move into one (the pages hide them; a crafted POST must not get in either).
    """
    if moment.kind != MomentKind.REGISTRATION:
        raise BookingClosed(moment, "not_bookable")
    if not moment.is_published:
        raise BookingClosed(moment, "not_published")
    if now < moment.booking_opens_at:
        raise BookingClosed(moment, "not_yet_open")
    if now >= moment.booking_closes_at:
        raise BookingClosed(moment, "closed")


def settle_reminder(booking: Booking, *, now: datetime) -> None:
    """Decide whether `send-reminders` still has to remind this booking, when it is made or moved.

    A booking made or moved within REMINDER_DAYS_BEFORE of its slot counts as reminded: the
    confirmation or move notice that goes out now already gives the time (a new booking's also the
    link and the checklist). A reminder on top would be the second mail in a day, and it would rotate
    the manage token, killing the link that notice and the printed QR code just promised. Further
    ahead, the new time gets its own reminder later. The one rule for booking, claiming an offer and
    moving (by the candidate or by staff).
    """
    window = timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    booking.reminder_sent_at = now if booking.slot.starts_at <= now + window else None


def find_live_booking_for_contact(
    moment_id: int, *, phone: str | None, email: str | None, exclude_id: int | None = None
) -> Booking | None:
    """The live booking that already uses this phone or e-mail for the moment, if any."""
    matches = []
    if phone:
        matches.append(Booking.phone == phone)
    if email:
        matches.append(Booking.email == email)
    if not matches:
        return None
    stmt = sa.select(Booking).where(
        Booking.moment_id == moment_id, Booking.status.in_(LIVE_BOOKING_STATUSES), sa.or_(*matches)
    )
    if exclude_id is not None:
        stmt = stmt.where(Booking.id != exclude_id)
    return db.session.scalars(stmt.limit(1)).first()


def book_slot(slot: Slot, *, details: ContactDetails, now: datetime, notify: bool = True) -> IssuedBooking:
    """Book one seat in a slot for a candidate, in the caller's transaction.

    Raises BookingClosed, DuplicateContact or SlotFull; the caller rolls back on any of them.
    A contact that already holds a live booking for the moment is caught by the database's unique
    indexes when the row is inserted, not by a query beforehand: one round trip fewer on the
    busiest write, and the index is what holds under concurrency anyway.
    """
    check_booking_window(slot.moment, now=now)
    try:
        return insert_booking(slot, details=details, now=now, take_seat_first=True, notify=notify)
    except SlotFull:
        # Someone who already has a booking is better told so than that this hour is full.
        existing = find_live_booking_for_contact(slot.moment_id, phone=details.phone, email=details.email)
        if existing is not None:
            raise DuplicateContact(existing) from None
        raise


def insert_booking(slot: Slot, *, details: ContactDetails, now: datetime, take_seat_first: bool,
                   notify: bool = True) -> IssuedBooking:
    """Insert a booking row, taking its seat first unless the caller holds one (a waiting-list offer).

    The confirmation is rendered before any write, so the seat (and on SQLite the database's write
    lock) is held only for the UPDATE, the INSERTs and the commit. A contact that already holds a
    live booking for the moment raises DuplicateContact (the unique indexes); a reference collision
    is drawn again. The seat is taken once.
    """
    seat_taken = not take_seat_first
    for _attempt in range(REFERENCE_ATTEMPTS):
        token, token_hash = new_token()
        booking = Booking(
            reference=new_reference(),
            token_hash=token_hash,
            moment=slot.moment,
            slot=slot,
            status=BookingStatus.BOOKED,
            contact_name=details.contact_name,
            phone=details.phone,
            email=details.email,
            language=details.language,
            household_size=details.household_size,
            needs_interpreter=details.needs_interpreter,
            interpreter_language=details.interpreter_language if details.needs_interpreter else None,
            assistance_note=details.assistance_note,
            booked_by=details.booked_by,
            social_worker_name=details.social_worker_name,
            social_worker_organisation=details.social_worker_organisation,
            social_worker_phone=details.social_worker_phone,
            sequence=0,
            created_at=now,
        )
        settle_reminder(booking, now=now)
        confirmation = notices.confirmation_message(booking, token, now=now) if notify else None
        if not seat_taken:
            take_seat(slot.id)
            seat_taken = True
        try:
            # A savepoint, so a lost race on a unique index leaves the seat and the session usable.
            # The confirmation goes in the same flush: one unit of work, and gone with a failed insert.
            with db.session.begin_nested():
                db.session.add(booking)
                if confirmation is not None:
                    queue_message(**confirmation)
        except IntegrityError:
            existing = find_live_booking_for_contact(slot.moment_id, phone=details.phone, email=details.email)
            if existing is not None:
                raise DuplicateContact(existing) from None
            continue  # reference (or, astronomically unlikely, token hash) collided: draw again
        return IssuedBooking(booking=booking, token=token)
    raise BookingError("could not draw a unique reference")


def check_changeable(booking: Booking, *, now: datetime) -> None:
    """Raise BookingNotChangeable unless the candidate may still move or cancel the booking."""
    if booking.status != BookingStatus.BOOKED or booking.slot.starts_at <= now:
        raise BookingNotChangeable(booking.id)


def move_booking(booking: Booking, *, new_slot: Slot, now: datetime, notify: bool = True) -> Booking:
    """Move a booking to another slot (of this or another moment), keeping the same row and reference.

    The new seat is taken before the old one is given back, in one transaction: a full target
    leaves the booking where it was. Anything linked to the booking (a dossier) stays linked.
    """
    check_changeable(booking, now=now)
    if new_slot.id == booking.slot_id:
        raise SameSlot(booking.id)
    check_booking_window(new_slot.moment, now=now)
    if new_slot.moment_id != booking.moment_id:
        existing = find_live_booking_for_contact(
            new_slot.moment_id, phone=booking.phone, email=booking.email, exclude_id=booking.id
        )
        if existing is not None:
            raise DuplicateContact(existing)
    old_slot = booking.slot
    take_seat(new_slot.id)
    release_seat(old_slot.id)
    booking.slot = new_slot
    booking.moment = new_slot.moment
    booking.sequence += 1
    booking.updated_at = now
    settle_reminder(booking, now=now)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DuplicateContact(booking) from None
    # waitlist builds on this module, so it is imported when first needed.
    from inschrijving.booking import waitlist

    if notify:
        notices.queue_moved(booking, now=now)
    waitlist.offer_freed_seat(old_slot, now=now)
    return booking


def cancel_booking(booking: Booking, *, now: datetime, notify: bool = True) -> Booking:
    """Cancel a booking: give the seat back, raise the calendar sequence, offer the seat to the waiting list."""
    check_changeable(booking, now=now)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.updated_at = now
    booking.sequence += 1
    release_seat(booking.slot_id)
    db.session.flush()
    from inschrijving.booking import waitlist

    if notify:
        notices.queue_cancelled(booking, now=now)
    waitlist.offer_freed_seat(booking.slot, now=now)
    return booking


def rotate_token(booking: Booking) -> str:
    """Give the booking a new manage token; the old link stops working."""
    token, token_hash = new_token()
    booking.token_hash = token_hash
    db.session.flush()
    return token


def reissue_manage_link(booking: Booking, *, now: datetime) -> str:
    """Revoke the booking's manage link and issue a new one, at the candidate's request to a volunteer.

    The old link stops working at once (a lost or shared letter); the new one is e-mailed when the
    booking has an address, and the volunteer can print it. Returns the new token, shown once.
    """
    if not booking.is_live:
        raise BookingNotChangeable(booking.reference)
    token = rotate_token(booking)
    if booking.email:
        notices.queue_manage_link(booking, token, now=now)
    return token


@dataclass(frozen=True)
class ResendOutcome:
    """emailed: a fresh link went to the booking's e-mail; otherwise the candidate must call."""

    emailed: bool
    booking: Booking


def resend_manage_link(booking: Booking, *, now: datetime) -> ResendOutcome:
    """Send a fresh manage link to the booking's e-mail address (the old link stops working).

    Only the address on the booking ever receives it, so asking for it reveals nothing to the asker.
    """
    if not booking.email or not booking.is_live:
        return ResendOutcome(emailed=False, booking=booking)
    token = rotate_token(booking)
    notices.queue_manage_link(booking, token, now=now)
    return ResendOutcome(emailed=True, booking=booking)
