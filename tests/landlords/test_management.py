"""Coordinators manage landlords at /beheer/verhuurders/; nobody else may."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.landlords import services
from inschrijving.landlords.models import Landlord, LandlordKind
from tests.factories.accounts import UserFactory
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.query_count import count_queries


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


@pytest.fixture
def logged_in(client, auth, coordinator):
    auth.login(coordinator)
    return client


def _audit(db, action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def is_checked(page: str, name: str, value) -> bool:
    tags = re.findall(r"<input[^>]*>", page)
    [tag] = [t for t in tags if f'name="{name}"' in t and f'value="{value}"' in t]
    return " checked" in tag


def _form(**overrides):
    data = {
        "name": "Woonmaatschappij Leie en Schelde",
        "slug": "leie-en-schelde",
        "kind": "woonmaatschappij",
        "contact_email": "info@leie-schelde.example",
        "contact_phone": "056 12 34 56",
        "address": "Marktplein 1, 8500 Kortrijk",
        "active_from": "2023-06-09",
        "active_until": "",
    }
    data.update(overrides)
    return data


def test_list_shows_landlords_with_their_municipalities(db, logged_in):
    kortrijk = MunicipalityFactory(name="Kortrijk")
    LandlordFactory(name="SVK De Poort", kind=LandlordKind.SVK, municipalities=[kortrijk])

    response = logged_in.get("/beheer/verhuurders/")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "SVK De Poort" in page
    assert "Sociaal verhuurkantoor (SVK)" in page
    assert "Kortrijk" in page


def test_list_query_count_does_not_grow_with_landlords(db, app, logged_in):
    def list_queries(n_landlords):
        for _ in range(n_landlords):
            LandlordFactory(municipalities=[MunicipalityFactory(), MunicipalityFactory()])
        db.session.commit()
        with count_queries() as statements:
            assert logged_in.get("/beheer/verhuurders/").status_code == 200
        return len(statements)

    assert list_queries(1) == list_queries(12)


def test_create_saves_the_landlord_and_writes_an_audit_event(db, logged_in, coordinator):
    kortrijk, kuurne = MunicipalityFactory(name="Kortrijk"), MunicipalityFactory(name="Kuurne")

    response = logged_in.post(
        "/beheer/verhuurders/nieuw", data=_form(municipalities=[str(kortrijk.id), str(kuurne.id)])
    )

    assert response.status_code == 302
    landlord = db.session.scalar(sa.select(Landlord).where(Landlord.slug == "leie-en-schelde"))
    assert landlord.kind == LandlordKind.WOONMAATSCHAPPIJ
    assert landlord.contact_phone == "+32 56 12 34 56"
    assert [m.name for m in landlord.municipalities] == ["Kortrijk", "Kuurne"]
    assert landlord.active_from == date(2023, 6, 9)
    assert landlord.active_until is None
    [event] = _audit(db, "landlord.create")
    assert (event.user_id, event.object_type, event.object_id) == (coordinator.id, "landlord", landlord.id)
    assert event.ip == "127.0.0.1"


def test_create_with_errors_keeps_what_was_typed_and_saves_nothing(db, logged_in):
    kortrijk = MunicipalityFactory(name="Kortrijk")

    response = logged_in.post(
        "/beheer/verhuurders/nieuw",
        data=_form(
            slug="Leie & Schelde",
            contact_phone="12",
            active_from="2024-05-01",
            active_until="2024-04-30",
            municipalities=[str(kortrijk.id)],
        ),
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Gebruik alleen kleine letters, cijfers en koppeltekens" in page
    assert "Dit telefoonnummer klopt niet" in page
    assert "De einddatum mag niet vóór de begindatum liggen." in page
    assert 'value="Woonmaatschappij Leie en Schelde"' in page
    assert 'value="Leie &amp; Schelde"' in page
    assert 'value="2024-04-30"' in page
    assert is_checked(page, "municipalities", kortrijk.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Landlord)) == 0
    assert _audit(db, "landlord.create") == []


def test_create_refuses_a_slug_in_use(db, logged_in):
    LandlordFactory(slug="svk-de-poort")

    response = logged_in.post("/beheer/verhuurders/nieuw", data=_form(slug="svk-de-poort"))

    assert response.status_code == 200
    assert "Deze korte naam is al in gebruik" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Landlord)) == 1


def test_required_fields_are_asked_for(db, logged_in):
    response = logged_in.post("/beheer/verhuurders/nieuw", data={"name": "", "slug": "", "kind": ""})

    page = response.get_data(as_text=True)
    assert "Vul de naam in." in page
    assert "Vul een korte naam in." in page
    assert "Kies de soort verhuurder." in page


def test_edit_form_shows_current_values(db, logged_in):
    kortrijk = MunicipalityFactory(name="Kortrijk")
    landlord = LandlordFactory(name="De Vlashaard", slug="de-vlashaard", municipalities=[kortrijk])

    page = logged_in.get(f"/beheer/verhuurders/{landlord.id}/bewerken").get_data(as_text=True)

    assert 'value="De Vlashaard"' in page
    assert is_checked(page, "kind", "shm")
    assert is_checked(page, "municipalities", kortrijk.id)


def test_edit_saves_changes_and_audits_what_changed(db, logged_in, coordinator):
    kortrijk, wevelgem = MunicipalityFactory(name="Kortrijk", nis_code="34022"), MunicipalityFactory(
        name="Wevelgem", nis_code="34041"
    )
    landlord = LandlordFactory(name="De Vlashaard", slug="de-vlashaard", municipalities=[kortrijk])

    response = logged_in.post(
        f"/beheer/verhuurders/{landlord.id}/bewerken",
        data=_form(name="De Vlashaard", slug="de-vlashaard", kind="shm", active_from="",
                   active_until="2023-06-08", municipalities=[str(wevelgem.id)]),
    )

    assert response.status_code == 302
    db.session.refresh(landlord)
    assert landlord.active_until == date(2023, 6, 8)
    assert [m.name for m in landlord.municipalities] == ["Wevelgem"]
    [event] = _audit(db, "landlord.update")
    assert event.user_id == coordinator.id
    assert event.detail["municipalities"] == [["34022"], ["34041"]]
    assert event.detail["active_until"] == [None, "2023-06-08"]
    assert "name" not in event.detail


def test_edit_with_an_error_changes_nothing(db, logged_in):
    landlord = LandlordFactory(name="De Vlashaard", slug="de-vlashaard")
    LandlordFactory(slug="svk-de-poort")

    response = logged_in.post(
        f"/beheer/verhuurders/{landlord.id}/bewerken",
        data=_form(name="Nieuwe naam", slug="svk-de-poort", kind="shm"),
    )

    assert response.status_code == 200
    assert 'value="Nieuwe naam"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Landlord, landlord.id).name == "De Vlashaard"
    assert _audit(db, "landlord.update") == []


def test_saving_without_changes_writes_no_audit_event(db, logged_in):
    landlord = LandlordFactory(name="De Vlashaard", slug="de-vlashaard", kind=LandlordKind.SHM,
                               contact_email="info@vlashaard.example")

    response = logged_in.post(
        f"/beheer/verhuurders/{landlord.id}/bewerken",
        data={"name": "De Vlashaard", "slug": "de-vlashaard", "kind": "shm",
              "contact_email": "info@vlashaard.example"},
        follow_redirects=True,
    )

    assert "Er was niets gewijzigd." in response.get_data(as_text=True)
    assert _audit(db, "landlord.update") == []


def test_unknown_landlord_is_404(db, logged_in):
    assert logged_in.get("/beheer/verhuurders/999/bewerken").status_code == 404


@pytest.mark.parametrize("trait", [{}, {"landlord_staff": True}], ids=["volunteer", "landlord"])
def test_other_roles_are_refused(db, client, auth, trait):
    landlord = LandlordFactory()
    auth.login(UserFactory(**trait))
    landlords_before = db.session.scalar(sa.select(sa.func.count()).select_from(Landlord))

    assert client.get("/beheer/verhuurders/").status_code == 403
    assert client.get("/beheer/verhuurders/nieuw").status_code == 403
    assert client.post("/beheer/verhuurders/nieuw", data=_form()).status_code == 403
    assert client.get(f"/beheer/verhuurders/{landlord.id}/bewerken").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Landlord)) == landlords_before


def test_landlord_staff_cannot_edit_even_their_own_landlord(db, client, auth):
    user = UserFactory(landlord_staff=True)
    auth.login(user)

    response = client.post(f"/beheer/verhuurders/{user.landlord_id}/bewerken", data=_form())

    assert response.status_code == 403
    assert _audit(db, "landlord.update") == []


def test_anonymous_visitors_are_sent_to_the_login_page(db, client):
    response = client.get("/beheer/verhuurders/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_service_refuses_a_period_that_ends_before_it_starts(db, coordinator):
    data = services.LandlordData(name="X", slug="x", kind=LandlordKind.SVK,
                                 active_from=date(2024, 2, 1), active_until=date(2024, 1, 31))

    with pytest.raises(services.InvalidPeriod):
        services.create_landlord(data, actor=coordinator)
