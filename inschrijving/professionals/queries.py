"""Read side for professionals: upcoming info moments with seats left, one registration, a worker's bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot


@dataclass(frozen=True)
class InfoSession:
    """An info moment with its one session (slot) and the seats still free."""

    moment: RegistrationMoment
    slot: Slot

    @property
    def seats_left(self) -> int:
        return self.slot.free

    def closed_reason(self, now: datetime):
        return self.moment.info_registration_closed_reason(now)

    def takes_registrations(self, now: datetime) -> bool:
        """Open for registration and not full: the form is shown."""
        return self.closed_reason(now) is None and self.seats_left > 0


def list_upcoming_info_moments(*, now: datetime, limit: int = 12) -> list[InfoSession]:
    """Published info moments professionals can still register for, soonest first (one query)."""
    rows = db.session.execute(
        sa.select(RegistrationMoment, Slot)
        .join(Slot, Slot.moment_id == RegistrationMoment.id)
        .where(RegistrationMoment.kind == MomentKind.INFO, RegistrationMoment.status == MomentStatus.PUBLISHED,
               RegistrationMoment.booking_closes_at > now)
        .order_by(Slot.starts_at)
        .limit(limit)
    ).all()
    return [InfoSession(moment, slot) for moment, slot in rows]


def get_info_session(moment_id: int) -> InfoSession | None:
    """The info moment and its session, or None for an unknown id or a moment of another kind."""
    row = db.session.execute(
        sa.select(RegistrationMoment, Slot)
        .join(Slot, Slot.moment_id == RegistrationMoment.id)
        .where(RegistrationMoment.id == moment_id, RegistrationMoment.kind == MomentKind.INFO)
        .order_by(Slot.starts_at)
        .limit(1)
    ).first()
    return InfoSession(*row) if row else None


def next_info_session_with_seats(after: RegistrationMoment, *, now: datetime) -> InfoSession | None:
    """The next open info moment (other than `after`) that still has a seat: what a full one offers."""
    for session in list_upcoming_info_moments(now=now):
        if session.moment.id != after.id and session.seats_left > 0 and session.closed_reason(now) is None:
            return session
    return None


def list_registrations(moment_id: int) -> list[Booking]:
    """Every registration of an info moment that is not cancelled, in the order they came in."""
    return list(db.session.scalars(
        sa.select(Booking)
        .where(Booking.moment_id == moment_id, Booking.status != BookingStatus.CANCELLED)
        .order_by(Booking.created_at, Booking.id)
    ))


def list_worker_bookings(worker_email: str, *, now: datetime) -> list[Booking]:
    """Upcoming live bookings this worker made (by their work e-mail), soonest first; nobody else's."""
    return list(db.session.scalars(
        sa.select(Booking)
        .join(Slot, Slot.id == Booking.slot_id)
        .where(Booking.social_worker_email == worker_email, Booking.is_live, Slot.ends_at > now,
               Booking.anonymised_at.is_(None))
        .options(joinedload(Booking.slot), joinedload(Booking.moment))
        .order_by(Slot.starts_at, Booking.id)
    ))


def worker_has_bookings(worker_email: str, *, now: datetime) -> bool:
    return bool(list_worker_bookings(worker_email, now=now))


@dataclass(frozen=True)
class InfoMomentTotals:
    """What statistics count for an info moment: registrations, attendees, organisations reached, no-shows."""

    registrations: int = 0
    attendees: int = 0
    organisations: int = 0
    no_show_attendees: int = 0


def info_moment_totals(moment_ids: list[int]) -> dict[int, InfoMomentTotals]:
    """Per info moment: live or attended registrations and their attendees, distinct organisations (case
    ignored), and the attendees of registrations marked no-show. One query, for the statistics page."""
    counted = Booking.status.in_((BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW))
    rows = db.session.execute(
        sa.select(
            Booking.moment_id,
            sa.func.count().filter(Booking.status != BookingStatus.NO_SHOW),
            sa.func.coalesce(sa.func.sum(Booking.seats).filter(Booking.status != BookingStatus.NO_SHOW), 0),
            sa.func.count(sa.distinct(sa.func.lower(Booking.organisation))),
            sa.func.coalesce(sa.func.sum(Booking.seats).filter(Booking.status == BookingStatus.NO_SHOW), 0),
        )
        .where(Booking.moment_id.in_(moment_ids), counted)
        .group_by(Booking.moment_id)
    ).all()
    totals = {moment_id: InfoMomentTotals() for moment_id in moment_ids}
    for moment_id, registrations, attendees, organisations, no_shows in rows:
        totals[moment_id] = InfoMomentTotals(registrations, int(attendees), organisations, int(no_shows))
    return totals
