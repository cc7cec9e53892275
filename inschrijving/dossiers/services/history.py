"""Dossier history: what each intake step wrote, who did it and when; and the optimistic-lock gate."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.national_numbers import mask_number
from inschrijving.dossiers.services.errors import DossierLocked, StaleDossier
from inschrijving.extensions import db

# Bookkeeping columns that change on every save and say nothing to a reader of the history.
_QUIET_COLUMNS = {"id", "dossier_id", "version", "updated_at", "updated_by_id"}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _shown(key: str, value: Any) -> Any:
    # The history is read by coordinators in a list: national numbers stay masked there too.
    if key == "national_number":
        return mask_number(value)
    return _plain(value)


def _label(obj: Any) -> str:
    name = type(obj).__name__
    if isinstance(obj, Person):
        return f"{name} {obj.full_name}"
    return f"{name} {obj.id}" if obj.id else name


_STEP_KEY = "dossier_step_changes"


def pending_changes(session) -> dict[str, Any]:
    """Describe what the session is about to write: added, changed and removed rows.

    A step touches one dossier only, so everything pending belongs to it; history and audit rows
    themselves are left out.
    """
    changes: dict[str, Any] = {}
    for obj in session.new:
        if isinstance(obj, DossierChange | AuditEvent):
            continue
        values = {
            c.key: _shown(c.key, getattr(obj, c.key))
            for c in sa.inspect(obj).mapper.column_attrs
            if c.key not in _QUIET_COLUMNS and getattr(obj, c.key) not in (None, False, "", [])
        }
        changes[f"+ {_label(obj)}"] = values
    for obj in session.dirty:
        if isinstance(obj, DossierChange | AuditEvent):
            continue
        state = sa.inspect(obj)
        diff = {}
        for column in state.mapper.column_attrs:
            if column.key in _QUIET_COLUMNS:
                continue
            history = state.attrs[column.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if _plain(old) != _plain(new):
                    diff[column.key] = [_shown(column.key, old), _shown(column.key, new)]
        if diff:
            changes[_label(obj)] = diff
    for obj in session.deleted:
        if not isinstance(obj, DossierChange | AuditEvent):
            changes[f"- {_label(obj)}"] = {}
    return changes


@sa.event.listens_for(Session, "before_flush")
def _collect_step_changes(session, flush_context, instances) -> None:
    # Lazy loads inside a step may autoflush; keep what they flush for the step's history line.
    bucket = session.info.get(_STEP_KEY)
    if bucket is not None:
        bucket.update(pending_changes(session))


def record_change(
    dossier: Dossier, *, actor: Actor | None, step: str, changes: dict, now: datetime
) -> DossierChange | None:
    """Write one history line: who changed which step, and the fields that changed."""
    if not changes:
        return None
    change = DossierChange(
        dossier_id=dossier.id, changed_at=now, user_id=actor.user_id if actor else None, step=step, changes=changes
    )
    db.session.add(change)
    return change


def begin_step(dossier: Dossier, version: int | None) -> None:
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    if version is None or int(version) != dossier.version:
        raise StaleDossier(dossier.reference)
    track_changes()


def track_changes() -> None:
    """Start collecting what this step writes, for its history line."""
    db.session.info[_STEP_KEY] = {}


def finish_step(dossier: Dossier, *, step: str, actor: Actor, now: datetime, extra: dict | None = None) -> None:
    """Record the history line and touch the dossier, so its version rises even if only child rows changed."""
    changes = db.session.info.pop(_STEP_KEY, None) or {}
    with db.session.no_autoflush:
        changes.update(pending_changes(db.session))
    changes.update(extra or {})
    if not changes:
        return
    dossier.updated_at = now
    dossier.updated_by_id = actor.user_id
    record_change(dossier, actor=actor, step=step, changes=changes, now=now)
    db.session.flush()
