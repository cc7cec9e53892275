"""Operational jobs that belong to no domain: consistent backups of the database and the document store."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from inschrijving.rendering import storage


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    database: Path
    documents: Path
    document_count: int


def backup(*, database_url: str, upload_folder: str | Path, target: str | Path, now: datetime) -> BackupResult:
    """Write a consistent copy of a SQLite database and the document store under target/<timestamp>/.

    The database is copied with SQLite's online backup API, which gives a consistent snapshot even while
    the app keeps writing (a plain file copy can catch a half-written page). Documents are copied after
    the snapshot: they are written before the row that points to them is committed, so every document the
    snapshot references is already on disk.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "This command backs up a SQLite database file. For PostgreSQL use pg_dump (see the README)."
        )
    directory = Path(target) / now.strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(parents=True, exist_ok=False)
    database = directory / "inschrijving.sqlite3"
    source = sqlite3.connect(url.database)
    try:
        destination = sqlite3.connect(database)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    documents = directory / "uploads"
    uploads = Path(upload_folder)
    if uploads.exists():
        # Not the packet's cached sections (a cache, made again from the documents when it is missing).
        shutil.copytree(uploads, documents, ignore=shutil.ignore_patterns(storage.BLOB_FOLDER))
    else:
        documents.mkdir()
    count = sum(1 for p in documents.rglob("*") if p.is_file())
    return BackupResult(directory=directory, database=database, documents=documents, document_count=count)


def restore(*, backup_directory: str | Path, database_path: str | Path, upload_folder: str | Path) -> None:
    """Put a backup made by `backup` back in place (the app must be stopped)."""
    source_dir = Path(backup_directory)
    source = sqlite3.connect(source_dir / "inschrijving.sqlite3")
    try:
        destination = sqlite3.connect(database_path)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    uploads = Path(upload_folder)
    if uploads.exists():
        shutil.rmtree(uploads)
    shutil.copytree(source_dir / "uploads", uploads)
