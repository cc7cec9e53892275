from __future__ import annotations

import pytest
from flask import g


@pytest.fixture(autouse=True)
def _fresh_user_per_request(app):
    """Make Flask-Login load the user afresh on every request, as in production.

    The shared `app` fixture keeps one app context open for the whole test, and every test request
    reuses it, so Flask's `g` (where Flask-Login caches the current user) would otherwise survive from
    one request to the next and even from one test client to another. Session-version and idle-timeout
    tests need each request to check the session cookie again.
    """

    @app.teardown_request
    def _forget_user(_exc):
        g.pop("_login_user", None)
