from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, bool_false, created_at, intpk, str_enum
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.planning.models import RegistrationMoment, Slot


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"


class ChangeRefused(enum.StrEnum):
    """Why the person a booking is for can no longer move, change or cancel it (said in plain words on its page)."""

    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    STARTED = "started"


LIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
_LIVE_SQL = "status IN ('booked', 'checked_in')"
# The phone and e-mail indexes compare only contacts that are the candidate's own: a social worker's
# work number may be the channel of several clients (docs/booking.md, "Booking on behalf of a client").
_LIVE_OWN_SQL = "status IN ('booked', 'checked_in') AND contact_channel = 'own'"
_LIVE_CLIENT_SQL = "status IN ('booked', 'checked_in') AND client_key IS NOT NULL"


class BookedBy(enum.StrEnum):
    SELF = "self"
    VOLUNTEER = "volunteer"
    SOCIAL_WORKER = "social_worker"


class ContactChannel(enum.StrEnum):
    """Whose phone and e-mail a booking's `phone`/`email` are: the candidate's own, or the booker's.

    A client without phone or e-mail is reached through the social worker (or volunteer) who booked:
    confirmations and reminders then go to the worker, and the letter is printed for the client.
    """

    OWN = "own"
    BOOKER = "booker"


def message_language(channel: ContactChannel, language: str, booker_language: str | None) -> str:
    """The language of the messages a booking sends: the one rule, for a booking row and a booking being made.

    A client reached through their booker is written to at the booker's contact, so in the booker's
    language: the language of the pages the worker (or volunteer) booked in. What is for the client
    (the printed letter, the interpreter) stays in the client's `language` (docs/booking.md).
    """
    if speaks_to_booker(channel) and booker_language:
        return booker_language
    return language


def speaks_to_booker(channel: ContactChannel) -> bool:
    """Whether a booking's e-mails speak to the worker (or volunteer) who booked, about "uw cliënt": the one rule.

    They do when they go to the booker's contact (a client without phone or e-mail); a client reached at
    their own contact gets the candidate's messages, whoever booked (docs/booking.md).
    """
    return channel == ContactChannel.BOOKER


class ReachBy(enum.StrEnum):
    """The channels a candidate with both a mobile number and an e-mail address chose."""

    BOTH = "both"
    EMAIL = "email"
    SMS = "sms"


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint(
            "phone IS NOT NULL OR email IS NOT NULL OR is_walk_in OR anonymised_at IS NOT NULL", name="has_contact"
        ),
        sa.CheckConstraint("household_size BETWEEN 1 AND 30", name="household_size_range"),
        sa.CheckConstraint("seats BETWEEN 1 AND 50", name="seats_range"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        # One live booking per contact per moment, enforced by the database itself.
        sa.Index(
            "uq_bookings_live_phone",
            "moment_id",
            "phone",
            unique=True,
            sqlite_where=sa.text(_LIVE_OWN_SQL),
            postgresql_where=sa.text(_LIVE_OWN_SQL),
        ),
        sa.Index(
            "uq_bookings_live_email",
            "moment_id",
            "email",
            unique=True,
            sqlite_where=sa.text(_LIVE_OWN_SQL),
            postgresql_where=sa.text(_LIVE_OWN_SQL),
        ),
        # One live booking per client reached through their booker (see `client_key`).
        sa.Index(
            "uq_bookings_live_client",
            "moment_id",
            "client_key",
            unique=True,
            sqlite_where=sa.text(_LIVE_CLIENT_SQL),
            postgresql_where=sa.text(_LIVE_CLIENT_SQL),
        ),
        sa.Index("ix_bookings_social_worker_email", "social_worker_email"),
        sa.Index("ix_bookings_slot_id_status", "slot_id", "status"),
    )

    id: Mapped[intpk]
    # Short, human reference read out over the phone, e.g. K7F-3QX.
    reference: Mapped[str] = mapped_column(sa.String(7), unique=True)
    # SHA-256 of the manage token; the token itself only travels in the link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # A link sent again on request ("stuur mij de link opnieuw"): it works next to the first one, so
    # whoever asks for a resend (anyone who knows the phone number) cannot kill the candidate's link.
    next_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The manage link a letter printed by the booker carries (booking.services.letter_links): derived from the
    # server secret, the same on every reprint; cleared when the manage link is revoked or the booking anonymised.
    letter_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_moments.id", ondelete="RESTRICT"))
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="RESTRICT"))
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus), default=BookingStatus.BOOKED)
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    # E.164 (+32...), normalised by the form, so the unique index compares like with like.
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(8), default="nl")
    # The language of the pages the booker used when booking for someone else (the request's locale):
    # messages that go to the booker's contact speak it (`message_language`).
    booker_language: Mapped[str | None] = mapped_column(sa.String(8))
    household_size: Mapped[int] = mapped_column(default=1)
    needs_interpreter: Mapped[bool_false]
    interpreter_language: Mapped[str | None] = mapped_column(sa.String(60))
    assistance_note: Mapped[str | None] = mapped_column(sa.Text)
    booked_by: Mapped[BookedBy] = mapped_column(str_enum(BookedBy), default=BookedBy.SELF)
    social_worker_name: Mapped[str | None] = mapped_column(sa.String(120))
    social_worker_organisation: Mapped[str | None] = mapped_column(sa.String(120))
    social_worker_phone: Mapped[str | None] = mapped_column(sa.String(20))
    # The worker's own work e-mail: where their list of the bookings they made is sent.
    social_worker_email: Mapped[str | None] = mapped_column(sa.String(254))
    # Whose contact `phone`/`email` are (the candidate's own, or the booker's for a client without one).
    contact_channel: Mapped[ContactChannel] = mapped_column(
        str_enum(ContactChannel), default=ContactChannel.OWN, server_default=ContactChannel.OWN.value
    )
    client_birth_year: Mapped[int | None]
    # Identifies a client reached through their booker: a hash of the booker's phone, the client's
    # name and birth year (booking.services.clients). Unique per moment among live bookings.
    client_key: Mapped[str | None] = mapped_column(sa.String(64))
    # Seats the booking holds: 1 for a candidate, the number of attendees for an info-moment registration.
    seats: Mapped[int] = mapped_column(default=1, server_default="1")
    # The professional's organisation (info-moment registrations).
    organisation: Mapped[str | None] = mapped_column(sa.String(120))
    is_walk_in: Mapped[bool_false]
    # iCalendar SEQUENCE: raised on every move and on cancellation.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # Set by the retention purge or an erasure: contact data gone, status kept for the statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # How the candidate wants to be reached when they gave both a mobile number and an address (issue 18).
    reach_by: Mapped[ReachBy] = mapped_column(str_enum(ReachBy), default=ReachBy.BOTH, server_default="both")
    # The candidate stopped SMS on the manage page; the provider refused the number (staff see it).
    sms_opted_out_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    sms_refused_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    moment: Mapped[RegistrationMoment] = relationship()
    slot: Mapped[Slot] = relationship()

    # Facts about one booking: the services enforce them, the pages ask them (never the status string).

    @hybrid_property
    def is_live(self) -> bool:
        """Holds a seat: expected or checked in."""
        return self.status in LIVE_BOOKING_STATUSES

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(LIVE_BOOKING_STATUSES)

    @property
    def speaks_to_booker(self) -> bool:
        """Its messages address the booker about their client (`speaks_to_booker`), not the candidate."""
        return speaks_to_booker(self.contact_channel)

    @property
    def message_language(self) -> str:
        """The language of every e-mail, SMS and calendar text this booking sends (`message_language`)."""
        return message_language(self.contact_channel, self.language, self.booker_language)

    @property
    def is_booked_for_someone_else(self) -> bool:
        return self.booked_by != BookedBy.SELF

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED

    @property
    def is_expected(self) -> bool:
        """Booked, and nobody has said yet whether the candidate came."""
        return self.status == BookingStatus.BOOKED

    @property
    def is_no_show(self) -> bool:
        return self.status == BookingStatus.NO_SHOW

    @property
    def is_checked_in(self) -> bool:
        return self.status == BookingStatus.CHECKED_IN

    def marks_attendance_on_another_day(self, today: date) -> bool:
        """Checking in or marking a no-show today would not be on the moment's own day (a candidate's or an
        info moment's): staff see both dates and click twice."""
        return self.moment.held_on != today

    def change_refused_reason(self, now: datetime) -> ChangeRefused | None:
        """Why the candidate (or the registered professional) may no longer move, change or cancel it, or None."""
        if self.status != BookingStatus.BOOKED:
            return ChangeRefused(self.status)
        if self.slot.starts_at <= now:
            return ChangeRefused.STARTED
        return None

    def candidate_can_change(self, now: datetime) -> bool:
        """The candidate may still move or cancel it: expected, and its slot has not started."""
        return self.change_refused_reason(now) is None

    @property
    def can_check_in(self) -> bool:
        """Staff may check the candidate in: expected, or marked no-show and turning up late after all."""
        return self.status in (BookingStatus.BOOKED, BookingStatus.NO_SHOW)

    @property
    def can_mark_no_show(self) -> bool:
        """Staff may mark that the candidate did not come; a checked-in candidate is undone first."""
        return self.is_expected

    @property
    def can_undo_attendance(self) -> bool:
        """Staff may put a checked-in or no-show booking back to expected."""
        return self.status in (BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)

    @property
    def can_move(self) -> bool:
        """Staff may move it to another slot of its moment: any live booking, also on the day itself."""
        return self.is_live

    @property
    def can_reissue_link(self) -> bool:
        """A volunteer may revoke its manage link and issue a new one (a walk-in never had one)."""
        return self.is_live and not self.is_walk_in

    @property
    def can_start_dossier(self) -> bool:
        """A dossier may be started from it: the rule `dossiers.services.lifecycle.start_dossier` applies."""
        return self.is_live and self.moment.takes_dossiers


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    EXPIRED = "expired"
    NOTIFIED = "notified"  # told that a next moment opened
    CANCELLED = "cancelled"


class WaitlistEntry(db.Model):
    """A person waiting for a seat at a full moment, or (moment_id NULL) for the next moment to open."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        sa.CheckConstraint("phone IS NOT NULL OR email IS NOT NULL OR anonymised_at IS NOT NULL", name="has_contact"),
        sa.CheckConstraint("seats BETWEEN 1 AND 50", name="seats_range"),
        sa.Index("ix_waitlist_entries_moment_id_status_created_at", "moment_id", "status", "created_at"),
    )

    id: Mapped[intpk]
    moment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration_moments.id", ondelete="CASCADE")
    )
    status: Mapped[WaitlistStatus] = mapped_column(str_enum(WaitlistStatus), default=WaitlistStatus.WAITING)
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(8), default="nl")
    household_size: Mapped[int] = mapped_column(default=1)
    # A professional waiting for an info moment: their organisation, and the seats an offer holds (attendees).
    organisation: Mapped[str | None] = mapped_column(sa.String(120))
    seats: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[created_at]
    offered_slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("slots.id", ondelete="SET NULL"))
    offer_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    offer_expires_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id", ondelete="SET NULL"))
    # An entry made for a booking that new opening hours unseated (`lifecycle.unseat_for_new_times`): the
    # claim books that booking again, as it was made (on behalf of a client: the booker, the channel, the
    # client's identity and language). `language` is then the language its messages speak.
    replaces_booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id", ondelete="SET NULL"))
    # A client reached through their booker is known by it, as on their booking (`Booking.client_key`): the
    # booker's contact is no identity, so it does not make two clients of one worker the same person waiting.
    client_key: Mapped[str | None] = mapped_column(sa.String(64))
    anonymised_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    moment: Mapped[RegistrationMoment | None] = relationship()
    offered_slot: Mapped[Slot | None] = relationship()
    replaces_booking: Mapped[Booking | None] = relationship(foreign_keys=[replaces_booking_id])

    @property
    def is_for_client_of_booker(self) -> bool:
        """Waits for a client someone else booked: the offer's pages speak to that booker about the client."""
        return self.replaces_booking is not None and self.replaces_booking.is_booked_for_someone_else

    def offer_is_open(self, now: datetime) -> bool:
        """A seat is held for this person and the claim link still works."""
        return self.status == WaitlistStatus.OFFERED and self.offer_expires_at > now
