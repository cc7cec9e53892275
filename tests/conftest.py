"""Shared fixtures.

SQLite (default): a fresh in-memory database per test.
PostgreSQL (TEST_DATABASE_URL set): the schema is built once, and each test runs inside a
transaction that is rolled back, so tests never see each other's rows. If the server cannot be
reached the suite fails; it never silently falls back to SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy.pool import StaticPool

from inschrijving import create_app
from inschrijving.extensions import db as _db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
USING_POSTGRES = bool(TEST_DATABASE_URL)
PASSWORD = "correct horse battery staple"


def base_config(tmp_path: Path, database_url: str | None = None) -> dict:
    url = database_url or TEST_DATABASE_URL or "sqlite://"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "OUTBOX_FOLDER": str(tmp_path / "outbox"),
        "SERVER_NAME": "localhost",
    }
    if url == "sqlite://":
        # One shared in-memory connection, so every session in the test sees the same database.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif url.startswith("sqlite:///"):
        # Threads racing on one database file wait for the write lock instead of failing at once.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    return config


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[None]:
    """Build the schema once per run on PostgreSQL."""
    if not USING_POSTGRES:
        yield
        return
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL})
    with app.app_context():
        with _db.engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))  # fail loudly if the server is not there
        with _db.engine.begin() as conn:
            # A clean slate, whatever an older run left behind (a table since removed would block drop_all).
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        _db.create_all()
        _db.engine.dispose()
    yield


def _fresh_g_per_request(app: Flask) -> None:
    """Give every test request its own `g`, as in production.

    The fixtures keep one app context open for the whole test and test requests reuse it, so `g`
    (Flask-Login's cached user, the staff-page flag, the chosen locale) would otherwise leak from one
    request, or one test client, to the next.
    """

    @app.teardown_request
    def _clear_g(_exc: BaseException | None) -> None:
        vars(g).clear()


@pytest.fixture
def app(tmp_path: Path, _postgres_schema: None) -> Iterator[Flask]:
    app = create_app(base_config(tmp_path))
    _fresh_g_per_request(app)
    with app.app_context():
        if USING_POSTGRES:
            # Swap the engine for one connection inside an outer transaction; commits inside the
            # test become savepoints and everything is rolled back afterwards.
            engine = _db.engines[None]
            connection = engine.connect()
            transaction = connection.begin()
            _db.engines[None] = connection  # type: ignore[assignment]
            _db.session.configure(join_transaction_mode="create_savepoint")
            try:
                yield app
            finally:
                _db.session.remove()
                transaction.rollback()
                connection.close()
                _db.engines[None] = engine
                engine.dispose()
        else:
            _db.create_all()
            try:
                yield app
            finally:
                _db.session.remove()
                _db.drop_all()
                _db.engine.dispose()


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def committed_app(tmp_path: Path, _postgres_schema: None) -> Iterator[Flask]:
    """An app whose commits are real, for tests with several threads or processes.

    SQLite: a database file in tmp_path. PostgreSQL: the test database, emptied afterwards.
    """
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'committed.sqlite3'}"
    app = create_app(base_config(tmp_path, url))
    _fresh_g_per_request(app)
    with app.app_context():
        if not USING_POSTGRES:
            _db.create_all()
        try:
            yield app
        finally:
            _db.session.remove()
            if USING_POSTGRES:
                tables = ", ".join(t.name for t in _db.metadata.sorted_tables)
                with _db.engine.begin() as conn:
                    conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            _db.engine.dispose()


class AuthActions:
    def __init__(self, client: FlaskClient):
        self._client = client

    def login(self, user, password: str = PASSWORD):
        return self._client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
