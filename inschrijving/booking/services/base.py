"""Exceptions and plain value types shared by the topic modules of `booking.services`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from inschrijving.booking.models import BookedBy, Booking, ContactChannel, ReachBy, message_language, speaks_to_booker
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.planning.models import BookingClosedReason, RegistrationMoment


@dataclass(frozen=True)
class ContactDetails:
    """What a candidate (or the social worker booking for them) tells us; the fields are the booking's columns."""

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
    social_worker_email: str | None = None
    # A client without phone or e-mail: `phone`/`email` are the booker's, `client_key` identifies the client.
    contact_channel: ContactChannel = ContactChannel.OWN
    client_birth_year: int | None = None
    client_key: str | None = None
    # Attendees of an info-moment registration (a candidate holds one seat) and their organisation.
    seats: int = 1
    organisation: str | None = None
    # Issue 18: which channels a candidate with both a mobile number and an address chose.
    reach_by: ReachBy = ReachBy.BOTH
    # The language of the pages the booker used (a client booked by someone else).
    booker_language: str | None = None

    @classmethod
    def of_booking(cls, booking: Booking) -> ContactDetails:
        """The details a booking was made with, to make it again (a claim for a booking that was unseated)."""
        return cls(**{field.name: getattr(booking, field.name) for field in fields(cls)})

    @property
    def message_language(self) -> str:
        """The language the booking's messages will speak (`booking.models.message_language`)."""
        return message_language(self.contact_channel, self.language, self.booker_language)

    @property
    def speaks_to_booker(self) -> bool:
        return speaks_to_booker(self.contact_channel)


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


class BookingError(Exception):
    """Base class for booking rule violations."""


class SlotNotFound(BookingError):
    """No such slot (or not in the moment the link named)."""


class SlotFull(BookingError):
    """No free seat left in the slot."""


class BookingClosed(BookingError):
    """The moment takes no bookings now; `reason` says why (a `BookingClosedReason`)."""

    def __init__(self, moment: RegistrationMoment, reason: BookingClosedReason):
        super().__init__(reason)
        self.moment = moment
        self.reason = reason


class DuplicateContact(BookingError):
    """This phone number or e-mail address already holds a live booking for the moment."""

    def __init__(self, existing: Booking):
        super().__init__(existing.id)
        self.existing = existing


class DuplicateClient(DuplicateContact):
    """A client reached through their booker (same booker, name and birth year) already holds a live booking."""


class BookingNotChangeable(BookingError):
    """The booking is cancelled, already used, or its slot has started (or, for a new link: not live)."""


class SameSlot(BookingError):
    """A move to the slot the booking already has."""


class NotMovable(BookingError):
    """Staff cannot move the booking to that slot (another moment, the same slot, or the booking is not live)."""


class WrongBookingStatus(BookingError):
    """The booking's status does not allow this step of the day (check in, no-show, undo)."""


class SeatTaken(BookingError):
    """Checking in (or undoing) a no-show needs its seat back, and the slot is full again."""


class MomentNotRunning(BookingError):
    """The moment takes no walk-ins: a draft, or cancelled."""


class WaitlistError(BookingError):
    """Base class for waiting-list rule violations."""


class AlreadyWaiting(WaitlistError):
    """This contact is already on this waiting list."""


class OfferGone(WaitlistError):
    """The offer link is unknown, expired, or was used already."""


class AlreadyBooked(WaitlistError):
    """The person holding the offer already has a live booking for the moment (`existing`).

    Unlike the other errors this one leaves work to commit: the offer is closed and its held seat
    passed on to the next person waiting, so the caller commits instead of rolling back.
    """

    def __init__(self, existing: Booking):
        super().__init__(existing.id)
        self.existing = existing
