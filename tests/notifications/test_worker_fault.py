"""Kill the worker (SIGKILL) in the middle of a batch; after a restart every message is sent exactly once.

The real consumer (`huey_consumer inschrijving.notifications.worker.huey`, the Procfile's worker line)
runs on a database file (or TEST_DATABASE_URL) and a SQLite task queue. A message the killed worker had
claimed waits for its lease (here one second) and is then taken by the new worker; the folder transport
writes each message's file once, by its idempotency key, so the message it had already written is not
written again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import queue_message

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 150


def start_worker(app, tmp_path: Path, log_name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "worker-fault-test-secret-not-for-production",
        "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        "OUTBOX_FOLDER": app.config["OUTBOX_FOLDER"],
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'tasks.sqlite3'}",
        "OUTBOX_CLAIM_LEASE_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    consumer = Path(sys.executable).parent / "huey_consumer"
    with (tmp_path / log_name).open("wb") as log:  # the child keeps its own copy of the descriptor
        command = [str(consumer), "inschrijving.notifications.worker.huey", "-w", "1", "-k", "thread", "-m", "1"]
        return subprocess.Popen(command,
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def unsent() -> int:
    db.session.rollback()  # a fresh snapshot
    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None)))


def test_a_killed_worker_leaves_every_message_sent_exactly_once_after_a_restart(committed_app, tmp_path):
    for n in range(MESSAGES):
        queue_message(f"kandidaat{n}@example.org", f"Bericht {n}", f"Tekst {n}")
    db.session.commit()
    outbox = Path(committed_app.config["OUTBOX_FOLDER"])

    worker = start_worker(committed_app, tmp_path, "first.log")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(outbox.glob("*.eml"))) < 20:
            time.sleep(0.005)
        os.killpg(worker.pid, signal.SIGKILL)  # mid-batch: no clean shutdown, no commit of what was in flight
    finally:
        worker.wait(timeout=10)
    written_before = len(list(outbox.glob("*.eml")))
    assert 20 <= written_before < MESSAGES, (tmp_path / "first.log").read_text()[-2000:]
    assert unsent() > 0

    time.sleep(1.2)  # the killed worker's lease on the message it held runs out
    worker = start_worker(committed_app, tmp_path, "second.log")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and unsent():
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
    assert unsent() == 0, (tmp_path / "second.log").read_text()[-2000:]
    files = sorted(outbox.glob("*.eml"))
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    # One file per message, named by its idempotency key: nothing lost, nothing sent twice.
    assert len(files) == MESSAGES
    assert {path.name.split(".")[0] for path in files} == {m.idempotency_key for m in messages}
    assert not list(outbox.glob(".*.tmp"))  # no half-written file left by the kill
