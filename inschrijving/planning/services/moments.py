"""The life of a moment: plan (preview), create, publish, close, cancel; and series every two months."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inschrijving.accounts.models import User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.booking.models import Booking
from inschrijving.booking.services import lifecycle, waitlist
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, OpeningBlock, RegistrationMoment, Slot
from inschrijving.planning.services.base import (
    BRUSSELS,
    MAX_SERIES_COUNT,
    SERIES_EVERY_MONTHS,
    InvalidBookingWindow,
    MomentPlan,
    PlanningError,
    WrongStatus,
)
from inschrijving.planning.services.slots import (
    block_remainders,
    default_booking_closes_at,
    generate_slots,
    local_instant,
)


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
        remainders=block_remainders(held_on, blocks, slot_minutes),
    )


def create_moment(plan: MomentPlan, *, actor: User, ip: str | None) -> RegistrationMoment:
    """Save a checked plan as a draft moment with its blocks and slots; audited."""
    moment = _save_draft(plan, actor=actor)
    _audit(moment, "moment.create", actor=actor, ip=ip, held_on=moment.held_on.isoformat())
    return moment


def _save_draft(plan: MomentPlan, *, actor: User, series_key: str | None = None) -> RegistrationMoment:
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
        created_by_id=actor.id,
    )
    moment.blocks = [OpeningBlock(start_time=s, end_time=e) for s, e in plan.blocks]
    moment.slots = [Slot(starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity, booked=0) for s in plan.slots]
    db.session.add(moment)
    db.session.flush()
    return moment


def publish_moment(moment: RegistrationMoment, *, actor: User, ip: str | None, now: datetime) -> int:
    """Make a draft (or closed) moment visible and bookable within its window; audited.

    People who asked to hear about the next moment are told the first time a registration moment
    is published while candidates can still book it.

    :returns: how many of them were told.
    """
    if not moment.can_publish:
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.PUBLISHED
    db.session.flush()
    _audit(moment, "moment.publish", actor=actor, ip=ip)
    if not moment.booking_open_or_upcoming(now):
        return 0
    return waitlist.notify_next_moment_subscribers(moment, now)


def close_moment(moment: RegistrationMoment, *, actor: User, ip: str | None) -> None:
    """Stop new bookings; existing bookings stay. Audited."""
    if not moment.can_close:
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.CLOSED
    db.session.flush()
    _audit(moment, "moment.close", actor=actor, ip=ip)


def cancel_moment(moment: RegistrationMoment, *, actor: User, ip: str | None, now: datetime) -> list[Booking]:
    """Cancel the moment and, through the booking domain, every live booking and its waiting list; audited.

    :returns: the bookings that were cancelled (each candidate with e-mail gets a notice).
    """
    if not moment.can_cancel:
        raise WrongStatus(moment.status)
    moment.status = MomentStatus.CANCELLED
    moment.cancelled_at = now
    cancelled = lifecycle.cancel_with_moment(moment, now=now)
    _audit(moment, "moment.cancel", actor=actor, ip=ip, bookings=len(cancelled))
    return cancelled


def _audit(moment: RegistrationMoment, action: str, *, actor: User, ip: str | None, **detail) -> None:
    account_audit.record_audit(actor=actor, action=action, object_type="moment", object_id=moment.id,
                                  detail=detail, ip=ip)


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
    pattern: RegistrationMoment, *, count: int, actor: User, ip: str | None, now: datetime
) -> list[RegistrationMoment]:
    """Create the next `count` moments as drafts, every two months, from one moment as the pattern; each audited.

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
        moment = _save_draft(plan, actor=actor, series_key=pattern.series_key)
        _audit(moment, "moment.create", actor=actor, ip=ip, series_of=pattern.id)
        created.append(moment)
    return created
