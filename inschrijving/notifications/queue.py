"""The task queue (Huey): one queue object, its storage chosen by TASK_QUEUE_URL, and enqueue-after-commit.

TASK_QUEUE_URL:
- empty (default): a SQLite file next to the app's database (instance/tasks.sqlite3); no server needed.
- ``sqlite:////path/tasks.sqlite3``: that file.
- ``redis://host:6379/0``: Redis, for several hosts (see the README's production section).
- ``memory://``: in this process only (the tests' default; a worker cannot see it).

Work that must only happen when a transaction commits (sending its messages, rendering a section) is
registered with `after_commit` (`inschrijving.transactions`): it is enqueued when the outermost transaction
commits, not when a savepoint inside it is released, and forgotten on a rollback, so a rolled-back booking
sends nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from inschrijving import transactions

log = logging.getLogger(__name__)

# Built with in-memory storage; init_app gives it the configured one before anything is enqueued.
huey = Huey("inschrijving", storage_class=MemoryStorage, results=False)
_state: dict[str, Any] = {"app": None}
_TASKS: dict[str, Any] = {}


def storage_settings(url: str, *, instance_path: str | Path) -> tuple[type, dict[str, Any]]:
    """The Huey storage class and its arguments for a TASK_QUEUE_URL."""
    if not url:
        return SqliteStorage, {"filename": str(Path(instance_path) / "tasks.sqlite3")}
    if url == "memory://":
        return MemoryStorage, {}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///")}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    raise ValueError(f"TASK_QUEUE_URL must be empty, memory://, sqlite:///<file> or redis://..., not {url!r}")


def init_app(app: Flask) -> None:
    """Point the queue at the app's storage and remember the app for tasks run by the worker."""
    url = app.config.get("TASK_QUEUE_URL") or ("memory://" if app.testing else "")
    storage_class, kwargs = storage_settings(url, instance_path=app.instance_path)
    if huey.storage_class is not storage_class or huey.storage_kwargs != kwargs:
        huey.storage_class, huey.storage_kwargs = storage_class, kwargs
        huey.storage = huey.create_storage()
    _state["app"] = app


def with_app(func: Callable) -> Callable:
    """Run a task in an app context: the caller's (tests, CLI), else the worker's app."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        app = _state["app"]
        if app is None:
            raise RuntimeError("the task queue has no app: import inschrijving.notifications.worker")
        with app.app_context():
            return func(*args, **kwargs)

    return wrapper


def register(task: Any) -> Any:
    """Make a task of `tasks.py` known by its name, so modules that queue work need not import tasks.py."""
    _TASKS[task.func.__name__] = task
    return task


def after_commit(name: str, *args: Any) -> None:
    """Enqueue the task `name` with `args` when the current transaction commits; never if it rolls back.

    The same call registered twice in one transaction is enqueued once.
    """
    transactions.on_commit(("task", name, args), functools.partial(_enqueue, _TASKS[name], name, args))


def _enqueue(task: Any, name: str, args: tuple[Any, ...]) -> None:
    try:
        task(*args)
    except Exception:
        # The broker is down: the work is still in the database and the periodic run picks it up.
        log.exception("task queue: could not enqueue %s", name)


def queue_status() -> dict[str, int]:
    """Tasks waiting in the queue and scheduled for later (for the status line and the docs)."""
    return {"pending": huey.pending_count(), "scheduled": huey.scheduled_count()}


def configured_app() -> Flask:
    return _state["app"] or current_app._get_current_object()
