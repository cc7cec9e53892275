"""Planning rules: slots from opening blocks, the life of a moment, series, capacity, staff and the day itself."""

from __future__ import annotations

import calendar
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inschrijving.accounts.models import Role, User
from inschrijving.booking import services as booking_services
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, Booking, BookingStatus, WaitlistEntry, WaitlistStatus
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, OpeningBlock, RegistrationMoment, Slot

BRUSSELS = ZoneInfo("Europe/Brussels")
SERIES_EVERY_MONTHS = 2
MAX_SERIES_COUNT = 12
BOOKING_CLOSES_WORKING_DAYS = 2
BOOKING_CLOSES_AT = time(12)


class PlanningError(Exception):
    """Base class for planning rule violations."""


class InvalidBlocks(PlanningError):
    """The opening blocks are empty, reversed or overlap."""


class NoSlots(PlanningError):
    """The blocks are shorter than one slot."""


class InvalidBookingWindow(PlanningError):
    """The booking window closes before it opens, or after the moment starts."""


class WrongStatus(PlanningError):
    """The moment is not in a state that allows this action."""


class CapacityBelowBookings(PlanningError):
    """A slot would hold fewer seats than it has live bookings; nothing was changed."""

    def __init__(self, shortfalls: list[Shortfall], free_slots: list[Slot]):
        super().__init__(f"{len(shortfalls)} slot(s) over capacity")
        self.shortfalls = shortfalls
        self.free_slots = free_slots


class NotMovable(PlanningError):
    """The booking cannot go to that slot (other moment, same slot, or no longer live)."""


class SeatTaken(PlanningError):
    """Undoing a no-show needs a seat, and the slot is full again."""


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: datetime
    ends_at: datetime
    capacity: int


@dataclass(frozen=True)
class MomentPlan:
    """A moment as the coordinator described it, checked, with its slots, before anything is saved."""

    kind: MomentKind
    held_on: date
    title: str | None
    location_name: str
    address: str
    place_notes: dict[str, str]
    blocks: list[tuple[time, time]]
    slot_minutes: int
    desks: int
    booking_opens_at: datetime
    booking_closes_at: datetime
    slots: list[PlannedSlot] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(s.capacity for s in self.slots)


@dataclass
class Shortfall:
    slot: Slot
    new_capacity: int
    must_move: list[Booking]


# --- slots and the booking window ------------------------------------------------------------------------------


def local_instant(day: date, at: time) -> datetime:
    """Return the UTC instant of a Brussels wall-clock time (the first one when the clock repeats)."""
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)


def generate_slots(
    held_on: date, blocks: Sequence[tuple[time, time]], slot_minutes: int, desks: int
) -> list[PlannedSlot]:
    """Cut each opening block into whole slots of real minutes; a leftover shorter than a slot is not offered.

    Stepping in UTC rather than on the wall clock gives the true length on the two DST days:
    01:00-04:00 holds two real hours in late March and four in late October.
    """
    if slot_minutes <= 0 or desks <= 0:
        raise NoSlots()
    check_blocks(held_on, blocks)
    step = timedelta(minutes=slot_minutes)
    slots: list[PlannedSlot] = []
    for start, end in sorted(blocks):
        cursor, block_end = local_instant(held_on, start), local_instant(held_on, end)
        while cursor + step <= block_end:
            slots.append(PlannedSlot(starts_at=cursor, ends_at=cursor + step, capacity=desks))
            cursor += step
    if not slots:
        raise NoSlots()
    return slots


def check_blocks(held_on: date, blocks: Sequence[tuple[time, time]]) -> None:
    """Refuse no blocks, a block that ends before it starts, and blocks that overlap."""
    if not blocks:
        raise InvalidBlocks(_l("Geef minstens één blok met openingsuren."))
    spans = sorted((local_instant(held_on, s), local_instant(held_on, e)) for s, e in blocks)
    for start, end in spans:
        if end <= start:
            raise InvalidBlocks(_l("Een blok moet eindigen na het begin."))
    for (_s1, end1), (start2, _e2) in zip(spans, spans[1:], strict=False):
        if start2 < end1:
            raise InvalidBlocks(_l("Twee blokken overlappen."))


def easter_sunday(year: int) -> date:
    """Return Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 19 * m) // 433
    month = (h + m - 7 * n + 90) // 25
    return date(year, month, (h + m - 7 * n + 33 * month + 19) % 32)


def belgian_public_holidays(year: int) -> set[date]:
    """Return the ten legal public holidays of Belgium for a year."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1),
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
        date(year, 7, 21),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in belgian_public_holidays(day.year)


def default_booking_closes_at(held_on: date) -> datetime:
    """Close booking at noon (Brussels) two working days before the moment, so the desks can prepare."""
    day, counted = held_on, 0
    while counted < BOOKING_CLOSES_WORKING_DAYS:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return local_instant(day, BOOKING_CLOSES_AT)


# --- creating and running a moment -----------------------------------------------------------------------------


def plan_moment(
    *,
    kind: MomentKind,
    held_on: date,
    location_name: str,
    address: str,
    blocks: Sequence[tuple[time, time]],
    slot_minutes: int,
    desks: int,
    now: datetime,
    place_notes: dict[str, str] | None = None,
    title: str | None = None,
    booking_opens_at: datetime | None = None,
    booking_closes_at: datetime | None = None,
) -> MomentPlan:
    """Check a moment and generate its slots without saving anything (the preview)."""
    slots = generate_slots(held_on, blocks, slot_minutes, desks)
    closes = booking_closes_at or default_booking_closes_at(held_on)
    opens = booking_opens_at or now
    if closes <= opens:
        raise InvalidBookingWindow(_l("Het inschrijven moet sluiten na het openen."))
    if closes > slots[0].starts_at:
        raise InvalidBookingWindow(_l("Het inschrijven moet sluiten voor het eerste slot begint."))
    return MomentPlan(
        kind=kind,
        held_on=held_on,
        title=(title or "").strip() or None,
        location_name=location_name.strip(),
        address=address.strip(),
        place_notes={k: v.strip() for k, v in (place_notes or {}).items() if v and v.strip()},
        blocks=sorted(blocks),
        slot_minutes=slot_minutes,
        desks=desks,
        booking_opens_at=opens,
        booking_closes_at=closes,
        slots=slots,
    )


def create_moment(plan: MomentPlan, *, actor: User | None, series_key: str | None = None) -> RegistrationMoment:
    """Save a checked plan as a draft moment with its blocks and slots."""
    moment = RegistrationMoment(
        kind=plan.kind,
        status=MomentStatus.DRAFT,
        held_on=plan.held_on,
        title=plan.title,
        location_name=plan.location_name,
        address=plan.address,
        place_notes=dict(plan.place_notes),
        slot_minutes=plan.slot_minutes,
        desks=plan.desks,
        booking_opens_at=plan.booking_opens_at,
        booking_closes_at=plan.booking_closes_at,
        series_key=series_key,
        created_by_id=actor.id if actor is not None else None,
    )
    moment.blocks = [OpeningBlock(start_time=s, end_time=e) for s, e in plan.blocks]
    moment.slots = [Slot(starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity, booked=0) for s in plan.slots]
    db.session.add(moment)
    db.session.flush()
    return moment


def publish_moment(moment: RegistrationMoment) -> None:
    """Make a draft (or closed) moment visible and bookable within its window."""
    if moment.status not in (MomentStatus.DRAFT, MomentStatus.CLOSED):
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.PUBLISHED
    db.session.flush()


def close_moment(moment: RegistrationMoment) -> None:
    """Stop new bookings; existing bookings stay."""
    if moment.status != MomentStatus.PUBLISHED:
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.CLOSED
    db.session.flush()


def cancel_moment(moment: RegistrationMoment, *, now: datetime) -> list[Booking]:
    """Cancel the moment and every live booking; queue a message for each booked candidate with e-mail.

    :returns: the bookings that were cancelled.
    """
    if moment.status == MomentStatus.CANCELLED:
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.CANCELLED
    moment.cancelled_at = now
    bookings = db.session.scalars(
        sa.select(Booking)
        .where(Booking.moment_id == moment.id, Booking.status.in_(LIVE_BOOKING_STATUSES))
        .order_by(Booking.id)
    ).all()
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.updated_at = now
        booking.sequence += 1
        if booking.email:
            _queue_cancellation(booking, moment)
    db.session.execute(
        sa.update(Slot).where(Slot.moment_id == moment.id).values(booked=0).execution_options(synchronize_session=False)
    )
    for slot in moment.slots:
        db.session.expire(slot, ["booked"])
    db.session.execute(
        sa.update(WaitlistEntry)
        .where(
            WaitlistEntry.moment_id == moment.id,
            WaitlistEntry.status.in_((WaitlistStatus.WAITING, WaitlistStatus.OFFERED)),
        )
        .values(status=WaitlistStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return list(bookings)


def _queue_cancellation(booking: Booking, moment: RegistrationMoment) -> None:
    with force_locale(booking.language or "nl"):
        subject = _("Uw afspraak voor de groepsinschrijving gaat niet door")
        body = _(
            "Beste %(name)s,\n\nHet inschrijvingsmoment van %(day)s in %(place)s gaat niet door. "
            "Uw afspraak (%(reference)s) is geannuleerd.\n"
            "U hoeft niets te doen. Kies een nieuw moment op onze website zodra het volgende moment open is.\n\n"
            "Met vriendelijke groeten,\nde Woonclub",
            name=booking.contact_name,
            day=moment.held_on.strftime("%d-%m-%Y"),
            place=moment.location_name,
            reference=booking.reference,
        )
    _queue_message(booking.email, subject, body, dedupe_key=f"moment-cancelled:{booking.id}")


def _queue_message(recipient: str, subject: str, body: str, *, dedupe_key: str | None) -> None:
    from inschrijving.notifications import services as notification_services

    notification_services.queue_message(recipient, subject, body, dedupe_key=dedupe_key)


# --- series ----------------------------------------------------------------------------------------------------


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def same_weekday_of_month(pattern: date, year: int, month: int) -> date:
    """Return the same weekday in the same week of the month (the 2nd Tuesday stays the 2nd Tuesday).

    A fifth weekday that a month lacks becomes that month's last one.
    """
    week = (pattern.day - 1) // 7
    first = date(year, month, 1)
    offset = (pattern.weekday() - first.weekday()) % 7
    day = 1 + offset + 7 * week
    last_day = calendar.monthrange(year, month)[1]
    while day > last_day:
        day -= 7
    return date(year, month, day)


def series_dates(pattern: date, count: int, every_months: int = SERIES_EVERY_MONTHS) -> list[date]:
    return [
        same_weekday_of_month(pattern, *add_months(pattern.year, pattern.month, every_months * k))
        for k in range(1, count + 1)
    ]


def plan_series(
    pattern: RegistrationMoment, *, count: int, actor: User | None, now: datetime
) -> list[RegistrationMoment]:
    """Create the next `count` moments as drafts, every two months, from one moment as the pattern.

    Dates already holding a moment of the same series are skipped, so planning twice does not double up.
    The booking window opens the same number of days before (same clock time) and closes by the default rule.
    """
    if not 1 <= count <= MAX_SERIES_COUNT:
        raise PlanningError(count)
    if pattern.series_key is None:
        pattern.series_key = secrets.token_hex(8)
    taken = set(
        db.session.scalars(
            sa.select(RegistrationMoment.held_on).where(
                RegistrationMoment.series_key == pattern.series_key,
                RegistrationMoment.status != MomentStatus.CANCELLED,
            )
        )
    )
    opens_local = pattern.booking_opens_at.astimezone(BRUSSELS)
    opens_days_before = (pattern.held_on - opens_local.date()).days
    blocks = [(b.start_time, b.end_time) for b in pattern.blocks]
    created = []
    for held_on in series_dates(pattern.held_on, count):
        if held_on in taken:
            continue
        plan = plan_moment(
            kind=pattern.kind,
            held_on=held_on,
            title=pattern.title,
            location_name=pattern.location_name,
            address=pattern.address,
            place_notes=pattern.place_notes,
            blocks=blocks,
            slot_minutes=pattern.slot_minutes,
            desks=pattern.desks,
            now=now,
            booking_opens_at=local_instant(held_on - timedelta(days=opens_days_before), opens_local.time()),
        )
        created.append(create_moment(plan, actor=actor, series_key=pattern.series_key))
    return created


# --- capacity and moving bookings within a moment --------------------------------------------------------------


def live_bookings_of_slot(slot: Slot) -> list[Booking]:
    """Live bookings of a slot, the ones who keep their seat first: present people, then earliest booked."""
    bookings = db.session.scalars(
        sa.select(Booking).where(Booking.slot_id == slot.id, Booking.status.in_(LIVE_BOOKING_STATUSES))
    ).all()
    return sorted(bookings, key=lambda b: (b.status != BookingStatus.CHECKED_IN, b.created_at, b.id))


def change_capacity(moment: RegistrationMoment, changes: dict[int, int]) -> list[Slot]:
    """Set new capacities ({slot_id: seats}) for slots of one moment, all or nothing.

    :raises CapacityBelowBookings: with, per slot, exactly who must move first and the slots with free seats.
    """
    slots = {s.id: s for s in moment.slots}
    if any(slot_id not in slots for slot_id in changes) or any(c < 0 for c in changes.values()):
        raise PlanningError(changes)
    shortfalls = find_shortfalls(moment, changes)
    if shortfalls:
        raise CapacityBelowBookings(shortfalls, free_slots_after(moment, changes))
    changed = []
    for slot_id, capacity in sorted(changes.items()):
        # Conditional, like take_seat: a booking that lands meanwhile makes this refuse, never overbook.
        result = db.session.execute(
            sa.update(Slot)
            .where(Slot.id == slot_id, Slot.booked <= capacity)
            .values(capacity=capacity)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(slots[slot_id], ["capacity", "booked"])
        if result.rowcount != 1:
            slot = slots[slot_id]
            raise CapacityBelowBookings(
                [Shortfall(slot, capacity, live_bookings_of_slot(slot)[capacity:])],
                free_slots_after(moment, changes),
            )
        changed.append(slots[slot_id])
    return changed


def find_shortfalls(moment: RegistrationMoment, changes: dict[int, int]) -> list[Shortfall]:
    """For each slot that would hold fewer seats than live bookings: exactly who would have to move."""
    slots = {s.id: s for s in moment.slots}
    shortfalls = []
    for slot_id, capacity in sorted(changes.items()):
        slot = slots[slot_id]
        db.session.refresh(slot, ["booked"])
        if slot.booked > capacity:
            shortfalls.append(Shortfall(slot, capacity, live_bookings_of_slot(slot)[capacity:]))
    return shortfalls


def free_slots_after(moment: RegistrationMoment, changes: dict[int, int] | None = None) -> list[Slot]:
    """Slots of the moment that would still have a free seat with the given new capacities."""
    changes = changes or {}
    return [s for s in moment.slots if changes.get(s.id, s.capacity) > s.booked]


def move_booking_to_slot(booking: Booking, target: Slot, *, now: datetime) -> None:
    """Move a live booking to another slot of the same moment, keeping its reference and everything attached.

    The seat in the new slot is taken first, so a failed move leaves the booking where it was.
    """
    if not booking.is_live or target.moment_id != booking.moment_id or target.id == booking.slot_id:
        raise NotMovable(booking.id)
    old_slot_id = booking.slot_id
    booking_services.take_seat(target.id)
    booking_services.release_seat(old_slot_id)
    booking.slot_id = target.id
    booking.slot = target
    booking.sequence += 1
    booking.updated_at = now
    db.session.flush()
    if booking.email:
        with force_locale(booking.language or "nl"):
            subject = _("Uw afspraak is verplaatst")
            body = _(
                "Beste %(name)s,\n\nUw afspraak (%(reference)s) is verplaatst naar %(time)s, op dezelfde dag "
                "en dezelfde plaats. Met de link in uw eerste e-mail ziet u altijd het juiste uur.\n\n"
                "Met vriendelijke groeten,\nde Woonclub",
                name=booking.contact_name,
                reference=booking.reference,
                time=target.starts_at.astimezone(BRUSSELS).strftime("%H:%M"),
            )
        _queue_message(booking.email, subject, body, dedupe_key=f"staff-move:{booking.id}:{booking.sequence}")


# --- staff and their calendar feed ----------------------------------------------------------------------------


def set_staff(moment: RegistrationMoment, user_ids: Iterable[int]) -> list[User]:
    """Set who staffs a moment; only enabled coordinators and volunteers can."""
    ids = set(user_ids)
    users = (
        db.session.scalars(
            sa.select(User).where(
                User.id.in_(ids), User.is_enabled.is_(True), User.role.in_((Role.COORDINATOR, Role.VOLUNTEER))
            )
        ).all()
        if ids
        else []
    )
    if len(users) != len(ids):
        raise PlanningError(ids)
    moment.staff = sorted(users, key=lambda u: u.name)
    db.session.flush()
    return moment.staff


def list_feed_moments(user: User) -> list[RegistrationMoment]:
    """Moments in a user's calendar feed: what they staff, or for coordinators every published moment."""
    stmt = sa.select(RegistrationMoment).order_by(RegistrationMoment.held_on)
    if user.role == Role.COORDINATOR:
        stmt = stmt.where(RegistrationMoment.status == MomentStatus.PUBLISHED)
    else:
        stmt = stmt.where(
            RegistrationMoment.staff.any(User.id == user.id),
            RegistrationMoment.status.in_((MomentStatus.PUBLISHED, MomentStatus.CLOSED)),
        )
    return list(db.session.scalars(stmt.options(sa.orm.selectinload(RegistrationMoment.slots))))


def renew_calendar_token(user: User) -> str:
    """Give the user a new secret feed link; the old link stops working at once."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.flush()
    return user.calendar_token


def get_feed_user(token: str) -> User | None:
    """The enabled coordinator or volunteer owning a calendar token, or None."""
    if not token:
        return None
    user = db.session.scalar(sa.select(User).where(User.calendar_token == token))
    if user is None or not user.is_enabled or user.role not in (Role.COORDINATOR, Role.VOLUNTEER):
        return None
    return user


# --- the day itself ----------------------------------------------------------------------------------------------


def check_in(booking: Booking, *, now: datetime) -> None:
    """Mark that the candidate came; a no-show who turns up late takes a seat again."""
    if booking.status == BookingStatus.NO_SHOW:
        _retake_seat(booking)
    elif booking.status != BookingStatus.BOOKED:
        raise WrongStatus(booking.status)
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.updated_at = now
    db.session.flush()


def mark_no_show(booking: Booking, *, now: datetime) -> None:
    """Mark that the candidate did not come; the seat goes free for a walk-in."""
    if booking.status not in LIVE_BOOKING_STATUSES:
        raise WrongStatus(booking.status)
    booking_services.release_seat(booking.slot_id)
    booking.status = BookingStatus.NO_SHOW
    booking.checked_in_at = None
    booking.updated_at = now
    db.session.flush()


def undo_attendance(booking: Booking, *, now: datetime) -> None:
    """Put a checked-in or no-show booking back to booked."""
    if booking.status == BookingStatus.NO_SHOW:
        _retake_seat(booking)
    elif booking.status != BookingStatus.CHECKED_IN:
        raise WrongStatus(booking.status)
    booking.status = BookingStatus.BOOKED
    booking.checked_in_at = None
    booking.updated_at = now
    db.session.flush()


def _retake_seat(booking: Booking) -> None:
    try:
        booking_services.take_seat(booking.slot_id)
    except booking_services.SlotFull as exc:
        raise SeatTaken(booking.slot_id) from exc


_REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def _new_reference() -> str:
    while True:
        raw = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(6))
        reference = f"{raw[:3]}-{raw[3:]}"
        if db.session.scalar(sa.select(Booking.id).where(Booking.reference == reference)) is None:
            return reference


def add_walk_in(
    slot: Slot,
    *,
    contact_name: str,
    language: str,
    household_size: int,
    needs_interpreter: bool,
    now: datetime,
    over_capacity: bool = False,
) -> Booking:
    """Seat someone who came without a booking, checked in at once.

    With over_capacity (a coordinator's explicit choice) the slot first grows by one seat; the caller records it.
    :raises booking_services.SlotFull: when the slot is full and over_capacity is not set.
    """
    if slot.moment.status not in (MomentStatus.PUBLISHED, MomentStatus.CLOSED):
        raise WrongStatus(slot.moment.status)
    if over_capacity:
        db.session.execute(
            sa.update(Slot)
            .where(Slot.id == slot.id)
            .values(capacity=Slot.capacity + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(slot, ["capacity"])
    booking_services.take_seat(slot.id)
    booking = Booking(
        reference=_new_reference(),
        # Walk-ins get no manage link; a random hash keeps the column unique and unusable.
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        moment_id=slot.moment_id,
        slot_id=slot.id,
        status=BookingStatus.CHECKED_IN,
        contact_name=contact_name.strip(),
        language=language,
        household_size=household_size,
        needs_interpreter=needs_interpreter,
        is_walk_in=True,
        checked_in_at=now,
        created_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    return booking
