"""The migrations build exactly the schema the models describe, and can be undone.

SQLite runs on a temporary file. PostgreSQL (when TEST_DATABASE_URL is set) runs in a throwaway
schema of that database, so the tables the rest of the suite uses are never touched.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from inschrijving import create_app
from inschrijving.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def keep_logging_config() -> Iterator[None]:
    # migrations/env.py calls logging.config.fileConfig, which disables every logger it does not
    # name; later tests that read log records must not depend on whether this file ran first.
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = {lg: lg.disabled for lg in loggers}
    root_handlers, root_level = list(logging.root.handlers), logging.root.level
    yield
    for logger, was_disabled in disabled.items():
        logger.disabled = was_disabled
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and logger not in disabled:
            logger.disabled = False
    logging.root.handlers[:] = root_handlers
    logging.root.setLevel(root_level)


def _app(url: str, engine_options: dict | None = None) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options or {},
        }
    )


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    app = _app(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
    with app.app_context():
        yield app
        db.engine.dispose()


@pytest.fixture
def postgres_app() -> Iterator[Flask]:
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL migrations run when TEST_DATABASE_URL is set")
    schema = f"migration_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        app = _app(TEST_DATABASE_URL, {"connect_args": {"options": f"-csearch_path={schema}"}})
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def pending_operations() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def check_upgrade_matches_models_and_downgrades() -> None:
    upgrade()

    assert table_names() == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
    assert pending_operations() == []

    downgrade(revision="base")

    assert table_names() <= {"alembic_version"}


def test_sqlite_upgrade_yields_exactly_the_models_and_downgrades(sqlite_app):
    check_upgrade_matches_models_and_downgrades()


def test_postgres_upgrade_yields_exactly_the_models_and_downgrades(postgres_app):
    check_upgrade_matches_models_and_downgrades()


def test_postgres_run_leaves_the_shared_schema_alone(postgres_app):
    with db.engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()

    assert schema.startswith("migration_test_")


def test_0003_takes_the_first_download_as_the_last_and_clears_fields_of_other_statuses(sqlite_app):
    upgrade(revision="0002")
    rows = [
        (1, "registered", "R-1", "2026-11-03", "oude reden", "2026-11-01 10:00:00.000000"),
        (2, "incomplete", "R-2", "2026-11-03", "loonfiche ontbreekt", "2026-11-02 10:00:00.000000"),
        (3, "new", None, None, None, None),
    ]
    with db.engine.connect() as conn:
        # Only landlord_choices matters here; its parents would be dozens of unrelated columns.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for id_, status, reference, registered_on, note, downloaded in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO landlord_choices (id, dossier_id, landlord_id, consent_id, status, "
                    "landlord_reference, registered_on, status_note, first_downloaded_at, created_at) "
                    "VALUES (:id, :id, 1, :id, :status, :reference, :registered_on, :note, :downloaded, "
                    "'2026-10-01 10:00:00.000000')"
                ),
                dict(id=id_, status=status, reference=reference, registered_on=registered_on, note=note,
                     downloaded=downloaded),
            )
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")

    upgrade()

    with db.engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT id, landlord_reference, registered_on, status_note, last_downloaded_at "
                "FROM landlord_choices ORDER BY id"
            )
        ).all()
    assert [tuple(row) for row in found] == [
        (1, "R-1", "2026-11-03", None, "2026-11-01 10:00:00.000000"),
        (2, None, None, "loonfiche ontbreekt", "2026-11-02 10:00:00.000000"),
        (3, None, None, None, None),
    ]
