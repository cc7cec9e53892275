"""Shared fixtures: one app for the whole run, one rolled-back transaction per test.

The contract
------------
``app``            The run's app (built once), on this test's transaction, with an app context pushed for the
                   test body. Ask for it, or for ``db``, when the test itself uses ``db.session``, factories,
                   ``url_for`` or ``current_app``. Changes to ``app.config`` are undone after the test.
``db``             The Flask-SQLAlchemy extension; ``db.session`` is the test's own session. Implies ``app``.
``bare_app``       The same app and transaction without a pushed context: for fixtures and tests that push
                   their own (``with bare_app.app_context():``) or only need the object.
``client``         A test client of the run's app. It pushes no app context, so a test that asks only for
                   ``client`` (and ``auth``) runs with none. Every request (through any client, or any other
                   WSGI caller such as schemathesis) gets its own app context, ``g`` and ``db.session``, as on a
                   server, also when the test has a context pushed: before a request the test's pending changes
                   are flushed, after it the test's session is expired, so the test reads what the request
                   wrote. An object whose row a request deleted can no longer be read: keep its id first.
``auth``           Logs ``client`` in and out through the real login form.
``make_app``       ``make_app(**config)``: a new app with these settings (CSRF on, rate limits on, routes of its
                   own), on the same rolled-back transaction; no context pushed. Use it only for settings that
                   are read when the app is built, or routes added to it; ``app.config[...] = x`` is cheaper.
``committed_app``  An app of its own whose commits are real (SQLite: a file in tmp_path; PostgreSQL: the test
                   database, emptied afterwards), for tests with several threads or processes. Context pushed.

The database
------------
SQLite (default): one in-memory database for the run (StaticPool: one connection), its schema built once.
PostgreSQL (TEST_DATABASE_URL set): the schema is rebuilt once per run; if the server cannot be reached the
suite fails, it never silently falls back to SQLite.
On both, a test runs inside one outer transaction that is rolled back afterwards. Every session (the test's,
each request's, each ``make_app`` app's) joins it through a SAVEPOINT, so a ``commit()`` in a test or a view
releases a savepoint and nothing survives the test. pysqlite needs SQLAlchemy's documented recipe for this
("Enabling Non-Legacy SQLite Transactional Modes"): with its default transaction handling a SAVEPOINT runs
outside any transaction and its rows would survive the rollback.

Files
-----
UPLOAD_FOLDER and OUTBOX_FOLDER point into the test's own tmp_path, so no upload or queued mail reaches the
next test.
"""

from __future__ import annotations

import contextvars
import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask.testing import FlaskClient
from sqlalchemy.pool import StaticPool

from inschrijving import create_app
from inschrijving.extensions import db as _db
from inschrijving.extensions import limiter

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
        # One shared in-memory connection, so every session sees the same database.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif url.startswith("sqlite:///"):
        # Threads racing on one database file wait for the write lock instead of failing at once.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    return config


class OwnContextPerRequest:
    """WSGI middleware: every request runs in an app context of its own, as on a server.

    Flask reuses an app context that is already pushed, and with it `g` (Flask-Login's user, Flask-Babel's
    locale, the staff-page flag) and `db.session`: a view could pass on what the test or an earlier request
    left there. Running the request in an empty `contextvars.Context` makes Flask push a fresh one. It sits
    around `wsgi_app`, so the test client, schemathesis and any other WSGI caller get the same.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ, start_response):
        test_session = _db.session if has_app_context() and current_app._get_current_object() is self.app else None
        if test_session is not None:
            # The request's own session reads through the same connection: it sees what the test flushed.
            test_session.flush()
        try:
            return contextvars.Context().run(self.wsgi_app, environ, start_response)
        finally:
            if test_session is not None:
                test_session.expire_all()


def _new_app(config: dict) -> Flask:
    app = create_app(config)
    app.wsgi_app = OwnContextPerRequest(app)  # type: ignore[method-assign]
    return app


def _emit_begin_on_sqlite(engine: sa.Engine) -> None:
    """SQLAlchemy's recipe for SAVEPOINTs inside a real transaction on pysqlite (Python < 3.12)."""

    @sa.event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def _run_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app every test shares, with the schema built once."""
    app = _new_app(base_config(tmp_path_factory.mktemp("run-app")))
    engine = _engines(app)[None]
    if USING_POSTGRES:
        with engine.begin() as conn:
            # A clean slate, whatever an older run left behind (a table since removed would block create_all).
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    else:
        _emit_begin_on_sqlite(engine)
    _db.metadata.create_all(engine)
    # A session bound to a connection that is already in a transaction joins it through a SAVEPOINT.
    with app.app_context():
        _db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    engine.dispose()


@pytest.fixture
def _connection(_run_app: Flask) -> Iterator[sa.Connection]:
    """One connection in an outer transaction that is rolled back after the test."""
    connection = _engines(_run_app)[None].connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()


def _engines(app: Flask) -> dict:
    """The app's engines by bind key: the dict Flask-SQLAlchemy's sessions look their bind up in."""
    with app.app_context():
        return _db.engines  # type: ignore[return-value]


def _bind(app: Flask, connection: sa.Connection) -> sa.Engine:
    """Make every session of `app` use `connection`; return the engine it had."""
    engines = _engines(app)
    engine = engines[None]
    engines[None] = connection
    return engine


@pytest.fixture
def bare_app(_run_app: Flask, _connection: sa.Connection, tmp_path: Path) -> Iterator[Flask]:
    app = _run_app
    config = copy.deepcopy(dict(app.config))
    app.config.update(UPLOAD_FOLDER=str(tmp_path / "uploads"), OUTBOX_FOLDER=str(tmp_path / "outbox"))
    engine = _bind(app, _connection)
    try:
        yield app
    finally:
        _engines(app)[None] = engine
        app.config.clear()
        app.config.update(config)


@pytest.fixture
def app(bare_app: Flask) -> Iterator[Flask]:
    with bare_app.app_context():
        yield bare_app


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def client(bare_app: Flask) -> FlaskClient:
    return bare_app.test_client()


@pytest.fixture
def make_app(_connection: sa.Connection, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app with its own settings on this test's transaction: make_app(RATELIMIT_ENABLED=True)."""
    limiter_enabled = limiter.enabled

    def make(**config) -> Flask:
        app = _new_app({**base_config(tmp_path), **config})
        _bind(app, _connection).dispose()
        return app

    yield make
    # Flask-Limiter keeps `enabled` on its one global object, so the last app built decides for all of them.
    limiter.enabled = limiter_enabled


@pytest.fixture
def committed_app(tmp_path: Path, _run_app: Flask) -> Iterator[Flask]:
    """An app whose commits are real, for tests with several threads or processes.

    SQLite: a database file in tmp_path. PostgreSQL: the test database (whose schema `_run_app` built),
    emptied afterwards.
    """
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'committed.sqlite3'}"
    app = _new_app(base_config(tmp_path, url))
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
