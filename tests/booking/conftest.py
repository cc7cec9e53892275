"""Fixtures for the booking tests: the clock, who acts in a staff step, and two slots of one moment."""

from __future__ import annotations

import pytest

from inschrijving.db_types import utcnow
from tests.factories.accounts import UserFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory


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


@pytest.fixture
def slots(db):
    """Two slots of one published moment, four seats each (a booking and the slot it moves to)."""
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slots = [SlotFactory(moment=moment, capacity=4) for _ in range(2)]
    db.session.commit()
    return slots
