"""Fixtures for professionals: an open info moment with one session, and its registrations."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from inschrijving.planning.models import MomentKind
from tests.factories.planning import MomentFactory, SlotFactory, local


def make_info_session(*, seats: int = 20, days_ahead: int = 14, **moment):
    held_on = date.today() + timedelta(days=days_ahead)
    moment = MomentFactory(kind=MomentKind.INFO, held_on=held_on, desks=1, slot_minutes=120,
                           location_name="Sociaal Huis Kortrijk", topics={"nl": "Hoe werkt de groepsinschrijving?",
                                                                          "fr": "Comment fonctionne l'inscription ?"},
                           booking_closes_at=local(held_on, time(13, 30)), **moment)
    slot = SlotFactory(moment=moment, starts_at=local(held_on, time(14)), ends_at=local(held_on, time(16)),
                       capacity=seats)
    return slot


@pytest.fixture
def info_slot(db):
    slot = make_info_session()
    db.session.commit()
    return slot


REGISTRATION = {
    "contact_name": "Sara Declercq",
    "organisation": "CAW Zuid-West-Vlaanderen",
    "email": "sara.declercq@caw.example.org",
    "phone": "",
    "attendees": "2",
    "remark": "Wij komen met de fiets.",
}
