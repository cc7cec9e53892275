"""Planning an info moment as one session, its overview and its attendance list (never the candidate day list)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.db_types import utcnow
from inschrijving.extensions import db as _db
from inschrijving.planning.models import MomentKind, RegistrationMoment
from inschrijving.planning.services import info_moments
from inschrijving.professionals.services import registration
from tests.professionals.conftest import make_info_session


def _form(**changes) -> dict:
    held_on = date.today() + timedelta(days=30)
    data = {"held_on": held_on.isoformat(), "starts": "14:00", "ends": "16:00", "location_name": "Sociaal Huis",
            "address": "Budastraat 27, 8500 Kortrijk", "seats": "25", "topic_nl": "Hoe werkt de groepsinschrijving?",
            "topic_fr": "Comment fonctionne l'inscription ?"}
    data.update(changes)
    return data


def test_a_coordinator_plans_an_info_moment_as_one_session(client, auth, coordinator):
    auth.login(coordinator)
    assert "/planning/infomoment/nieuw" in client.get("/planning/").get_data(as_text=True)
    response = client.post("/planning/infomoment/nieuw", data=_form())
    assert response.status_code == 302
    moment = _db.session.scalars(sa.select(RegistrationMoment)).one()
    assert moment.kind == MomentKind.INFO and moment.is_info
    assert [(s.capacity, s.ends_at - s.starts_at) for s in moment.slots] == [(25, timedelta(hours=2))]
    assert moment.topics == {"nl": "Hoe werkt de groepsinschrijving?", "fr": "Comment fonctionne l'inscription ?"}
    assert moment.booking_closes_at == moment.slots[0].starts_at
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 van 25 bezet" in page and "tafels" not in page


def test_the_generic_form_no_longer_plans_info_moments_as_a_grid(client, auth, coordinator):
    auth.login(coordinator)
    page = client.get("/planning/nieuw").get_data(as_text=True)
    assert 'value="info"' not in page and "/planning/infomoment/nieuw" in page


def test_bad_input_stays_next_to_the_field(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post("/planning/infomoment/nieuw", data=_form(ends="13:00", topic_nl=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="topic_nl-error"' in text
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationMoment)) == 0
    response = client.post("/planning/infomoment/nieuw", data=_form(ends="13:00"))
    assert 'id="ends-error"' in response.get_data(as_text=True)


def test_the_plan_refuses_an_end_before_the_start(db):
    from datetime import time

    import pytest

    from inschrijving.planning.services.base import InvalidBlocks
    with pytest.raises(InvalidBlocks):
        info_moments.plan_info_moment(held_on=date.today() + timedelta(days=9), starts=time(14), ends=time(14),
                                      location_name="x", address="y", seats=5, now=utcnow())


def _register(slot, n: int, attendees: int):
    details = registration.professional_details(name=f"Prof {n}", organisation=f"Org {n % 2}",
                                                email=f"p{n}@org.example.org", phone=None, language="nl",
                                                attendees=attendees, remark=None)
    return registration.register(slot.id, details=details, now=utcnow()).booking


def test_the_overview_shows_registrations_and_attendees(client, auth, coordinator):
    slot = make_info_session(seats=20)
    for n, attendees in enumerate((2, 3, 1)):
        _register(slot, n, attendees)
    _db.session.commit()
    auth.login(coordinator)
    page = client.get(f"/planning/{slot.moment_id}", follow_redirects=True).get_data(as_text=True)
    assert "3 inschrijvingen, 6 deelnemers, 2 organisaties" in page
    assert "Prof 1" in page and "Org 1" in page
    assert "6 / 20" in client.get("/planning/").get_data(as_text=True)


def test_the_day_list_of_an_info_moment_is_its_attendance_list(client, auth, volunteer):
    slot = make_info_session(seats=10)
    booking = _register(slot, 1, 3)
    _db.session.commit()
    auth.login(volunteer)
    page = client.get(f"/planning/{slot.moment_id}/dag", follow_redirects=True).get_data(as_text=True)
    assert "Aanwezigheidslijst" in page and "Prof 1" in page
    assert "Gezin" not in page and "household_size" not in page and "Tolk" not in page
    assert _db.session.scalars(sa.select(AuditEvent.action)).all()[-1] == "moment.attendance_list_view"
    # No-show asks a second step, for professionals as for candidates (issue 15).
    client.post(f"/planning/{slot.moment_id}/dag/{booking.id}/niet-gekomen")
    _db.session.expire_all()
    assert booking.status == BookingStatus.BOOKED
    client.post(f"/planning/{slot.moment_id}/dag/{booking.id}/niet-gekomen", data={"confirmed": "1"})
    _db.session.expire_all()
    assert booking.status == BookingStatus.NO_SHOW and booking.slot.booked == 0
    # The session is not today: check-in asks a second click (issue 15's rule holds here too).
    client.post(f"/planning/{slot.moment_id}/dag/{booking.id}/aanwezig", data={"confirmed": "1"})
    _db.session.expire_all()
    assert booking.status == BookingStatus.CHECKED_IN and booking.slot.booked == 3
    page = client.get(f"/planning/{slot.moment_id}/aanwezigheid").get_data(as_text=True)
    assert "3 van 3 deelnemers aanwezig, 0 niet gekomen" in page


def test_a_walk_in_professional_is_added_checked_in(client, auth, volunteer):
    slot = make_info_session(seats=3)
    _db.session.commit()
    auth.login(volunteer)
    response = client.post(f"/planning/{slot.moment_id}/aanwezigheid/walk-in",
                           data={"contact_name": "Koen", "organisation": "OCMW Menen", "attendees": "2"})
    assert response.status_code == 302
    walk_in = _db.session.scalars(sa.select(Booking)).one()
    assert walk_in.status == BookingStatus.CHECKED_IN and walk_in.is_walk_in and walk_in.seats == 2
    full = client.post(f"/planning/{slot.moment_id}/aanwezigheid/walk-in",
                       data={"contact_name": "Els", "organisation": "CAW", "attendees": "2"})
    assert full.status_code == 400 and "Er zijn niet genoeg plaatsen vrij." in full.get_data(as_text=True)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1


def test_a_coordinator_may_add_seats_for_a_walk_in(client, auth, coordinator):
    slot = make_info_session(seats=1)
    _db.session.commit()
    auth.login(coordinator)
    response = client.post(f"/planning/{slot.moment_id}/aanwezigheid/walk-in",
                           data={"contact_name": "Els", "organisation": "CAW", "attendees": "3", "over_capacity": "y"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert (slot.capacity, slot.booked) == (3, 3)


def test_a_registration_moment_has_no_attendance_list(client, auth, volunteer):
    from tests.factories.planning import SlotFactory

    slot = SlotFactory()
    _db.session.commit()
    auth.login(volunteer)
    assert client.get(f"/planning/{slot.moment_id}/aanwezigheid").status_code == 404


def test_an_info_session_is_not_edited_or_resized_as_a_grid_of_desk_slots(client, auth, coordinator):
    # The grid forms would turn its seats into desks and count registrations instead of attendees.
    slot = make_info_session(seats=20)
    _register(slot, 1, 3)
    _db.session.commit()
    auth.login(coordinator)
    moment_id = slot.moment_id
    assert not slot.moment.can_edit and not slot.moment.has_desk_slots
    assert client.get(f"/planning/{moment_id}/bewerken").status_code == 302
    assert client.get(f"/planning/{moment_id}/capaciteit").status_code == 302
    page = client.get(f"/planning/{moment_id}", follow_redirects=True).get_data(as_text=True)
    assert f'href="/planning/{moment_id}/bewerken"' not in page
    assert f'href="/planning/{moment_id}/capaciteit"' not in page
