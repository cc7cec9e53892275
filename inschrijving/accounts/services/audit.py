"""The audit trail: who did what to which object, from where; and its retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from inschrijving.accounts.models import AuditEvent, User
from inschrijving.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who acts, and from which address: what the audit trail records besides the action itself.

    Plain values rather than the User row, so an actor stays the same whatever a commit or a rollback
    does to the rows of the session. Views get theirs from `web.current_actor()`.
    """

    user_id: int | None
    # What the trail shows as "who": the user's e-mail, or the command that acted ("cli", "system").
    label: str
    ip: str | None = None

    @classmethod
    def of(cls, user: User, *, ip: str | None = None) -> Actor:
        return cls(user_id=user.id, label=user.email, ip=ip)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        """A command or a timer, acting for nobody in particular."""
        return cls(user_id=None, label=label)


def audit(
    actor: Actor,
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event: who did what to which object, from where (the services that act call this)."""
    event = AuditEvent(
        user_id=actor.user_id,
        actor=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
        ip=actor.ip,
    )
    db.session.add(event)
    return event


def record_audit(
    *,
    actor: User | None,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one audit event for a caller that holds the User and the address rather than an `Actor`."""
    who = Actor(
        user_id=actor.id if actor is not None else None,
        label=actor_label or (actor.email if actor is not None else "system"),
        ip=ip,
    )
    return audit(who, action, object_type=object_type, object_id=object_id, detail=detail)


def purge_audit(now: datetime, *, retention_days: int | None = None) -> int:
    """Delete audit events older than the retention period and return how many went.

    The period defaults to the AUDIT_RETENTION_DAYS setting. The purge itself leaves an event
    (a count, no contents), so the trail shows when it was shortened.
    """
    days = retention_days if retention_days is not None else current_app.config["AUDIT_RETENTION_DAYS"]
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        sa.delete(AuditEvent).where(AuditEvent.occurred_at < cutoff).execution_options(synchronize_session=False)
    )
    removed = result.rowcount or 0
    event = audit(Actor.system(), "audit.purge", detail={"removed": removed, "before": cutoff.isoformat()})
    event.occurred_at = now
    db.session.flush()
    return removed
