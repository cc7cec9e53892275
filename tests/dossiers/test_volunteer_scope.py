"""Volunteers reach the dossiers of the moments they staff, within a window; everything else is 404 (issue 13.7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inschrijving.dossiers.models.household import Dossier
from tests.factories.accounts import UserFactory
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import DossierFactory, PersonFactory
from tests.factories.planning import MomentFactory


@pytest.fixture
def two_moments(db):
    staffed, other = MomentFactory(), MomentFactory()
    mine = DossierFactory(moment=staffed)
    PersonFactory(dossier=mine, last_name="Mijnmoment")
    theirs = DossierFactory(moment=other)
    PersonFactory(dossier=theirs, last_name="Andermoment")
    return staffed, other, mine, theirs


def login(db, auth, user):
    db.session.commit()
    assert auth.login(user).status_code in (302, 303)


def urls(dossier: Dossier) -> list[str]:
    return [f"/dossiers/{dossier.id}", f"/dossiers/{dossier.id}/stap/household", f"/dossiers/{dossier.id}/documenten",
            f"/dossiers/{dossier.id}/bewijs.pdf", f"/privacy/dossiers/{dossier.id}",
            f"/privacy/dossiers/{dossier.id}/kopie.json"]


def test_a_volunteer_staffed_on_no_moment_reaches_no_dossier(client, auth, db, two_moments):
    _staffed, _other, mine, theirs = two_moments
    login(db, auth, UserFactory())
    for dossier in (mine, theirs):
        for url in urls(dossier):
            assert client.get(url).status_code == 404, url
    page = client.get("/dossiers/").get_data(as_text=True)
    assert "Mijnmoment" not in page and "Andermoment" not in page
    # Erasing is refused too, and nothing is erased.
    assert client.post(f"/privacy/dossiers/{theirs.id}/wissen",
                       data={"confirmation": theirs.reference}).status_code == 404
    assert db.session.get(Dossier, theirs.id) is not None


def test_a_volunteer_reaches_the_dossiers_of_the_moment_they_staff_only(client, auth, db, two_moments):
    staffed, other, mine, theirs = two_moments
    volunteer = UserFactory()
    staffed.staff.append(volunteer)
    login(db, auth, volunteer)
    for url in urls(mine):
        assert client.get(url).status_code == 200, url
    for url in urls(theirs):
        assert client.get(url).status_code == 404, url
    page = client.get("/dossiers/").get_data(as_text=True)
    assert "Mijnmoment" in page and "Andermoment" not in page
    assert client.get(f"/dossiers/?moment={other.id}").status_code == 404
    # Starting a dossier for a booking or a walk-in of a moment they do not staff: refused as well.
    booking = BookingFactory(slot__moment=other)
    db.session.commit()
    assert client.get(f"/dossiers/start/{booking.id}").status_code == 404
    assert client.get(f"/dossiers/walk-in/{other.id}").status_code == 404
    assert client.get(f"/dossiers/walk-in/{staffed.id}").status_code == 200


def test_the_window_around_the_moment_is_a_setting(app, client, auth, db):
    past = MomentFactory(held_on=date.today() - timedelta(days=70))
    dossier = DossierFactory(moment=past)
    PersonFactory(dossier=dossier)
    volunteer = UserFactory()
    past.staff.append(volunteer)
    login(db, auth, volunteer)
    assert client.get(f"/dossiers/{dossier.id}").status_code == 404  # default: 60 days either side
    app.config["VOLUNTEER_DOSSIER_WINDOW_DAYS"] = 75
    assert client.get(f"/dossiers/{dossier.id}").status_code == 200


def test_a_coordinator_reaches_every_dossier(client, auth, db, two_moments):
    _staffed, _other, mine, theirs = two_moments
    login(db, auth, UserFactory(coordinator=True))
    for dossier in (mine, theirs):
        assert client.get(f"/dossiers/{dossier.id}").status_code == 200
    page = client.get("/dossiers/").get_data(as_text=True)
    assert "Mijnmoment" in page and "Andermoment" in page


def test_the_rule_has_one_home_used_by_the_list_query(db, two_moments):
    from inschrijving.dossiers import queries

    staffed, _other, mine, _theirs = two_moments
    volunteer = UserFactory()
    staffed.staff.append(volunteer)
    db.session.flush()
    scope = queries.dossier_scope(volunteer, today=date.today(), window_days=30)
    assert db.session.scalars(sa.select(Dossier.id).where(scope)).all() == [mine.id]
    assert queries.may_open(volunteer, {"dossier_id": mine.id}, today=date.today(), window_days=30)
    assert not queries.may_open(volunteer, {"dossier_id": _theirs.id}, today=date.today(), window_days=30)


def test_a_volunteer_opens_the_day_list_only_of_a_moment_they_staff(client, auth, db, two_moments):
    # A day list names every candidate of the moment, with phone and help notes: the same rule as dossiers.
    staffed, other, _mine, _theirs = two_moments
    volunteer = UserFactory()
    staffed.staff.append(volunteer)
    booking = BookingFactory(slot__moment=other)
    db.session.commit()
    login(db, auth, volunteer)
    assert client.get(f"/planning/{staffed.id}/dag").status_code == 200
    for url in (f"/planning/{other.id}", f"/planning/{other.id}/dag", f"/planning/{other.id}/dag/afdrukken",
                f"/planning/{other.id}/daglijst.pdf"):
        assert client.get(url).status_code == 404, url
    # Nor can they make a new manage link (which would show them a working one) for its candidates.
    response = client.post(f"/planning/{other.id}/dag/{booking.id}/nieuwe-link", data={"confirmed": "1"})
    assert response.status_code == 404
    # The moments page lists only what they may open.
    page = client.get("/planning/").get_data(as_text=True)
    assert f'href="/planning/{staffed.id}"' in page and f'href="/planning/{other.id}"' not in page
