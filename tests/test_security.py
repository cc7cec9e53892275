"""Web-layer controls that hold for every route, whoever wrote it."""

import re

import pytest
from cryptography.fernet import Fernet

from inschrijving import create_app
from tests.conftest import base_config

# Token-authenticated API calls carry no cookies, so CSRF does not apply to them.
CSRF_EXEMPT_PREFIXES = ("/api/",)


def _concrete(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)


@pytest.fixture
def csrf_app(tmp_path, _postgres_schema):
    config = base_config(tmp_path)
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    with app.app_context():
        from inschrijving.extensions import db

        if "sqlite" in app.config["SQLALCHEMY_DATABASE_URI"]:
            db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_every_post_route_refuses_a_missing_csrf_token(csrf_app):
    client = csrf_app.test_client()
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(CSRF_EXEMPT_PREFIXES):
            continue
        response = client.post(_concrete(rule), data={"anything": "x"})
        assert response.status_code == 400, f"{rule.rule} answered {response.status_code} without a CSRF token"
        checked += 1
    assert checked >= 2  # login and logout at least


def test_security_headers_on_every_response(client):
    for path in ("/", "/login", "/does-not-exist"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_in_production(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "production-secret-value",
            "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        }
    )
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
