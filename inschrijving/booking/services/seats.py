"""The busiest write: reading a slot and its moment, taking a seat, writing a booking and its confirmation.

A public booking is the one write that many candidates make at once, the morning a moment opens.
It reads what it needs as plain values (one Core SELECT, no ORM objects), then takes the seat with
one conditional UPDATE and inserts its two rows, with statements built once: no savepoint, no unit
of work. docs/performance.md has the measurements behind each choice; `lifecycle` holds the rules.

Every other change to a slot's seats goes through the statements here as well (`take_seat`,
`release_seat`, `grow_full_slot`, `set_capacity`, `empty_moment`): each compares and changes in one
step, so no two requests can overbook a slot. The CHECK constraint `booked_within_capacity` stays
as the last line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from inschrijving.booking.models import Booking
from inschrijving.booking.services.base import SlotFull
from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.models import (
    BookingClosedReason,
    MomentKind,
    MomentStatus,
    RegistrationMoment,
    Slot,
    booking_closed_reason,
    place_note,
)


@dataclass(frozen=True)
class SeatTarget:
    """A slot with what its moment tells a booking: whether it is open, and where it is."""

    slot_id: int
    moment_id: int
    starts_at: datetime
    ends_at: datetime
    kind: MomentKind
    status: MomentStatus
    booking_opens_at: datetime
    booking_closes_at: datetime
    location_name: str
    address: str
    place_notes: dict[str, str]

    def note_for(self, language: str) -> str:
        return place_note(self.place_notes, language)

    def booking_closed_reason(self, now: datetime,
                              bookable_kind: MomentKind = MomentKind.REGISTRATION) -> BookingClosedReason | None:
        """The moment's own rule (`RegistrationMoment.booking_closed_reason`), on these plain values."""
        return booking_closed_reason(kind=self.kind, status=self.status, opens_at=self.booking_opens_at,
                                     closes_at=self.booking_closes_at, now=now, bookable_kind=bookable_kind)

    @classmethod
    def of(cls, slot: Slot) -> SeatTarget:
        """The same values from loaded objects (a waiting-list claim has them already)."""
        moment = slot.moment
        return cls(
            slot_id=slot.id, moment_id=moment.id, starts_at=slot.starts_at, ends_at=slot.ends_at, kind=moment.kind,
            status=moment.status, booking_opens_at=moment.booking_opens_at,
            booking_closes_at=moment.booking_closes_at, location_name=moment.location_name, address=moment.address,
            place_notes=dict(moment.place_notes or {}),
        )


_slots = Slot.__table__
_moments = RegistrationMoment.__table__
# Built once, on the tables rather than the mapped classes: a statement made per request, or one
# that goes through the ORM's compile step, costs more than the query itself takes on SQLite.
_LOAD_TARGET = (
    sa.select(
        _slots.c.id, _slots.c.moment_id, _slots.c.starts_at, _slots.c.ends_at, _moments.c.kind, _moments.c.status,
        _moments.c.booking_opens_at, _moments.c.booking_closes_at, _moments.c.location_name, _moments.c.address,
        _moments.c.place_notes,
    )
    .join(_moments, _moments.c.id == _slots.c.moment_id)
    .where(_slots.c.id == sa.bindparam("wanted_slot_id"))
)
# One conditional UPDATE: the database compares and increments in one step (see take_seat).
# `seat_count` is 1 for a candidate and the number of attendees for an info-moment registration:
# all of them fit or none is taken.
_SEAT_COUNT = sa.bindparam("seat_count", type_=sa.Integer)
TAKE_SEAT = (
    sa.update(_slots)
    .where(_slots.c.id == sa.bindparam("seat_slot_id"), _slots.c.booked + _SEAT_COUNT <= _slots.c.capacity)
    .values(booked=_slots.c.booked + _SEAT_COUNT)
)
RELEASE_SEAT = (
    sa.update(_slots)
    .where(_slots.c.id == sa.bindparam("seat_slot_id"), _slots.c.booked >= _SEAT_COUNT)
    .values(booked=_slots.c.booked - _SEAT_COUNT)
)
# A full slot one seat larger; a seat that came free meanwhile makes it refuse, so that seat is used instead.
GROW_FULL_SLOT = (
    sa.update(_slots)
    .where(_slots.c.id == sa.bindparam("seat_slot_id"), _slots.c.booked >= _slots.c.capacity)
    .values(capacity=_slots.c.capacity + 1)
)
# A new capacity, refused when the slot holds more seats than that by now (a booking landed meanwhile).
SET_CAPACITY = (
    sa.update(_slots)
    .where(_slots.c.id == sa.bindparam("seat_slot_id"), _slots.c.booked <= sa.bindparam("new_capacity"))
    .values(capacity=sa.bindparam("new_capacity"))
)
EMPTY_MOMENT = sa.update(_slots).where(_slots.c.moment_id == sa.bindparam("seat_moment_id")).values(booked=0)


def take_seat(slot_id: int, count: int = 1) -> None:
    """Take one seat (or `count` seats, all or none) in a slot atomically, or raise SlotFull.

    One conditional UPDATE: the database compares and increments in a single step, so two
    requests can never both take the last seat (SQLite ignores SELECT ... FOR UPDATE; this
    works on SQLite and PostgreSQL alike).
    """
    if _run(TAKE_SEAT, slot_id, "booked", seat_count=count) != 1:
        raise SlotFull(slot_id)


def release_seat(slot_id: int, count: int = 1) -> None:
    """Give one seat (or `count` seats) back to a slot."""
    _run(RELEASE_SEAT, slot_id, "booked", seat_count=count)


def grow_full_slot(slot_id: int) -> bool:
    """Make a full slot one seat larger; False when a seat is free (then that one is taken instead)."""
    return _run(GROW_FULL_SLOT, slot_id, "capacity") == 1


def set_capacity(slot_id: int, capacity: int) -> bool:
    """Give a slot a new number of seats; False (and nothing changed) when it holds more than that."""
    return _run(SET_CAPACITY, slot_id, "capacity", new_capacity=capacity) == 1


def empty_moment(moment: RegistrationMoment) -> None:
    """Free every seat of a cancelled moment at once: its bookings are cancelled, its offers closed."""
    db.session.flush()
    db.session.connection().execute(EMPTY_MOMENT, {"seat_moment_id": moment.id})
    for slot in moment.slots:
        db.session.expire(slot, ["booked"])


def forget_counter(slot_id: int, counter: str = "booked") -> None:
    """Make a loaded Slot read a counter again after a statement here changed it past the identity map."""
    slot = db.session.identity_map.get(db.session.identity_key(Slot, slot_id))
    if slot is not None:
        db.session.expire(slot, [counter])


def _run(statement: sa.Update, slot_id: int, counter: str, **params) -> int:
    db.session.flush()  # what the session holds goes first: expiring the counter must not drop a pending change
    result = db.session.connection().execute(statement, {"seat_slot_id": slot_id, **params})
    forget_counter(slot_id, counter)
    return result.rowcount


def load_seat_target(slot_id: int) -> SeatTarget | None:
    row = db.session.connection().execute(_LOAD_TARGET, {"wanted_slot_id": slot_id}).first()
    if row is None:
        return None
    return SeatTarget(*row[:10], place_notes=dict(row[10] or {}))


@dataclass(frozen=True)
class BookingDraft:
    """A booking about to be inserted, as its confirmation e-mail and calendar file read it."""

    reference: str
    contact_name: str
    email: str | None
    # The language its messages speak (`Booking.message_language`).
    message_language: str
    target: SeatTarget
    sequence: int = 0
    is_cancelled: bool = False
    seats: int = 1
    # A client reached through their booker: the confirmation speaks to the booker (`Booking.speaks_to_booker`).
    speaks_to_booker: bool = False
    social_worker_name: str | None = None

    @property
    def slot(self) -> SeatTarget:
        return self.target

    @property
    def moment(self) -> SeatTarget:
        return self.target


@cache
def booking_insert(dialect_name: str) -> sa.Insert:
    """INSERT of one booking row that a unique index turns into no row instead of an error.

    A contact that already holds a live booking (or, astronomically rarely, a colliding reference)
    then leaves the transaction usable, so no savepoint is needed around the busiest INSERT: two
    round trips fewer on PostgreSQL. Both databases spell it ON CONFLICT DO NOTHING.
    """
    # The application runs on these two databases only (see docs/booking.md).
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect_name]
    return insert(_bookings).on_conflict_do_nothing().returning(_bookings.c.id)


_bookings = Booking.__table__
_outbox = OutboxMessage.__table__
_INSERT_MESSAGE = _outbox.insert()


def reference_or_token_taken(reference: str, token_hash: str) -> bool:
    """Whether a booking holds this reference or token hash (why a refused insert was refused)."""
    return bool(db.session.scalar(
        sa.select(sa.exists().where(sa.or_(_bookings.c.reference == reference, _bookings.c.token_hash == token_hash)))
    ))


@dataclass(frozen=True)
class Written:
    """What `write_booking` got done: the seat (when it was asked to take one) and the booking row."""

    seat_taken: bool
    booking_id: int | None


def write_booking(booking: dict, message: dict | None, *, slot_id: int, take_seat: bool) -> Written:
    """Take the seat (when asked), insert the booking and then its confirmation, stopping at the first refusal.

    `booking` holds the row's column values, `message` an outbox row (`templated_message_row`) or
    None. A full slot leaves nothing written; a row the unique indexes refuse leaves the seat taken,
    for the caller to roll back or to retry with a new reference. On SQLite these are three
    statements, each a call into the library. On PostgreSQL each statement is a round trip to the
    server, so they go as one statement with writable CTEs. PostgreSQL runs every data-modifying
    CTE to completion, also one nothing refers to; the order comes from the data: the booking is
    selected FROM the seat row, the message FROM the booking row. Same outcome, one round trip.
    """
    conn = db.session.connection()
    if take_seat and conn.dialect.name == "postgresql":
        params = {"seat_slot_id": slot_id, "seat_count": booking.get("seats", 1),
                  **{f"b_{key}": value for key, value in booking.items()}}
        if message is not None:
            message_row = {**message, "created_at": booking["created_at"], "attempts": 0}
            params.update({f"m_{key}": message_row[key] for key in _MESSAGE_COLUMNS})
        row = conn.execute(_pg_booking_write(tuple(booking), message is not None), params).one()
        return Written(seat_taken=bool(row.seats), booking_id=row.booking_id)
    seat_params = {"seat_slot_id": slot_id, "seat_count": booking.get("seats", 1)}
    if take_seat and conn.execute(TAKE_SEAT, seat_params).rowcount != 1:
        return Written(seat_taken=False, booking_id=None)
    booking_id = conn.execute(booking_insert(conn.dialect.name), booking).scalar_one_or_none()
    if booking_id is not None and message is not None:
        # With its booking's id, so the day list can show how far the confirmation got (issue 18).
        conn.execute(_INSERT_MESSAGE, {**message, "created_at": booking["created_at"], "booking_id": booking_id})
    return Written(seat_taken=take_seat, booking_id=booking_id)


_MESSAGE_COLUMNS = (
    "recipient", "subject", "body_text", "body_html", "template", "context", "language", "attachments", "dedupe_key",
    "created_at", "attempts",
)


@cache
def _pg_booking_write(booking_columns: tuple[str, ...], with_message: bool) -> sa.Select:
    """WITH seat AS (UPDATE slots ...), new_booking AS (INSERT ... SELECT FROM seat ON CONFLICT DO NOTHING),
    new_message AS (INSERT ... SELECT FROM new_booking) SELECT seats, booking_id."""
    seat = TAKE_SEAT.returning(_slots.c.id).cte("seat")
    new_booking = (
        postgresql.insert(_bookings)
        .from_select(
            list(booking_columns),
            sa.select(*[sa.bindparam(f"b_{name}", type_=_bookings.c[name].type) for name in booking_columns])
            .select_from(seat),
            include_defaults=False,
        )
        .on_conflict_do_nothing()
        .returning(_bookings.c.id)
        .cte("new_booking")
    )
    statement = sa.select(
        sa.select(sa.func.count()).select_from(seat).scalar_subquery().label("seats"),
        sa.select(new_booking.c.id).scalar_subquery().label("booking_id"),
    )
    if with_message:
        new_message = sa.insert(_outbox).from_select(
            [*_MESSAGE_COLUMNS, "booking_id"],
            sa.select(*[sa.bindparam(f"m_{name}", type_=_outbox.c[name].type) for name in _MESSAGE_COLUMNS],
                      new_booking.c.id)
            .select_from(new_booking),
            include_defaults=False,
        ).cte("new_message")
        statement = statement.add_cte(new_message)
    return statement
