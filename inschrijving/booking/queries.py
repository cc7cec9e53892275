"""Read-side selects for the public booking pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot


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
