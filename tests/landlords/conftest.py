"""Fixtures for the landlord portal and API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords.api import services as api_services
from inschrijving.landlords.portal.services import access, status
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
    _token, raw = api_services.create_token(landlord, label="Systeem", actor=coordinator, now=utcnow())
    db.session.commit()
    return raw


def staff_of(landlord):
    """A staff member of this landlord, the actor of the portal's status reports and downloads."""
    return UserFactory(landlord_staff=True, landlord=landlord)


def report(choice, *, now, **fields):
    """Report a status on a choice as the landlord's staff do in the portal."""
    return status.set_choice_status(choice, actor=staff_of(choice.landlord), ip=None, now=now, **fields)


def download(choices, *, now) -> None:
    """Download these choices' dossiers as the landlord's staff do in the portal (one dossier PDF each)."""
    for choice in choices:
        access.record_download(
            [choice], actor=staff_of(choice.landlord), ip=None, now=now, action="portal.dossier_pdf",
            object_type="dossier", object_id=choice.dossier_id,
        )
