"""Read-side selects for the account pages: user list, landlord choices, the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from inschrijving.accounts.models import AuditEvent, User
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_users() -> list[User]:
    """List every staff user with their landlord, by name, in one query."""
    return list(db.session.scalars(sa.select(User).options(joinedload(User.landlord)).order_by(User.name, User.id)))


def list_landlord_choices() -> list[tuple[int, str]]:
    """List (id, name) of every landlord for a select box."""
    return [tuple(row) for row in db.session.execute(sa.select(Landlord.id, Landlord.name).order_by(Landlord.name))]


def list_user_choices() -> list[tuple[int, str]]:
    """List (id, name and e-mail) of every user, for the audit filter."""
    rows = db.session.execute(sa.select(User.id, User.name, User.email).order_by(User.name, User.id))
    return [(row.id, f"{row.name} ({row.email})") for row in rows]


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first, and where the next (older) page starts."""

    items: list[AuditEvent]
    older: str | None  # the cursor of the next page, None on the last one


def audit_cursor(event: AuditEvent) -> str:
    return f"{event.occurred_at.isoformat()}_{event.id}"


def parse_audit_cursor(text: str | None) -> tuple[datetime, int] | None:
    """The (time, id) a page continues after; None for the first page or a cursor that is not one."""
    when, _sep, event_id = (text or "").rpartition("_")
    try:
        return datetime.fromisoformat(when), int(event_id)
    except ValueError:
        return None


def page_audit_events(criteria: AuditFilter, *, after: tuple[datetime, int] | None = None,
                      per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of audit events matching the filter, newest first, continuing after a (time, id) cursor.

    Keyset paging: one query that reads one page through the indexes, however far back the page is; no
    count and no OFFSET, which both read every row before it.
    """
    stmt = sa.select(AuditEvent)
    if criteria.user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == criteria.user_id)
    if criteria.object_type:
        stmt = stmt.where(AuditEvent.object_type == criteria.object_type)
    if criteria.object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == criteria.object_id)
    if criteria.action:
        stmt = stmt.where(AuditEvent.action == criteria.action)
    if criteria.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= criteria.since)
    if criteria.until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < criteria.until)
    if after is not None:
        when, event_id = after
        # A row-value comparison: both databases read it as one range of the (…, occurred_at, id) index.
        stmt = stmt.where(sa.tuple_(AuditEvent.occurred_at, AuditEvent.id) < sa.tuple_(when, event_id))
    stmt = stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(per_page + 1)
    rows = list(db.session.scalars(stmt))
    older = audit_cursor(rows[per_page - 1]) if len(rows) > per_page else None
    return AuditPage(rows[:per_page], older)
