"""Debug mode and weak secrets never slip into production (issue 13.15)."""

from __future__ import annotations

import sys

import pytest
from cryptography.fernet import Fernet

from inschrijving import InsecureConfiguration, create_app

STRONG = "k" * 32
PRODUCTION = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "DOCUMENT_KEYS": Fernet.generate_key().decode()}


@pytest.fixture(autouse=True)
def _not_the_cli(monkeypatch):
    for name in ("FLASK_RUN_FROM_CLI", "FLASK_RUN_HOST", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("key", ["short", "x" * 31])
def test_a_short_secret_key_is_refused(key):
    with pytest.raises(InsecureConfiguration, match="too short"):
        create_app({**PRODUCTION, "SECRET_KEY": key})


def test_a_32_character_key_is_enough():
    assert not create_app({**PRODUCTION, "SECRET_KEY": STRONG}).debug


def test_debug_under_gunicorn_is_refused(monkeypatch):
    # FLASK_DEBUG=1 left in a production environment: it used to switch off the key check, Secure cookies and HSTS.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["gunicorn", "wsgi:app"])
    with pytest.raises(InsecureConfiguration, match="FLASK_DEBUG"):
        create_app({**PRODUCTION, "SECRET_KEY": STRONG})
    with pytest.raises(InsecureConfiguration, match="FLASK_DEBUG"):
        create_app({**PRODUCTION, "SECRET_KEY": "dev-only-not-secret"})


@pytest.mark.parametrize(("argv", "local", "allowed"), [
    (["gunicorn", "--bind", "127.0.0.1:5000", "wsgi:app"], "1", True),  # make run (Procfile), on this machine
    (["gunicorn", "--bind", "0.0.0.0:5000", "wsgi:app"], "1", False),
    (["gunicorn", "--bind", "127.0.0.1:8000", "wsgi:app"], None, False),  # production behind its proxy
    (["huey_consumer", "inschrijving.notifications.worker.huey"], "1", True),  # make run's worker
    (["huey_consumer", "inschrijving.notifications.worker.huey"], None, False),
])
def test_make_runs_gunicorn_may_debug_on_loopback_only_when_it_says_so(monkeypatch, argv, local, allowed):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    if local:
        monkeypatch.setenv("LOCAL_DEVELOPMENT", local)
    monkeypatch.setattr(sys, "argv", argv)
    if allowed:
        assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug
    else:
        with pytest.raises(InsecureConfiguration, match="FLASK_DEBUG"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize(("argv", "env_host", "allowed"), [
    (["flask", "run"], None, True),
    (["flask", "run", "--host", "127.0.0.1", "--port", "5000"], None, True),
    (["flask", "run", "--host=localhost"], None, True),
    (["flask", "run", "--host", "0.0.0.0"], None, False),
    (["flask", "run", "-h", "192.0.2.1"], None, False),
    (["flask", "run"], "0.0.0.0", False),
])
def test_debug_only_on_the_local_development_server(monkeypatch, argv, env_host, allowed):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    if env_host:
        monkeypatch.setenv("FLASK_RUN_HOST", env_host)
    monkeypatch.setattr(sys, "argv", argv)
    if allowed:
        assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug
    else:
        with pytest.raises(InsecureConfiguration, match="FLASK_DEBUG"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
