"""Public list pages run a constant number of queries, however many moments and slots exist."""

from __future__ import annotations

from tests.factories.booking import BookingFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory
from tests.query_count import count_queries


def make(n_slots: int, n_bookings: int):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slots = [SlotFactory(moment=moment) for _ in range(n_slots)]
    for i in range(n_bookings):
        BookingFactory(slot=slots[i % n_slots])
    return moment, slots[0]


def page_queries(client, url) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_home_and_slot_pages_use_a_constant_number_of_queries(client, db):
    small, small_slot = make(2, 1)
    db.session.commit()
    few = [page_queries(client, "/"), page_queries(client, f"/inschrijven/{small.id}")]
    for _ in range(3):
        make(12, 10)
    big, _slot = make(14, 20)
    db.session.commit()
    many = [page_queries(client, "/"), page_queries(client, f"/inschrijven/{big.id}")]
    assert few == many


def test_move_page_uses_a_constant_number_of_queries(client, db):
    booking = BookingFactory()
    db.session.commit()
    url = "/afspraak/token-" + booking.reference + "/verplaatsen"
    few = page_queries(client, url)
    for _ in range(3):
        make(10, 5)
    db.session.commit()
    assert page_queries(client, url) == few
