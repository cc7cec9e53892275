"""The coordinator's info-moment pages after the QA walk: no dossiers or candidate statistics on an info moment,
the no-show's other-day warning in the professional's words, readable phones and e-mails that can wrap."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import BookingStatus
from inschrijving.db_types import utcnow
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import errors, lifecycle
from inschrijving.extensions import db as _db
from inschrijving.planning.models import RegistrationMoment
from inschrijving.professionals.services import registration
from tests.factories.planning import MomentFactory
from tests.professionals.conftest import make_info_session


def _register(slot, *, email="sara.declercq@caw-zuid-west-vlaanderen.example.org", phone=None, attendees=2):
    details = registration.professional_details(name="Sara Declercq", organisation="CAW Zuid-West-Vlaanderen",
                                                email=email, phone=phone, language="nl", attendees=attendees,
                                                remark=None)
    return registration.register(slot.id, details=details, now=utcnow()).booking


def _dossier_count() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(Dossier))


def test_only_a_registration_moment_takes_dossiers_in_python_and_in_sql(db):
    info = make_info_session().moment
    candidates = MomentFactory()
    assert not info.takes_dossiers and candidates.takes_dossiers
    ids = _db.session.scalars(sa.select(RegistrationMoment.id).where(RegistrationMoment.takes_dossiers)).all()
    assert ids == [candidates.id]


def test_the_intake_services_refuse_an_info_moment(db, coordinator):
    slot = make_info_session()
    booking = _register(slot)
    assert not booking.can_start_dossier
    with pytest.raises(errors.MomentTakesNoDossiers):
        lifecycle.start_walk_in(slot.moment, actor=coordinator, now=utcnow())
    with pytest.raises(errors.MomentTakesNoDossiers):
        lifecycle.start_dossier(booking, actor=coordinator, now=utcnow())
    assert _dossier_count() == 0


def test_the_dossier_and_statistics_routes_refuse_an_info_moment(client, auth, coordinator):
    slot = make_info_session()
    booking = _register(slot)
    _db.session.commit()
    auth.login(coordinator)
    moment_id = slot.moment_id
    assert client.get(f"/dossiers/walk-in/{moment_id}").status_code == 404
    assert client.post(f"/dossiers/walk-in/{moment_id}").status_code == 404
    assert client.get(f"/dossiers/start/{booking.id}").status_code == 404
    assert client.post(f"/dossiers/start/{booking.id}").status_code == 404
    assert client.get(f"/dossiers/?moment={moment_id}").status_code == 404
    assert client.get(f"/planning/{moment_id}/statistiek").status_code == 404
    assert _dossier_count() == 0


def test_an_info_moments_pages_have_no_dossiers_or_statistics_tab(client, auth, coordinator):
    slot = make_info_session()
    _db.session.commit()
    auth.login(coordinator)
    moment_id = slot.moment_id
    for path in (f"/planning/{moment_id}/infomoment", f"/planning/{moment_id}/aanwezigheid"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="/dossiers/?moment={moment_id}"' not in page
        assert f'href="/planning/{moment_id}/statistiek"' not in page
    # The dossier filter offers only moments that take dossiers.
    assert f'<option value="{moment_id}"' not in client.get("/dossiers/").get_data(as_text=True)


def test_a_registration_moment_keeps_its_dossiers_and_statistics(client, auth, coordinator, moment):
    _db.session.commit()
    auth.login(coordinator)
    page = client.get(f"/planning/{moment.id}").get_data(as_text=True)
    assert f'href="/dossiers/?moment={moment.id}"' in page and f'href="/planning/{moment.id}/statistiek"' in page
    assert client.get(f"/dossiers/walk-in/{moment.id}").status_code == 200
    assert client.get(f"/planning/{moment.id}/statistiek").status_code == 200


def test_a_no_show_on_another_day_shows_both_dates_and_speaks_of_the_social_worker(client, auth, volunteer):
    slot = make_info_session(days_ahead=10)
    booking = _register(slot)
    _db.session.commit()
    auth.login(volunteer)
    page = client.post(f"/planning/{slot.moment_id}/dag/{booking.id}/niet-gekomen").get_data(as_text=True)
    assert "Niet gekomen, op een andere dag?" in page
    assert "Noteer iemand pas als niet gekomen als het moment voorbij is." in page
    assert "Komt de hulpverlener toch nog" in page and "kandidaat" not in page
    _db.session.expire_all()
    assert booking.status == BookingStatus.BOOKED and slot.booked == 2
    client.post(f"/planning/{slot.moment_id}/dag/{booking.id}/niet-gekomen", data={"confirmed": "1"})
    _db.session.expire_all()
    assert booking.status == BookingStatus.NO_SHOW and slot.booked == 0


def test_a_no_show_on_the_moments_own_day_asks_without_the_date_warning(client, auth, volunteer, moment, book):
    moment.held_on = datetime.now(ZoneInfo("Europe/Brussels")).date()
    booking = book(moment.slots[0])
    _db.session.commit()
    auth.login(volunteer)
    page = client.post(f"/planning/{moment.id}/dag/{booking.id}/niet-gekomen").get_data(as_text=True)
    assert "Niet gekomen?" in page and "op een andere dag" not in page
    assert "Komt de kandidaat toch nog" in page


def test_the_marks_attendance_rule_is_the_moments_own_day(db, moment, book):
    booking = book(moment.slots[0])
    assert booking.marks_attendance_on_another_day(moment.held_on - timedelta(days=10))
    assert not booking.marks_attendance_on_another_day(moment.held_on)


def test_the_tables_show_readable_phones_and_let_long_addresses_wrap(client, auth, coordinator):
    slot = make_info_session()
    _register(slot, phone="+3256123456")  # stored as the form stores it
    _db.session.commit()
    auth.login(coordinator)
    for path in (f"/planning/{slot.moment_id}/infomoment", f"/planning/{slot.moment_id}/aanwezigheid"):
        page = client.get(path).get_data(as_text=True)
        assert '<a href="tel:+3256123456">+32 56 12 34 56</a>' in page
        assert "sara.<wbr>declercq@<wbr>caw-<wbr>zuid-<wbr>west-<wbr>vlaanderen.<wbr>example.<wbr>org" in page
        assert 'class="day-table info-table"' in page
