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


def list_audit_actions() -> list[str]:
    """List the distinct actions present in the audit log."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def list_audit_object_types() -> list[str]:
    """List the distinct object types present in the audit log."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent.object_type)
            .where(AuditEvent.object_type.is_not(None))
            .distinct()
            .order_by(AuditEvent.object_type)
        )
    )


def page_audit_events(criteria: AuditFilter, *, page: int, per_page: int = AUDIT_PAGE_SIZE):
    """Return one page of audit events matching the filter, newest first (a Flask-SQLAlchemy Pagination)."""
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
    stmt = stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
