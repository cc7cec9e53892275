"""Every list page a coordinator reads sends the same number of queries with a little data as with more of it.

The lists grow together (moments with slots and bookings, dossiers, users, landlords, API keys, income limits,
audit events); a page whose count grows with them loads something per row. bench/coordinator_lists.py measures
the same pages at ten years' size.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from inschrijving.db_types import utcnow
from tests.factories.accounts import AuditEventFactory, UserFactory
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.dossiers import IncomeLimitFactory, build_complete_dossier
from tests.factories.landlords import LandlordFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory
from tests.landlords.conftest import api_token_for
from tests.query_count import count_queries

COORDINATOR_LISTS = [
    "/planning/",
    "/planning/statistiek",
    "/dossiers/",
    "/dossiers/grenzen",
    "/beheer/audit",
    "/beheer/gebruikers/",
    "/beheer/verhuurders/",
    "/beheer/api-sleutels/",
]


def grow(n: int, *, year: int) -> None:
    """Add n of everything a coordinator's list shows."""
    today = utcnow().date()
    for i in range(n):
        landlord = LandlordFactory()
        moment = MomentFactory(held_on=today + timedelta(days=30 * (i + 1) + year))
        OpeningBlockFactory(moment=moment)
        slot = SlotFactory(moment=moment)
        BookingFactory(slot=slot)
        WaitlistEntryFactory(moment=moment)
        build_complete_dossier(landlord=landlord, moment=moment)
        UserFactory()
        api_token_for(landlord)
        AuditEventFactory(action="moment.edit", object_type="moment", object_id=moment.id)
    IncomeLimitFactory(year=year)


@pytest.mark.parametrize("url", COORDINATOR_LISTS)
def test_a_coordinator_list_page_keeps_its_number_of_queries(db, client, auth, url):
    auth.login(UserFactory(coordinator=True))
    grow(1, year=2026)
    db.session.commit()
    client.get(url)  # warm caches the first request fills
    with count_queries() as few:
        assert client.get(url).status_code == 200
    grow(6, year=2027)
    db.session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), f"{url}: {len(few)} queries with little data, {len(many)} with more"
