"""Work that follows a transaction's outcome: what the database cannot undo or do itself (files, the task queue).

`on_commit` work runs when the outermost transaction commits; `on_rollback` work runs when the transaction (or
savepoint) that asked for it rolls back or ends without a commit. Kept per transaction in the session's info: a
savepoint's release hands its work to the transaction around it, so nothing runs before the outermost commit,
and a savepoint's rollback drops its commit work and runs its rollback work at once. The same key registered
twice in one transaction runs once. A callback that fails is logged, never raised: its transaction is over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, SessionTransaction

from inschrijving.extensions import db

logger = logging.getLogger(__name__)
_WORK = "transaction_work"


@dataclass
class _Work:
    on_commit: dict[Hashable, Callable[[], object]] = field(default_factory=dict)
    on_rollback: dict[Hashable, Callable[[], object]] = field(default_factory=dict)


def on_commit(key: Hashable, callback: Callable[[], object]) -> None:
    """Run `callback` once the current (outermost) transaction commits; never if it rolls back."""
    _work(db.session()).on_commit.setdefault(key, callback)


def on_rollback(key: Hashable, callback: Callable[[], object]) -> None:
    """Run `callback` if the current transaction (or savepoint) rolls back, or ends without a commit."""
    _work(db.session()).on_rollback.setdefault(key, callback)


def _work(session: Session) -> _Work:
    if session.get_transaction() is None:
        session.connection()  # begins the transaction as a query would (an explicit begin() would block a later one)
    transaction = session.get_nested_transaction() or session.get_transaction()
    return session.info.setdefault(_WORK, {}).setdefault(transaction, _Work())


@sa.event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.get(_WORK)
    if not pending:
        return
    # Called before the transaction is closed: the session still names it.
    transaction = session.get_nested_transaction() if session.in_nested_transaction() else session.get_transaction()
    work = pending.pop(transaction, None)
    if work is None:
        return
    if transaction.parent is not None:  # a savepoint released: nothing is final until the outermost commit
        outer = pending.setdefault(transaction.parent, _Work())
        for key, callback in work.on_commit.items():
            outer.on_commit.setdefault(key, callback)
        for key, callback in work.on_rollback.items():
            outer.on_rollback.setdefault(key, callback)
        return
    _run(work.on_commit)


@sa.event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    pending = session.info.get(_WORK)
    work = pending.pop(transaction, None) if pending else None
    if work is not None:  # still here: it ended without a commit (rolled back, or closed)
        _run(work.on_rollback)


def _run(callbacks: dict[Hashable, Callable[[], object]]) -> None:
    for key, callback in callbacks.items():
        try:
            callback()
        except Exception:
            logger.exception("work after the transaction failed: %s", key)
