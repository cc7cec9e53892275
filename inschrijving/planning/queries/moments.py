"""Planning reads for the moments pages: moments with their seat totals, choices, the last moment, staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from inschrijving.accounts.models import Role, User
from inschrijving.dossiers import queries as dossier_queries
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot


@dataclass
class MomentRow:
    moment: RegistrationMoment
    slots: int = 0
    capacity: int = 0
    booked: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


def list_moment_rows(*, upcoming: bool, today: date, limit: int | None = None, offset: int = 0,
                     scope: sa.ColumnElement[bool] | None = None) -> list[MomentRow]:
    """Moments with their seat totals: upcoming soonest first, past most recent first (a page of them when
    `limit` is given), only those `scope` lets the reader open. Two queries."""
    stmt = sa.select(RegistrationMoment)
    if scope is not None:
        stmt = stmt.where(scope)
    if upcoming:
        stmt = stmt.where(RegistrationMoment.held_on >= today).order_by(RegistrationMoment.held_on)
    else:
        stmt = stmt.where(RegistrationMoment.held_on < today).order_by(RegistrationMoment.held_on.desc(),
                                                                        RegistrationMoment.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    moments = db.session.scalars(stmt).all()
    rows = {m.id: MomentRow(m) for m in moments}
    if rows:
        totals = db.session.execute(
            sa.select(
                Slot.moment_id, sa.func.count(Slot.id), sa.func.sum(Slot.capacity), sa.func.sum(Slot.booked)
            )
            .where(Slot.moment_id.in_(rows))
            .group_by(Slot.moment_id)
        )
        for moment_id, count, capacity, booked in totals:
            row = rows[moment_id]
            row.slots, row.capacity, row.booked = count, capacity or 0, booked or 0
    return list(rows.values())


# Past moments are shown a page at a time (the newest first); upcoming ones all at once.
PAST_PER_PAGE = 12


@dataclass(frozen=True)
class PastPage:
    rows: list[MomentRow]
    number: int
    has_older: bool


def get_past_page(number: int, *, today: date, scope: sa.ColumnElement[bool] | None = None) -> PastPage:
    """One page of past moments, most recent first (a number below 1 is the first page). Two queries."""
    number = max(number, 1)
    # One row more than a page: it tells whether an older page exists, without a count.
    rows = list_moment_rows(upcoming=False, today=today, limit=PAST_PER_PAGE + 1,
                            offset=(number - 1) * PAST_PER_PAGE, scope=scope)
    return PastPage(rows[:PAST_PER_PAGE], number, len(rows) > PAST_PER_PAGE)


def list_moment_choices() -> list[tuple[int, str]]:
    """(id, "date · place") of every moment that takes dossiers, newest first, for the dossier filter (one query)."""
    rows = db.session.execute(
        sa.select(RegistrationMoment.id, RegistrationMoment.held_on, RegistrationMoment.location_name)
        .where(RegistrationMoment.takes_dossiers)
        .order_by(RegistrationMoment.held_on.desc(), RegistrationMoment.id.desc())
    )
    return [(row.id, f"{row.held_on.strftime('%d-%m-%Y')} · {row.location_name}") for row in rows]


def get_moment(moment_id: int) -> RegistrationMoment | None:
    return db.session.get(RegistrationMoment, moment_id)


def get_last_moment() -> RegistrationMoment | None:
    """The most recently planned moment that was not cancelled (a new one starts from its place and hours)."""
    return db.session.scalar(
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.status != MomentStatus.CANCELLED)
        .options(selectinload(RegistrationMoment.blocks))
        .order_by(RegistrationMoment.created_at.desc(), RegistrationMoment.id.desc())
        .limit(1)
    )


def registration_years_ahead(upcoming: list[MomentRow], *, today: date) -> set[int]:
    """The registration years coming up: this year, and the year of every planned registration moment."""
    return {today.year} | {
        row.moment.held_on.year
        for row in upcoming
        if row.moment.kind == MomentKind.REGISTRATION and row.moment.status != MomentStatus.CANCELLED
    }


def years_missing_limits(upcoming: list[MomentRow], *, today: date, user: User) -> list[int]:
    """The coming registration years whose income limits are not entered yet, for a coordinator, who enters
    them; a volunteer is not told (one query)."""
    if user.role != Role.COORDINATOR:
        return []
    return dossier_queries.years_without_limits(registration_years_ahead(upcoming, today=today))


def list_staff_users(*, enabled_only: bool) -> list[User]:
    """Coordinators and volunteers, who can staff a moment, by name (the team form; it checks the disabled)."""
    stmt = sa.select(User).where(User.role.in_((Role.COORDINATOR, Role.VOLUNTEER))).order_by(User.name)
    if enabled_only:
        stmt = stmt.where(User.is_enabled.is_(True))
    return list(db.session.scalars(stmt))


def get_moment_with_slots(moment_id: int) -> RegistrationMoment | None:
    return db.session.scalar(
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.id == moment_id)
        .options(selectinload(RegistrationMoment.slots), selectinload(RegistrationMoment.blocks))
    )
