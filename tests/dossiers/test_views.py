"""Client tests: every intake step, locking, completion, receipt, history, limits, /check, list queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.dossiers.enums import ChoiceStatus, ConsentPurpose, DossierStatus, PersonRole
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.extensions import db as _db
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import (
    DossierFactory,
    IncomeLimitFactory,
    PersonFactory,
    build_complete_dossier,
    national_number,
)
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.planning import MomentFactory
from tests.query_count import count_queries


def text(response) -> str:
    return response.get_data(as_text=True)


def step_url(dossier, slug):
    return f"/dossiers/{dossier.id}/stap/{slug}"


def fresh(dossier_id) -> Dossier:
    _db.session.expire_all()
    return _db.session.get(Dossier, dossier_id)


@pytest.fixture
def dossier(db):
    dossier = DossierFactory()
    db.session.commit()
    return dossier


# --- access --------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, dossier):
    response = client.get(f"/dossiers/{dossier.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_landlord_staff_is_refused(db, client, auth, dossier):
    from tests.factories.accounts import UserFactory

    user = UserFactory(landlord_staff=True)
    db.session.commit()
    auth.login(user)
    assert client.get(f"/dossiers/{dossier.id}").status_code == 403


def test_opening_a_dossier_writes_an_audit_event(db, volunteer_client, dossier):
    assert volunteer_client.get(f"/dossiers/{dossier.id}").status_code == 200
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "dossier.viewed")).one()
    assert event.object_id == dossier.id and event.user_id == volunteer_client.user.id


# --- start ---------------------------------------------------------------------------------------


def test_start_from_a_booking_creates_once_then_opens(db, volunteer_client):
    booking = BookingFactory(contact_name="Fatima El Amrani")
    db.session.commit()
    first = volunteer_client.post(f"/dossiers/start/{booking.id}")
    second = volunteer_client.get(f"/dossiers/start/{booking.id}")
    dossier = db.session.scalars(sa.select(Dossier).where(Dossier.booking_id == booking.id)).one()
    assert first.headers["Location"] == step_url(dossier, "household")  # a new dossier opens on its first step
    assert second.headers["Location"] == f"/dossiers/{dossier.id}"
    household = volunteer_client.get(step_url(dossier, "household"))
    assert 'value="Fatima"' in text(household)  # the booking's name is offered as the reference tenant


def test_start_by_get_only_asks_and_creates_nothing(db, volunteer_client):
    booking = BookingFactory(contact_name="Fatima El Amrani")
    db.session.commit()
    page = volunteer_client.get(f"/dossiers/start/{booking.id}")
    assert page.status_code == 200 and "Dossier starten" in text(page)
    assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0


def test_completing_prepares_the_packet_section_once(db, volunteer_client):
    from inschrijving.landlords.models import DossierSection
    from inschrijving.notifications.queue import huey
    from inschrijving.rendering import storage
    from inschrijving.rendering.pdfparts import making as parts
    from tests.factories.packets import scan_jpeg

    dossier = build_complete_dossier(mark_complete=False)
    for document in dossier.documents:  # real stored scans: the section embeds them
        document.storage_key, document.content_type = storage.store(scan_jpeg()), "image/jpeg"
    db.session.commit()
    huey.flush()
    volunteer_client.post(f"/dossiers/{dossier.id}/afronden", data={"version": dossier.version})
    while (task := huey.dequeue()) is not None:  # the worker renders the section after the commit
        huey.execute(task)
    sections = db.session.scalars(sa.select(DossierSection).where(DossierSection.dossier_id == dossier.id)).all()
    assert len(sections) == 1
    assert storage.blob_reader()(storage.open_blob(sections[0].storage_key)).startswith(parts.MAGIC)
    assert sections[0].dossier_version == fresh(dossier.id).version


def test_dossier_page_shows_what_each_landlord_reported(db, volunteer_client):
    dossier = build_complete_dossier()
    choice = dossier.landlord_choices[0]
    choice.status = ChoiceStatus.REGISTERED
    choice.landlord_reference = "SVK-1234"
    db.session.commit()
    page = text(volunteer_client.get(f"/dossiers/{dossier.id}"))
    assert "Status bij de verhuurders" in page and "SVK-1234" in page


def test_start_from_a_cancelled_booking_goes_to_walk_in(db, volunteer_client):
    booking = BookingFactory(cancelled=True)
    db.session.commit()
    response = volunteer_client.post(f"/dossiers/start/{booking.id}")
    assert f"/dossiers/walk-in/{booking.moment_id}" in response.headers["Location"]


def test_walk_in_asks_then_creates(db, volunteer_client):
    moment = MomentFactory()
    db.session.commit()
    assert volunteer_client.get(f"/dossiers/walk-in/{moment.id}").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0
    response = volunteer_client.post(f"/dossiers/walk-in/{moment.id}")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 1


# --- every step ----------------------------------------------------------------------------------


def household_data(version, **extra):
    data = {
        "version": version,
        "persons-0-role": "reference_tenant",
        "persons-0-first_name": "An",
        "persons-0-last_name": "Peeters",
        "persons-0-is_domiciled": "y",
        "persons-1-role": "child",
        "persons-1-first_name": "Bo",
        "persons-1-last_name": "Peeters",
        "persons-1-is_dependant": "y",
        "persons-1-dependant_reason": "minor_domiciled",
        "persons-1-is_domiciled": "y",
        "contact_phone": "0470 12 34 56",
        "contact_email": "An.Peeters@Example.org",
        "language": "fr",
    }
    data.update(extra)
    return data


def test_household_step_saves_and_goes_on(db, volunteer_client, dossier):
    assert volunteer_client.get(step_url(dossier, "household")).status_code == 200
    response = volunteer_client.post(step_url(dossier, "household"), data=household_data(dossier.version))
    assert response.status_code == 302 and response.headers["Location"].endswith("/stap/identity")
    saved = fresh(dossier.id)
    assert [p.first_name for p in saved.persons] == ["An", "Bo"]
    assert saved.contact_phone == "+32470123456"
    assert saved.contact_email == "an.peeters@example.org"  # stored lower-cased, as everywhere
    assert saved.language == "fr"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"persons-0-role": "child"}, "precies één referentiehuurder"),
        ({"persons-0-first_name": ""}, "Vul de voornaam in"),
        ({"persons-1-dependant_reason": ""}, "Kies waarom"),
        ({"contact_phone": "12"}, "telefoonnummer klopt niet"),
        ({"contact_email": "geen-mail"}, "e-mailadres klopt niet"),
    ],
)
def test_household_errors_keep_the_input_and_save_nothing(db, volunteer_client, dossier, extra, message):
    response = volunteer_client.post(step_url(dossier, "household"), data=household_data(dossier.version, **extra))
    assert response.status_code == 200
    assert message in text(response)
    assert 'value="Peeters"' in text(response)  # what was typed is still there
    assert fresh(dossier.id).persons == []


def test_stale_save_keeps_input_and_shows_a_clear_message(db, volunteer_client, dossier):
    stale = dossier.version
    volunteer_client.post(step_url(dossier, "household"), data=household_data(stale))
    response = volunteer_client.post(
        step_url(dossier, "household"), data=household_data(stale, **{"persons-0-first_name": "Annemie"})
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit dossier intussen bewaard" in text(response)
    assert 'value="Annemie"' in text(response)
    saved = fresh(dossier.id)
    assert saved.persons[0].first_name == "An"  # the other save was not overwritten
    # The re-rendered form now carries the current version: saving again is a deliberate overwrite.
    assert re.search(rf'name="version"[^>]*value="{saved.version}"', text(response))


def _with_household(db, *, disability=False, partner=False):
    dossier = DossierFactory()
    PersonFactory(
        dossier=dossier,
        first_name="An",
        national_number=None,
        birth_year=None,
        birth_month=None,
        birth_day=None,
        has_recognised_disability=disability,
    )
    if partner:
        PersonFactory(dossier=dossier, role=PersonRole.PARTNER, first_name="Jo")
    db.session.commit()
    return fresh(dossier.id)


def test_identity_step_accepts_typed_separators_and_checks_the_birth_date(db, volunteer_client):
    dossier = _with_household(db)
    person = dossier.persons[0]
    base = {
        "version": dossier.version,
        "rows-0-person_id": person.id,
        "rows-0-id_kind": "national_number",
        "rows-0-national_number": "85.07.30-033.28",
        "rows-0-birth_day": "30",
        "rows-0-birth_month": "8",
        "rows-0-birth_year": "1985",
        "rows-0-register_type": "population",
        "rows-0-language_level": "a2",
    }
    response = volunteer_client.post(step_url(dossier, "identity"), data=base)
    assert response.status_code == 200
    assert "past niet bij dit nummer" in text(response)
    assert 'value="85.07.30-033.28"' in text(response)
    base["rows-0-birth_month"] = "7"
    response = volunteer_client.post(step_url(dossier, "identity"), data=base)
    assert response.status_code == 302
    assert fresh(dossier.id).persons[0].national_number == "85073003328"


def test_identity_step_refuses_a_wrong_checksum(db, volunteer_client):
    dossier = _with_household(db)
    response = volunteer_client.post(
        step_url(dossier, "identity"),
        data={
            "version": dossier.version,
            "rows-0-person_id": dossier.persons[0].id,
            "rows-0-id_kind": "national_number",
            "rows-0-national_number": "85.07.30-033.29",
            "rows-0-register_type": "population",
            "rows-0-language_level": "unknown",
        },
    )
    assert "controlecijfers kloppen niet" in text(response)


def test_identity_step_accepts_partly_unknown_birth_dates(db, volunteer_client):
    dossier = _with_household(db)
    number = national_number(1990, 0, 0, 55)
    response = volunteer_client.post(
        step_url(dossier, "identity"),
        data={
            "version": dossier.version,
            "rows-0-person_id": dossier.persons[0].id,
            "rows-0-id_kind": "national_number",
            "rows-0-national_number": number,
            "rows-0-birth_day": "0",
            "rows-0-birth_month": "0",
            "rows-0-birth_year": "1990",
            "rows-0-register_type": "refugee_attest",
            "rows-0-language_level": "none",
        },
    )
    assert response.status_code == 302
    person = fresh(dossier.id).persons[0]
    assert (person.birth_year, person.birth_month, person.birth_day) == (1990, None, None)


def test_income_step(db, volunteer_client):
    dossier = _with_household(db, partner=True)
    tenant, partner = dossier.persons
    assert volunteer_client.get(step_url(dossier, "income")).status_code == 200
    data = {
        "version": dossier.version,
        "rows-0-person_id": tenant.id,
        "rows-0-income_year": "2023",
        "rows-0-taxable_total": "18000",
        "rows-0-source": "assessment",
        "rows-1-person_id": partner.id,
        "rows-1-uses_current_income": "y",
        "rows-1-current_income_months": "",
    }
    response = volunteer_client.post(step_url(dossier, "income"), data=data)
    assert "Kies 3 of 6 maanden" in text(response)
    data.update({"rows-1-current_income_months": "6", "rows-1-current_income_amount": "7200"})
    response = volunteer_client.post(step_url(dossier, "income"), data=data)
    assert response.status_code == 302
    incomes = {i.person_id: i for i in fresh(dossier.id).incomes}
    assert incomes[tenant.id].taxable_total == Decimal(18000)
    assert incomes[partner.id].current_income_months == 6


def test_means_test_step(db, volunteer_client, dossier):
    data = {
        "version": dossier.version,
        "total_balances": "1500",
        "excluded_amount": "2000",
        "declared_on": "2026-03-01",
    }
    response = volunteer_client.post(step_url(dossier, "means_test"), data=data)
    assert "niet meer zijn dan het totaal" in text(response)
    data["excluded_amount"] = "500"
    assert volunteer_client.post(step_url(dossier, "means_test"), data=data).status_code == 302
    assert fresh(dossier.id).assets.total_balances == Decimal(1500)


def test_property_step(db, volunteer_client):
    dossier = _with_household(db)
    data = {"version": dossier.version, "has_property": "yes"}
    response = volunteer_client.post(step_url(dossier, "property"), data=data)
    assert "minstens één eigendom" in text(response)
    data.update(
        {
            "items-0-right_type": "full_ownership",
            "items-0-country": "MA",
            "items-0-exception": "inheritance",
            "items-0-person_id": "",
        }
    )
    assert volunteer_client.post(step_url(dossier, "property"), data=data).status_code == 302
    item = fresh(dossier.id).property_declarations[0]
    assert (item.country, item.exception.value) == ("MA", "inheritance")


def test_addresses_step(db, volunteer_client, dossier):
    data = {
        "version": dossier.version,
        "rows-0-municipality_name": "Kortrijk",
        "rows-0-from_on": "2015-01-01",
        "rows-0-until_on": "2014-01-01",
    }
    assert "einddatum ligt voor de begindatum" in text(volunteer_client.post(step_url(dossier, "addresses"), data=data))
    data["rows-0-until_on"] = ""
    assert volunteer_client.post(step_url(dossier, "addresses"), data=data).status_code == 302
    assert fresh(dossier.id).addresses[0].municipality_name == "Kortrijk"


def test_preferences_step_offers_only_served_municipalities(db, volunteer_client):
    served, unserved = MunicipalityFactory(name="Kortrijk"), MunicipalityFactory(name="Nergensdorp")
    LandlordFactory(municipalities=[served])
    dossier = DossierFactory()
    db.session.commit()
    page = text(volunteer_client.get(step_url(dossier, "preferences")))
    assert "Kortrijk" in page and "Nergensdorp" not in page
    data = {"version": dossier.version, "dwelling_types": ["flat"], "bedrooms_min": "2", "bedrooms_max": "1"}
    response = volunteer_client.post(step_url(dossier, "preferences"), data=data)
    assert "Kies minstens één gemeente" in text(response)
    assert "maximum is kleiner" in text(response)
    data.update({"municipalities": [str(served.id)], "bedrooms_max": "3"})
    assert volunteer_client.post(step_url(dossier, "preferences"), data=data).status_code == 302
    assert [m.name for m in fresh(dossier.id).preferences.municipalities] == ["Kortrijk"]
    assert unserved.id


def test_landlords_step_records_consent_and_explains_the_others(db, volunteer_client):
    town, other_town = MunicipalityFactory(name="Kortrijk"), MunicipalityFactory(name="Menen")
    chosen = LandlordFactory(name="Wonen Kortrijk", municipalities=[town])
    LandlordFactory(name="Wonen Menen", municipalities=[other_town])
    dossier = DossierFactory()
    db.session.commit()
    volunteer_client.post(
        step_url(dossier, "preferences"), data={"version": dossier.version, "municipalities": [str(town.id)]}
    )
    dossier = fresh(dossier.id)
    page = text(volunteer_client.get(step_url(dossier, "landlords")))
    assert "Wonen Menen" in page and "geen woningen in de gekozen gemeenten" in page
    data = {"version": dossier.version, "landlords": [str(chosen.id)]}
    assert "Lees de toestemming voor" in text(volunteer_client.post(step_url(dossier, "landlords"), data=data))
    data["consent_read"] = "y"
    assert volunteer_client.post(step_url(dossier, "landlords"), data=data).status_code == 302
    consents = fresh(dossier.id).consents
    share = next(c for c in consents if c.purpose == ConsentPurpose.SHARE_WITH_LANDLORD)
    assert share.landlord_id == chosen.id and share.recorded_by_id == volunteer_client.user.id
    response = volunteer_client.post(f"/dossiers/{dossier.id}/verhuurder/{chosen.id}/intrekken")
    assert response.status_code == 302
    assert fresh(dossier.id).consents[0].withdrawn_at is not None or any(
        c.withdrawn_at for c in fresh(dossier.id).consents
    )


def test_health_step_only_with_a_disability(db, volunteer_client):
    dossier = _with_household(db, disability=True)
    response = volunteer_client.post(step_url(dossier, "health"), data={"version": dossier.version})
    assert "uitdrukkelijk akkoord" in text(response)
    response = volunteer_client.post(
        step_url(dossier, "health"), data={"version": dossier.version, "consent_read": "y"}
    )
    assert response.status_code == 302
    assert any(c.purpose == ConsentPurpose.HEALTH_DATA for c in fresh(dossier.id).consents)
    assert volunteer_client.post(f"/dossiers/{dossier.id}/gezondheid/intrekken").status_code == 302
    assert all(c.withdrawn_at for c in fresh(dossier.id).consents if c.purpose == ConsentPurpose.HEALTH_DATA)


def test_cir_step(db, volunteer_client, dossier):
    data = {"version": dossier.version, "cir_registered": "yes"}
    assert "datum van inschrijving" in text(volunteer_client.post(step_url(dossier, "cir"), data=data))
    data.update({"cir_registered_on": "2026-03-02", "cir_reference": "CIR-123"})
    response = volunteer_client.post(step_url(dossier, "cir"), data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/dossiers/{dossier.id}")
    assert fresh(dossier.id).cir_reference == "CIR-123"


def test_unknown_step_is_not_found(volunteer_client, dossier):
    assert volunteer_client.get(step_url(dossier, "nope")).status_code == 404


def test_every_step_page_renders(db, volunteer_client):
    dossier = _with_household(db, disability=True, partner=True)
    for slug in (
        "household",
        "identity",
        "income",
        "means_test",
        "property",
        "addresses",
        "preferences",
        "landlords",
        "health",
        "cir",
    ):
        assert volunteer_client.get(step_url(dossier, slug)).status_code == 200, slug
    assert volunteer_client.get(f"/dossiers/{dossier.id}/documenten").status_code == 200


def test_every_save_writes_history(db, volunteer_client, dossier):
    volunteer_client.post(step_url(dossier, "household"), data=household_data(dossier.version))
    change = db.session.scalars(sa.select(DossierChange).where(DossierChange.step == "household")).one()
    assert change.user_id == volunteer_client.user.id
    assert any(k.startswith("+ Person") for k in change.changes)


# --- completion, receipt, history ----------------------------------------------------------------


def test_complete_is_refused_while_items_are_missing(db, volunteer_client, dossier):
    response = volunteer_client.post(f"/dossiers/{dossier.id}/afronden", data={"version": dossier.version})
    assert response.status_code == 302
    assert fresh(dossier.id).status == DossierStatus.DRAFT
    page = text(volunteer_client.get(f"/dossiers/{dossier.id}"))
    assert "Wat nog ontbreekt" in page


def test_complete_records_who_and_when_and_locks(db, volunteer_client):
    dossier = build_complete_dossier(mark_complete=False)
    db.session.commit()
    response = volunteer_client.post(f"/dossiers/{dossier.id}/afronden", data={"version": dossier.version})
    assert response.status_code == 302
    saved = fresh(dossier.id)
    assert saved.status == DossierStatus.COMPLETE and saved.completed_by_id == volunteer_client.user.id
    response = volunteer_client.post(step_url(saved, "cir"), data={"version": saved.version, "cir_registered": "no"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/dossiers/{dossier.id}")
    reopened = volunteer_client.post(f"/dossiers/{dossier.id}/heropenen", data={"version": saved.version})
    assert reopened.status_code == 302 and fresh(dossier.id).status == DossierStatus.DRAFT


def test_receipt_is_a_pdf_in_the_candidates_language(db, volunteer_client):
    dossier = build_complete_dossier()
    dossier.language = "fr"
    db.session.commit()
    response = volunteer_client.get(f"/dossiers/{dossier.id}/bewijs.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"


def test_history_is_for_coordinators(db, volunteer_client, dossier):
    assert volunteer_client.get(f"/dossiers/{dossier.id}/geschiedenis").status_code == 403


def test_history_page_shows_changes_with_masked_numbers(db, coordinator_client):
    dossier = _with_household(db)
    coordinator_client.post(
        step_url(dossier, "identity"),
        data={
            "version": dossier.version,
            "rows-0-person_id": dossier.persons[0].id,
            "rows-0-id_kind": "national_number",
            "rows-0-national_number": "85073003328",
            "rows-0-register_type": "population",
            "rows-0-language_level": "a2",
        },
    )
    page = text(coordinator_client.get(f"/dossiers/{dossier.id}/geschiedenis"))
    assert "Identiteit en register" in page and "Rijksregisternummer" in page
    assert "33.28" in page and "85073003328" not in page


# --- lists, masking, query counts ----------------------------------------------------------------


def _list_queries(app, client, moment, n):
    for _ in range(n):
        build_complete_dossier(moment=moment)
    _db.session.commit()
    _db.session.expire_all()
    with count_queries() as statements:
        response = client.get(f"/dossiers/?moment={moment.id}")
    assert response.status_code == 200
    return len(statements), text(response)


def test_list_masks_national_numbers_and_uses_a_constant_number_of_queries(app, db, volunteer_client):
    moment = MomentFactory()
    few, page = _list_queries(app, volunteer_client, moment, 2)
    many, page = _list_queries(app, volunteer_client, moment, 8)
    assert few == many
    tenant_numbers = [
        p.national_number for d in db.session.scalars(sa.select(Dossier)) for p in d.persons if p.national_number
    ]
    assert tenant_numbers and all(n not in page for n in tenant_numbers)
    assert "••.••.••-" in page


def test_reading_the_list_is_audited(db, volunteer_client):
    volunteer_client.get("/dossiers/")
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "dossier.list_viewed"


def test_dossier_page_shows_the_full_number(db, volunteer_client):
    dossier = build_complete_dossier()
    db.session.commit()
    page = text(volunteer_client.get(f"/dossiers/{dossier.id}"))
    assert dossier.persons[0].national_number[:2] + "." in page


# --- limits and /check ---------------------------------------------------------------------------


def test_limits_screen_is_for_coordinators(volunteer_client):
    assert volunteer_client.get("/dossiers/grenzen").status_code == 403


def test_coordinator_enters_limits_with_source(db, coordinator_client):
    assert coordinator_client.get("/dossiers/grenzen").status_code == 200
    data = {
        "year": "2026",
        "single": "30000",
        "single_disabled": "32500",
        "other": "45000",
        "per_dependant": "2500",
        "indexation": "2023=1,05\n2024=1.02",
        "source": "",
    }
    assert "Vul de bron in" in text(coordinator_client.post("/dossiers/grenzen", data=data))
    data["source"] = "Wonen in Vlaanderen, publicatie 2026"
    assert coordinator_client.post("/dossiers/grenzen", data=data).status_code == 302
    limit = db.session.scalars(sa.select(IncomeLimit)).one()
    assert limit.indexation == {"2023": 1.05, "2024": 1.02}
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "income_limit.saved")).one()


CHECK = {
    "adult": "yes",
    "registered": "yes",
    "partner": "no",
    "dependants": "0",
    "disabled_children": "0",
    "disabled": "no",
    "income": "20000",
    "savings": "1000",
    "property": "no",
}


def test_check_is_public_and_stores_nothing(app, db, client):
    from datetime import date

    IncomeLimitFactory(year=date.today().year)
    db.session.commit()
    counts_before = {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in _db.metadata.sorted_tables
    }
    assert client.get("/check").status_code == 200
    response = client.get("/check", query_string=CHECK)
    page = text(response)
    assert response.status_code == 200
    assert "kom toch naar de groepsinschrijving" in page.lower()
    assert "Voldoet" in page
    counts_after = {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in _db.metadata.sorted_tables
    }
    assert counts_after == counts_before


def test_check_without_limits_says_so(client):
    from datetime import date

    page = text(client.get("/check", query_string=CHECK))
    year = date.today().year
    assert f'De grenzen voor inkomen en spaargeld van <bdi dir="ltr">{year}</bdi> kennen we nog niet.' in page
    assert "nog niet ingevoerd" not in page


def test_check_validates_answers(client):
    page = text(client.get("/check", query_string={**CHECK, "income": "veel", "disabled_children": "3"}))
    assert "Ongeldige decimale waarde" in page
    assert "meer dan het aantal personen ten laste" in page


# --- manage page checklist -----------------------------------------------------------------------


def test_manage_page_partial_shows_only_what_is_missing(app, db):
    from flask import render_template

    from inschrijving.booking import queries as booking_queries

    booking = BookingFactory()
    dossier = DossierFactory(booking=booking, moment=booking.moment)
    PersonFactory(dossier=dossier, first_name="Geheimnaam")
    db.session.commit()
    with app.test_request_context("/"):
        html = render_template("booking/_dossier_status.html",
                               dossier_progress=booking_queries.get_dossier_progress(booking.id))
    assert "Identiteitskaart of verblijfsdocument van de referentiehuurder" in html
    assert "Geheimnaam" not in html and "85" not in html


def test_manage_page_shows_the_dossier_checklist(db, client):
    booking = BookingFactory()
    dossier = DossierFactory(booking=booking, moment=booking.moment)
    PersonFactory(dossier=dossier, first_name="Geheimnaam")
    db.session.commit()
    response = client.get(f"/afspraak/token-{booking.reference}")
    assert response.status_code == 200
    page = text(response)
    assert "Uw dossier" in page and "Bewijs van inkomen van de referentiehuurder" in page
    assert "Geheimnaam" not in page


def test_a_typed_number_counts_even_without_choosing_its_kind(db, volunteer_client):
    dossier = _with_household(db)
    response = volunteer_client.post(
        step_url(dossier, "identity"),
        data={
            "version": dossier.version,
            "rows-0-person_id": dossier.persons[0].id,
            "rows-0-id_kind": "none",
            "rows-0-national_number": "85.07.30-033.28",
            "rows-0-birth_day": "31",
            "rows-0-birth_month": "7",
            "rows-0-birth_year": "1985",
            "rows-0-register_type": "population",
            "rows-0-language_level": "unknown",
        },
    )
    assert "past niet bij dit nummer" in text(response)
    assert fresh(dossier.id).persons[0].birth_day is None
