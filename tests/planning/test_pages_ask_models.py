"""The planning pages offer exactly what the rules allow (they ask the model's facts), and every request
commits at most once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import BookingStatus
from inschrijving.extensions import db as _db
from inschrijving.planning.models import MomentStatus


@contextlib.contextmanager
def commits() -> Iterator[list[int]]:
    """Count the calls of `db.session.commit()` in a block (savepoints inside a service are not commits)."""
    made: list[int] = []
    real = _db.session.commit

    def counted() -> None:
        made.append(1)
        real()

    _db.session.commit = counted
    try:
        yield made
    finally:
        del _db.session.commit


def test_the_day_list_offers_each_booking_the_steps_its_status_allows(client, auth, volunteer, moment, book):
    slot = moment.slots[0]
    expected = book(slot)
    present = book(slot, status=BookingStatus.CHECKED_IN)
    absent = book(moment.slots[1], status=BookingStatus.NO_SHOW)
    _db.session.commit()
    auth.login(volunteer)
    html = client.get(f"/planning/{moment.id}/dag").get_data(as_text=True)
    base = f"/planning/{moment.id}/dag"
    offered = {
        b.id: {step for step in ("aanwezig", "niet-gekomen", "ongedaan", "nieuwe-link")
               if f'action="{base}/{b.id}/{step}"' in html}
        for b in (expected, present, absent)
    }
    assert offered == {
        expected.id: {"aanwezig", "niet-gekomen", "nieuwe-link"},
        present.id: {"ongedaan", "nieuwe-link"},
        absent.id: {"aanwezig", "ongedaan"},
    }
    assert "Toch gekomen" in html
    # One next step per row: check in first, then start the dossier (the service accepts any live booking).
    starts = {b.id for b in (expected, present, absent) if f"/dossiers/start/{b.id}" in html}
    assert starts == {present.id}


@pytest.mark.parametrize(("role", "shown"), [("coordinator", True), ("volunteer", False)])
def test_only_a_coordinator_is_offered_a_larger_slot_for_a_walk_in(client, auth, moment, role, shown, request):
    auth.login(request.getfixturevalue(role))
    html = client.get(f"/planning/{moment.id}/dag").get_data(as_text=True)
    assert ('name="over_capacity"' in html) is shown


@pytest.mark.parametrize(
    ("status", "publish", "close", "cancel"),
    [
        (MomentStatus.DRAFT, True, False, True),
        (MomentStatus.PUBLISHED, False, True, True),
        (MomentStatus.CLOSED, True, False, True),
        (MomentStatus.CANCELLED, False, False, False),
    ],
)
def test_the_moment_page_offers_the_steps_its_status_allows(client, auth, coordinator, moment, status, publish,
                                                            close, cancel):
    moment.status = status
    _db.session.commit()
    auth.login(coordinator)
    html = client.get(f"/planning/{moment.id}").get_data(as_text=True)
    assert (f"/planning/{moment.id}/publiceren" in html, f"/planning/{moment.id}/sluiten" in html,
            f"/planning/{moment.id}/annuleren" in html) == (publish, close, cancel)


def test_every_planning_request_commits_at_most_once(client, auth, coordinator, moment, book):
    booking = book(moment.slots[0], email="amal@example.org")
    _db.session.commit()
    auth.login(coordinator)
    before = _db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    base = f"/planning/{moment.id}"
    requests = [
        ("get", f"{base}/dag", {}),
        ("post", f"{base}/dag/{booking.id}/aanwezig", {"confirmed": "1"}),
        ("post", f"{base}/dag/{booking.id}/nieuwe-link", {"confirmed": "1"}),
        ("post", f"{base}/dag/walk-in", {"slot_id": str(moment.slots[1].id), "contact_name": "Binnenloper",
                                        "language": "nl", "household_size": "1"}),
        ("get", f"{base}/capaciteit?slot_id={moment.slots[0].id}&capacity=0", {}),
        ("post", f"{base}/capaciteit", {"slot_id": str(moment.slots[0].id), "capacity": "0"}),
        ("post", f"{base}/capaciteit/verplaats", {"booking_id": str(booking.id), "slot_id": str(moment.slots[2].id)}),
        ("post", f"{base}/capaciteit", {"slot_id": str(moment.slots[0].id), "capacity": "1"}),
        ("post", f"{base}/medewerkers", {"user_ids": [str(coordinator.id)]}),
        ("post", f"{base}/sluiten", {}),
        ("post", f"{base}/annuleren", {"confirm": "y"}),
    ]
    for method, url, data in requests:
        with commits() as made:
            response = getattr(client, method)(url, data=data) if method == "post" else client.get(url)
        assert response.status_code < 500, url
        assert len(made) == 1, (url, len(made))
    actions = _db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.id > before).order_by(AuditEvent.id))
    assert list(actions) == [
        "moment.day_list_view", "booking.check_in", "booking.link_reissued", "booking.walk_in",
        "slot.capacity_shortfall_view", "slot.capacity_shortfall_view", "booking.move_by_staff",
        "slot.capacity_change", "moment.staff", "moment.close", "moment.cancel",
    ]
