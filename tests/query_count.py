"""Count the SQL a piece of code sends: list pages must send the same number however many rows they show."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa

from inschrijving.extensions import db


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the statements sent inside the block (savepoint bookkeeping of the PostgreSQL fixture excluded)."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
