"""Fixtures for the booking tests: the clock and who acts in a staff step."""

from __future__ import annotations

import pytest

from inschrijving.db_types import utcnow
from tests.factories.accounts import UserFactory


@pytest.fixture
def now():
    return utcnow()


@pytest.fixture
def by(db):
    """Who acts in a staff step: a coordinator, from an address of the documentation range."""
    return {"actor": UserFactory(coordinator=True), "ip": "192.0.2.20"}


@pytest.fixture
def by_volunteer(db):
    return {"actor": UserFactory(), "ip": "192.0.2.21"}
