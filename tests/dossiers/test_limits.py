"""The yearly income limits page: Belgian amounts, an empty indexation, which years exist, the dashboard warning."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from inschrijving.db_types import utcnow
from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.seed.data import INCOME_LIMIT_2024
from tests.factories.dossiers import IncomeLimitFactory
from tests.factories.planning import MomentFactory

FORM = {
    "year": "2026",
    "single": "30.500,00",
    "single_disabled": "€ 32.987,50",
    "other": "45.000",
    "per_dependant": "2.475,00",
    "indexation": "",
    "source": "Wonen in Vlaanderen, publicatie 2026",
}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_amounts_in_belgian_notation_and_an_empty_indexation_are_saved(db, coordinator_client):
    response = coordinator_client.post("/dossiers/grenzen", data=FORM)
    assert response.status_code == 302, text(response)
    limit = db.session.scalars(sa.select(IncomeLimit)).one()
    assert (limit.single, limit.single_disabled, limit.other, limit.per_dependant) == (
        Decimal("30500.00"), Decimal("32987.50"), Decimal("45000"), Decimal("2475.00"),
    )
    assert limit.indexation == {}


def test_a_saved_year_is_shown_back_in_belgian_notation(db, coordinator_client):
    IncomeLimitFactory(year=2026, single=Decimal("30500"))
    db.session.commit()
    page = text(coordinator_client.get("/dossiers/grenzen?jaar=2026"))
    assert 'value="30.500,00"' in page


def test_a_wrong_amount_is_refused_with_an_example(db, coordinator_client):
    page = text(coordinator_client.post("/dossiers/grenzen", data={**FORM, "single": "dertigduizend"}))
    assert "Typ een bedrag, bijvoorbeeld 30.500,00." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IncomeLimit)) == 0


def test_the_page_says_which_years_exist_and_which_are_missing(db, coordinator_client):
    this_year = utcnow().year
    IncomeLimitFactory(year=this_year - 1)
    IncomeLimitFactory(year=this_year)
    db.session.commit()
    page = text(coordinator_client.get("/dossiers/grenzen"))
    assert f"Ingevoerd voor: {this_year - 1}, {this_year}." in page
    assert f"Nog niet ingevoerd: {this_year + 1}." in page


def test_a_missing_year_link_opens_the_form_for_that_year(db, coordinator_client):
    page = text(coordinator_client.get("/dossiers/grenzen?jaar=2031"))
    assert 'name="year" type="number" value="2031"' in page or 'value="2031"' in page


def test_the_dashboard_warns_when_a_coming_registration_year_has_no_limits(db, coordinator_client):
    this_year = utcnow().year
    IncomeLimitFactory(year=this_year)
    MomentFactory(held_on=utcnow().date().replace(year=this_year + 1, month=2, day=10))
    db.session.commit()
    page = text(coordinator_client.get("/planning/"))
    assert f"Voor {this_year + 1} zijn de inkomensgrenzen nog niet ingevoerd." in page
    assert f"/dossiers/grenzen?jaar={this_year + 1}" in page


def test_the_dashboard_is_quiet_when_every_coming_year_has_limits(db, coordinator_client):
    IncomeLimitFactory(year=utcnow().year)
    db.session.commit()
    assert "inkomensgrenzen nog niet ingevoerd" not in text(coordinator_client.get("/planning/"))


def test_the_demo_names_the_public_source_not_an_internal_file():
    assert "DOMAIN.md" not in INCOME_LIMIT_2024["source"]
    assert "[S" not in INCOME_LIMIT_2024["source"]
    assert "https://www.vlaanderen.be/" in INCOME_LIMIT_2024["source"]


def test_without_any_limits_the_page_names_the_years_to_enter(db, coordinator_client):
    this_year = utcnow().year
    page = text(coordinator_client.get("/dossiers/grenzen"))
    assert f"Nog niet ingevoerd: {this_year}, {this_year + 1}." in page
