"""The SQLite database, its write-ahead log and development mails are readable by their owner only (issue 13.14)."""

from __future__ import annotations

import os
import stat
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa

from inschrijving import create_app
from inschrijving.extensions import db
from inschrijving.notifications.email_transport import FolderTransport
from tests.conftest import base_config


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_log_are_owner_only(tmp_path):
    old = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        database = tmp_path / "data" / "app.sqlite3"
        app = create_app(base_config(tmp_path, f"sqlite:///{database}"))
        with app.app_context():
            db.create_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE x (a int)"))
                conn.execute(sa.text("INSERT INTO x VALUES (1)"))
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
            db.engine.dispose()
    finally:
        os.umask(old)


def test_a_database_made_earlier_is_tightened(tmp_path):
    database = tmp_path / "old.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    create_app(base_config(tmp_path, f"sqlite:///{database}"))
    assert mode(database) == 0o600


def test_development_mails_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        email = EmailMessage()
        email["Message-ID"] = "<abc@example.org>"
        email.set_content("https://example.org/afspraak/geheim")
        FolderTransport(tmp_path / "outbox").send(email)
        (written,) = (tmp_path / "outbox").iterdir()
        assert mode(written) == 0o600
        assert mode(tmp_path / "outbox") == 0o700
    finally:
        os.umask(old)
