"""Fixtures for the landlord portal and API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords import api_tokens
from tests.factories.accounts import UserFactory


@pytest.fixture
def request_context(app) -> Iterator[None]:
    # Templates (packets, labels) pick their language from the request, as when a landlord downloads.
    with app.test_request_context():
        yield


def landlord_client(app, landlord):
    """A test client logged in as a staff member of this landlord."""
    user = UserFactory(landlord_staff=True, landlord=landlord)
    db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def api_token_for(landlord) -> str:
    coordinator = UserFactory(coordinator=True)
    _token, raw = api_tokens.create_token(landlord, label="Systeem", actor=coordinator, now=utcnow())
    db.session.commit()
    return raw
