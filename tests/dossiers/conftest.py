from __future__ import annotations

import pytest


@pytest.fixture
def request_ctx(app):
    """A request context, so translated messages can pick a locale (as they do in the app)."""
    with app.test_request_context("/"):
        yield
