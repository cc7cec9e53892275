from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, created_at, intpk, str_enum

if TYPE_CHECKING:
    from inschrijving.accounts.models import User

from inschrijving.extensions import db


class MomentKind(enum.StrEnum):
    REGISTRATION = "registration"
    INFO = "info"  # info session for social workers


class MomentStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class BookingClosedReason(enum.StrEnum):
    """Why a moment takes no booking (and no move into it) at a given time; the closed page says it to candidates."""

    NOT_BOOKABLE = "not_bookable"  # an info moment: it has slots, but nobody books them
    NOT_PUBLISHED = "not_published"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


def booking_closed_reason(
    *, kind: MomentKind, status: MomentStatus, opens_at: datetime, closes_at: datetime, now: datetime,
    bookable_kind: MomentKind = MomentKind.REGISTRATION,
) -> BookingClosedReason | None:
    """The one rule for when a moment takes bookings: a published registration moment inside its window.

    Written once for loaded moments (`RegistrationMoment.booking_closed_reason`) and for the plain
    values the public booking reads (`booking.services.seats.SeatTarget`); its SQL twin is the
    expression of `RegistrationMoment.booking_closed_reason`.
    """
    if kind != bookable_kind:
        # Candidates book registration moments; professionals register for info moments (their own form).
        return BookingClosedReason.NOT_BOOKABLE
    if status != MomentStatus.PUBLISHED:
        return BookingClosedReason.NOT_PUBLISHED
    if now < opens_at:
        return BookingClosedReason.NOT_YET_OPEN
    if now >= closes_at:
        return BookingClosedReason.CLOSED
    return None


def place_note(place_notes: dict[str, str] | None, language: str) -> str:
    """A moment's note in the reader's language, Dutch when there is none in theirs."""
    notes = place_notes or {}
    return notes.get(language) or notes.get("nl", "")


moment_staff = sa.Table(
    "moment_staff",
    db.metadata,
    sa.Column("moment_id", sa.ForeignKey("registration_moments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RegistrationMoment(db.Model):
    """An inschrijvingsmoment: one day of group registration at one place."""

    __tablename__ = "registration_moments"
    __table_args__ = (
        sa.CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        sa.CheckConstraint("desks > 0", name="desks_positive"),
        sa.CheckConstraint("booking_closes_at > booking_opens_at", name="booking_window_ordered"),
        sa.Index("ix_registration_moments_status_held_on", "status", "held_on"),
    )

    id: Mapped[intpk]
    kind: Mapped[MomentKind] = mapped_column(str_enum(MomentKind), default=MomentKind.REGISTRATION)
    status: Mapped[MomentStatus] = mapped_column(str_enum(MomentStatus), default=MomentStatus.DRAFT)
    held_on: Mapped[date]
    title: Mapped[str | None] = mapped_column(sa.String(120))
    location_name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200))
    # Coordinator-written text per language code ({"nl": "...", "fr": "..."}); Dutch is the fallback.
    place_notes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    # An info moment's topic per language code ({"nl": "...", "fr": "..."}); Dutch is the fallback.
    topics: Mapped[dict[str, str] | None] = mapped_column(sa.JSON, default=dict)
    slot_minutes: Mapped[int]
    desks: Mapped[int]
    booking_opens_at: Mapped[datetime] = mapped_column(AwareDateTime)
    booking_closes_at: Mapped[datetime] = mapped_column(AwareDateTime)
    # Moments planned together as "every two months" share a series key.
    series_key: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    blocks: Mapped[list[OpeningBlock]] = relationship(
        back_populates="moment", cascade="all, delete-orphan", order_by="OpeningBlock.start_time"
    )
    slots: Mapped[list[Slot]] = relationship(
        back_populates="moment", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )
    staff: Mapped[list[User]] = relationship(secondary=moment_staff)

    # Facts about one moment. Lists need the booking window in SQL too: each hybrid has a twin
    # expression, and tests/planning/test_models.py checks that both give the same answer on rows.

    @hybrid_method
    def booking_closed_reason(self, now: datetime) -> BookingClosedReason | None:
        """Why the moment takes no bookings at `now`, or None when it does."""
        return booking_closed_reason(kind=self.kind, status=self.status, opens_at=self.booking_opens_at,
                                     closes_at=self.booking_closes_at, now=now)

    @booking_closed_reason.inplace.expression
    @classmethod
    def _booking_closed_reason_expression(cls, now: datetime) -> sa.ColumnElement[str | None]:
        return sa.case(
            (cls.kind != MomentKind.REGISTRATION, BookingClosedReason.NOT_BOOKABLE.value),
            (cls.status != MomentStatus.PUBLISHED, BookingClosedReason.NOT_PUBLISHED.value),
            (cls.booking_opens_at > now, BookingClosedReason.NOT_YET_OPEN.value),
            (cls.booking_closes_at <= now, BookingClosedReason.CLOSED.value),
            else_=sa.null(),
        )

    @hybrid_method
    def takes_bookings(self, now: datetime) -> bool:
        """Candidates can book (or move into) it at `now`."""
        return self.booking_closed_reason(now) is None

    @takes_bookings.inplace.expression
    @classmethod
    def _takes_bookings_expression(cls, now: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(cls.booking_open_or_upcoming(now), cls.booking_opens_at <= now)

    @hybrid_method
    def booking_open_or_upcoming(self, now: datetime) -> bool:
        """Candidates can book it now or once its window opens (the home page lists it; publishing it
        tells the people waiting for a next moment)."""
        return self.booking_closed_reason(now) in (None, BookingClosedReason.NOT_YET_OPEN)

    @booking_open_or_upcoming.inplace.expression
    @classmethod
    def _booking_open_or_upcoming_expression(cls, now: datetime) -> sa.ColumnElement[bool]:
        # Plain comparisons rather than the CASE above, so the (status, held_on) index serves the home page.
        return sa.and_(
            cls.kind == MomentKind.REGISTRATION, cls.status == MomentStatus.PUBLISHED, cls.booking_closes_at > now
        )

    @property
    def can_publish(self) -> bool:
        """A draft, or a closed moment opened again."""
        return self.status in (MomentStatus.DRAFT, MomentStatus.CLOSED)

    @property
    def can_close(self) -> bool:
        """Closing stops new bookings of a published moment; its bookings stay."""
        return self.status == MomentStatus.PUBLISHED

    @property
    def can_edit(self) -> bool:
        """Place, notes, booking window and opening blocks may change while it is a draft or published.

        Not an info moment: it is one session counted in attendees, and this form plans slots and desks.
        """
        return not self.is_info and self.status in (MomentStatus.DRAFT, MomentStatus.PUBLISHED)

    @property
    def has_desk_slots(self) -> bool:
        """Planned as slots with desks (a registration moment), so slot capacities can be changed one by one."""
        return not self.is_info

    @hybrid_property
    def takes_dossiers(self) -> bool:
        """Candidates come to start dossiers here, and its statistics count them. An info moment takes none:
        its professionals register, attend or do not come (pages, routes and lists ask this one fact)."""
        return self.kind == MomentKind.REGISTRATION

    @takes_dossiers.inplace.expression
    @classmethod
    def _takes_dossiers_expression(cls) -> sa.ColumnElement[bool]:
        return cls.kind == MomentKind.REGISTRATION

    @property
    def can_cancel(self) -> bool:
        return self.status != MomentStatus.CANCELLED

    @property
    def takes_walk_ins(self) -> bool:
        """The day runs: published or closed for booking (not a draft, not cancelled)."""
        return self.status in (MomentStatus.PUBLISHED, MomentStatus.CLOSED)

    def note_for(self, language: str) -> str:
        return place_note(self.place_notes, language)

    def topic_for(self, language: str) -> str:
        """An info moment's topic in the reader's language, Dutch when there is none in theirs."""
        return place_note(self.topics, language)

    def info_registration_closed_reason(self, now: datetime) -> BookingClosedReason | None:
        """Why professionals cannot register for this info moment at `now` (NOT_BOOKABLE for other kinds)."""
        return booking_closed_reason(kind=self.kind, status=self.status, opens_at=self.booking_opens_at,
                                     closes_at=self.booking_closes_at, now=now, bookable_kind=MomentKind.INFO)

    @property
    def is_info(self) -> bool:
        """An info moment for professionals: one session, seats counted in attendees."""
        return self.kind == MomentKind.INFO

    def __repr__(self) -> str:
        return f"<RegistrationMoment {self.id} {self.held_on} {self.status}>"


class OpeningBlock(db.Model):
    __tablename__ = "opening_blocks"
    __table_args__ = (sa.CheckConstraint("end_time > start_time", name="block_ordered"),)

    id: Mapped[intpk]
    moment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration_moments.id", ondelete="CASCADE"), index=True
    )
    start_time: Mapped[time]
    end_time: Mapped[time]

    moment: Mapped[RegistrationMoment] = relationship(back_populates="blocks")


class Slot(db.Model):
    __tablename__ = "slots"
    __table_args__ = (
        # The last line of defence against overbooking: the database refuses booked > capacity.
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("ends_at > starts_at", name="slot_ordered"),
        sa.UniqueConstraint("moment_id", "starts_at"),
    )

    id: Mapped[intpk]
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_moments.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime)
    ends_at: Mapped[datetime] = mapped_column(AwareDateTime)
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)

    moment: Mapped[RegistrationMoment] = relationship(back_populates="slots")

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity
