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
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


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
            "SECRET_KEY": "production-secret-value-long-enough-for-the-check",
            "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        }
    )
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.fixture
def proxied(make_app):
    """Build an app with PROXY_FIX_X_FOR set and public POSTs limited to 2 a minute, plus a page that shows
    what the app believes about the client."""

    def build(hops: int):
        from flask import request
        from flask_limiter.util import get_remote_address

        app = make_app(PROXY_FIX_X_FOR=hops, RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_POST="2 per minute")

        @app.route("/_client")
        def seen_client():
            # get_remote_address is the limiter's key function (inschrijving/extensions.py).
            return {"remote_addr": request.remote_addr, "limiter_key": get_remote_address(),
                    "scheme": request.scheme}

        return app

    return build


PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # the reverse proxy's own address


def _posts(client, forwarded_for: str, times: int) -> list[int]:
    return [client.post("/wachtlijst/volgende", data={}, headers={"X-Forwarded-For": forwarded_for},
                        environ_base=PROXY).status_code for _ in range(times)]


def test_without_a_proxy_setting_forwarded_headers_are_ignored(proxied):
    client = proxied(0).test_client()
    seen = client.get("/_client", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
                      environ_base=PROXY).get_json()
    assert seen == {"remote_addr": "10.0.0.2", "limiter_key": "10.0.0.2", "scheme": "http"}
    # A client cannot buy itself a fresh rate-limit bucket by making up an address.
    assert _posts(client, "203.0.113.7", 2) == [200, 200]
    assert _posts(client, "198.51.100.9", 1) == [429]


def test_behind_one_proxy_each_client_has_its_own_address_and_bucket(proxied):
    client = proxied(1).test_client()
    seen = client.get("/_client", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
                      environ_base=PROXY).get_json()
    assert seen == {"remote_addr": "203.0.113.7", "limiter_key": "203.0.113.7", "scheme": "https"}
    # Only the hop the proxy appended is believed, not what the client put in front of it.
    spoofed = client.get("/_client", headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.7"},
                         environ_base=PROXY).get_json()
    assert spoofed["remote_addr"] == spoofed["limiter_key"] == "203.0.113.7"
    assert _posts(client, "203.0.113.7", 3) == [200, 200, 429]
    assert _posts(client, "198.51.100.9", 1) == [200]


def test_proxy_setting_must_not_be_negative(tmp_path):
    with pytest.raises(ValueError, match="PROXY_FIX_X_FOR"):
        create_app({**base_config(tmp_path), "PROXY_FIX_X_FOR": -1})
