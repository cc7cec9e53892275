"""Read-side selects for the public booking pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, OpeningBlock, RegistrationMoment, Slot


@dataclass(frozen=True)
class BookableMoment:
    moment: RegistrationMoment
    free_places: int


def list_bookable_moments(*, now: datetime, limit: int = 6) -> list[BookableMoment]:
    """List published registration moments still open for booking, with their free places (one query)."""
    free = sa.func.coalesce(sa.func.sum(Slot.capacity - Slot.booked), 0)
    rows = db.session.execute(
        sa.select(RegistrationMoment, free)
        .outerjoin(Slot, Slot.moment_id == RegistrationMoment.id)
        .where(
            RegistrationMoment.status == MomentStatus.PUBLISHED,
            RegistrationMoment.kind == MomentKind.REGISTRATION,
            RegistrationMoment.booking_closes_at > now,
        )
        .group_by(RegistrationMoment.id)
        .order_by(RegistrationMoment.held_on)
        .limit(limit)
    ).all()
    return [BookableMoment(moment=m, free_places=int(f)) for m, f in rows]


@dataclass(frozen=True)
class SlotGroup:
    """The slots of one opening block (or of no block, when the plan changed afterwards)."""

    starts_at: datetime
    ends_at: datetime
    slots: list[Slot]


def list_slot_groups(moment: RegistrationMoment) -> list[SlotGroup]:
    """The moment's slots grouped by opening block, in time order (two queries, however many slots)."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.moment_id == moment.id).order_by(Slot.starts_at)
    ).all()
    blocks = db.session.scalars(
        sa.select(OpeningBlock).where(OpeningBlock.moment_id == moment.id).order_by(OpeningBlock.start_time)
    ).all()
    groups: list[list[Slot]] = [[] for _ in blocks]
    loose: list[Slot] = []
    for slot in slots:
        local_start = slot.starts_at.astimezone(tz).time()
        for index, block in enumerate(blocks):
            if block.start_time <= local_start < block.end_time:
                groups[index].append(slot)
                break
        else:
            loose.append(slot)
    result = [SlotGroup(g[0].starts_at, g[-1].ends_at, g) for g in groups if g]
    if loose:
        result.append(SlotGroup(loose[0].starts_at, loose[-1].ends_at, loose))
    return sorted(result, key=lambda group: group.starts_at)


def list_free_slots(moment_id: int, *, now: datetime) -> list[Slot]:
    return list(
        db.session.scalars(
            sa.select(Slot)
            .where(Slot.moment_id == moment_id, Slot.booked < Slot.capacity, Slot.starts_at > now)
            .order_by(Slot.starts_at)
        )
    )


@dataclass(frozen=True)
class MomentSlots:
    moment: RegistrationMoment
    slots: list[Slot]


def list_moments_for_move(*, now: datetime) -> list[MomentSlots]:
    """Moments open for booking now, each with all its slots (two queries)."""
    moments = db.session.scalars(
        sa.select(RegistrationMoment)
        .where(
            RegistrationMoment.status == MomentStatus.PUBLISHED,
            RegistrationMoment.kind == MomentKind.REGISTRATION,
            RegistrationMoment.booking_opens_at <= now,
            RegistrationMoment.booking_closes_at > now,
        )
        .order_by(RegistrationMoment.held_on)
        .limit(6)
    ).all()
    if not moments:
        return []
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.moment_id.in_([m.id for m in moments])).order_by(Slot.starts_at)
    ).all()
    by_moment: dict[int, list[Slot]] = {m.id: [] for m in moments}
    for slot in slots:
        by_moment[slot.moment_id].append(slot)
    return [MomentSlots(moment=m, slots=by_moment[m.id]) for m in moments]
