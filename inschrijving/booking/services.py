"""Booking rules: taking and giving back seats, booking, moving, cancelling, the manage link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from inschrijving.booking import notices
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, BookedBy, Booking, BookingStatus
from inschrijving.booking.seats import (
    RELEASE_SEAT,
    TAKE_SEAT,
    BookingDraft,
    SeatTarget,
    load_seat_target,
    reference_or_token_taken,
    write_booking,
)
from inschrijving.extensions import db
from inschrijving.notifications.services import templated_message_row
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot


class BookingError(Exception):
    """Base class for booking rule violations."""


class SlotNotFound(BookingError):
    """No such slot (or not in the moment the link named)."""


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
    result = db.session.connection().execute(TAKE_SEAT, {"seat_slot_id": slot_id})
    if result.rowcount != 1:
        raise SlotFull(slot_id)
    _expire_slot(slot_id)


def release_seat(slot_id: int) -> None:
    """Give one seat back to a slot."""
    db.session.connection().execute(RELEASE_SEAT, {"seat_slot_id": slot_id})
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
    """A new booking's id and reference plus its manage token; the token exists only here and in its link."""

    booking_id: int
    reference: str
    token: str

    @property
    def booking(self) -> Booking:
        # Loaded when asked: the public booking page needs only the token for its redirect.
        return db.session.get_one(Booking, self.booking_id)


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
    reason = booking_window_reason(moment, now=now)
    if reason is not None:
        raise BookingClosed(moment, reason)


def booking_window_reason(moment: RegistrationMoment | SeatTarget, *, now: datetime) -> str | None:
    """Why the moment takes no bookings at `now` (a BookingClosed reason), or None when it does."""
    if moment.kind != MomentKind.REGISTRATION:
        return "not_bookable"
    if moment.status != MomentStatus.PUBLISHED:
        return "not_published"
    if now < moment.booking_opens_at:
        return "not_yet_open"
    if now >= moment.booking_closes_at:
        return "closed"
    return None


def settle_reminder(booking: Booking, *, now: datetime) -> None:
    """Decide whether `send-reminders` still has to remind this booking, when it is made or moved.

    A booking made or moved within REMINDER_DAYS_BEFORE of its slot counts as reminded: the
    confirmation or move notice that goes out now already gives the time (a new booking's also the
    link and the checklist). A reminder on top would be the second mail in a day, and it would rotate
    the manage token, killing the link that notice and the printed QR code just promised. Further
    ahead, the new time gets its own reminder later. The one rule for booking, claiming an offer and
    moving (by the candidate or by staff).
    """
    booking.reminder_sent_at = settled_reminder(booking.slot.starts_at, now=now)


def settled_reminder(starts_at: datetime, *, now: datetime) -> datetime | None:
    """`reminder_sent_at` for a booking made or moved now into a slot starting at `starts_at`."""
    window = timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    return now if starts_at <= now + window else None


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
    reason = booking_window_reason(target, now=now)
    if reason is not None:
        raise BookingClosed(db.session.get_one(RegistrationMoment, target.moment_id), reason)
    try:
        return insert_booking(target, details=details, now=now, take_seat_first=True, notify=notify)
    except SlotFull:
        # Someone who already has a booking is better told so than that this hour is full.
        existing = find_live_booking_for_contact(target.moment_id, phone=details.phone, email=details.email)
        if existing is not None:
            raise DuplicateContact(existing) from None
        raise


def insert_booking(target: SeatTarget | Slot, *, details: ContactDetails, now: datetime, take_seat_first: bool,
                   notify: bool = True) -> IssuedBooking:
    """Insert a booking row, taking its seat first unless the caller holds one (a waiting-list offer).

    The confirmation is built before any write, so the seat (and on SQLite the database's write
    lock) is held only for the UPDATE, the two INSERTs and the commit. A contact that already
    holds a live booking for the moment raises DuplicateContact (the unique indexes); a reference
    collision is drawn again. The seat is taken once. The rows are written with Core statements
    and no savepoint: a refused row is no row, not an error (`seats.booking_insert`).
    """
    if isinstance(target, Slot):
        target = SeatTarget.of(target)
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
    }
    seat_taken = not take_seat_first
    for _attempt in range(REFERENCE_ATTEMPTS):
        token, token_hash = new_token()
        reference = new_reference()
        message = None
        if notify and details.email:
            draft = BookingDraft(reference=reference, contact_name=details.contact_name, email=details.email,
                                 language=details.language, target=target)
            message = templated_message_row(**notices.confirmation_message(draft, token, now=now))
        written = write_booking({**values, "reference": reference, "token_hash": token_hash}, message,
                                slot_id=target.slot_id, take_seat=not seat_taken)
        if not seat_taken:
            if not written.seat_taken:
                raise SlotFull(target.slot_id)
            seat_taken = True
            _expire_slot(target.slot_id)
        if written.booking_id is None:
            existing = find_live_booking_for_contact(target.moment_id, phone=details.phone, email=details.email)
            if existing is not None:
                raise DuplicateContact(existing)
            if not reference_or_token_taken(reference, token_hash):
                # ON CONFLICT DO NOTHING names no index: a refusal by any other unique index must
                # not be mistaken for a collision and redrawn in vain.
                raise BookingError("a unique index refused the booking")
            continue  # reference (or, astronomically unlikely, token hash) collided: draw again
        return IssuedBooking(booking_id=written.booking_id, reference=reference, token=token)
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
