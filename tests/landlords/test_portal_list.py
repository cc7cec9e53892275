"""A moment's dossier list in the portal: filters, search, sort, pages of 50, and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus, IncomeSource
from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord
from inschrijving.extensions import db
from inschrijving.landlords.portal.queries import lists as list_queries
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.queries.lists import DossierFilter
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import download, landlord_client, report
from tests.query_count import count_queries


def _names(page) -> list[str]:
    return [row.reference_tenant.split(" ", 1)[1] for row in page.rows]


def test_filters_search_and_sort_in_sql(app, request_context):
    moment = MomentFactory()
    landlord = LandlordFactory()
    menen = MunicipalityFactory(name="Menen")
    shared_dossier(moment, [landlord], last_name="Claes", persons=1, scan=False)
    desmet = shared_dossier(moment, [landlord], last_name="Desmet", persons=3, municipalities=[menen], scan=False)
    shared_dossier(moment, [landlord], last_name="Aerts", persons=5, scan=False)
    shared_dossier(MomentFactory(), [landlord], last_name="Anders", scan=False)  # another moment
    choices = {c.dossier.reference_tenant.last_name: c for c in shared_queries.moment_choices(landlord.id, moment.id)}
    now = utcnow()
    report(choices["Claes"], now=now, status="registered", reference="K-1", registered_on=now.date())
    download([choices["Desmet"]], now=now - timedelta(days=1))  # then corrected: changed since the download
    db.session.flush()

    def page(**criteria):
        return list_queries.dossier_page(landlord.id, moment.id, DossierFilter(**criteria))

    assert _names(page()) == ["Aerts", "Claes", "Desmet"]
    assert _names(page(descending=True)) == ["Desmet", "Claes", "Aerts"]
    assert _names(page(sort="personen")) == ["Claes", "Desmet", "Aerts"]
    assert _names(page(status=ChoiceStatus.REGISTERED)) == ["Claes"]
    assert _names(page(news="new")) == ["Aerts", "Claes"]  # never downloaded (as the home counts them)
    assert _names(page(news="changed")) == ["Desmet"]
    assert _names(page(municipality_id=menen.id)) == ["Desmet"]
    assert _names(page(household_size="1")) == ["Claes"]
    assert _names(page(household_size="5+")) == ["Aerts"]
    assert _names(page(search="desm")) == ["Desmet"]
    assert _names(page(search="testa aer")) == ["Aerts"]  # first and last name together
    assert _names(page(search=desmet.reference.lower())) == ["Desmet"]
    assert _names(page(search="%")) == []  # a wildcard is a character like any other
    assert list_queries.moment_municipalities(landlord.id, moment.id) == [(menen.id, "Menen")]


def test_list_pages_past_fifty_and_counts_in_words_with_constant_queries(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    kortrijk = MunicipalityFactory(name="Kortrijk")
    shared_dossier(moment, [landlord], last_name="Aaaa", municipalities=[kortrijk], scan=False)
    client = landlord_client(app, landlord)
    url = f"/verhuurder/momenten/{moment.id}"

    client.get(url)
    db.session.commit()
    with count_queries() as few:
        one = client.get(url).get_data(as_text=True)
    assert "1 dossier<" in one and "1 dossiers" not in one

    for n in range(54):
        shared_dossier(moment, [landlord], last_name=f"Naam{n:02d}", municipalities=[kortrijk], scan=False)
    db.session.commit()
    with count_queries() as many:
        first = client.get(url).get_data(as_text=True)
    assert len(many) == len(few)
    assert "55 dossiers" in first and "pagina 1 van 2" in first
    assert len(re.findall(r'href="/verhuurder/dossiers/\d+"', first)) == 50
    assert "Aaaa" in first and "Naam53" not in first

    second = client.get(f"{url}?sorteer=naam&pagina=2").get_data(as_text=True)
    assert len(re.findall(r'href="/verhuurder/dossiers/\d+"', second)) == 5
    assert "Naam53" in second and "Vorige" in second

    found = client.get(f"{url}?q=naam0&personen=2").get_data(as_text=True)
    assert "10 dossiers gevonden" in found
    assert "1 dossier gevonden" in client.get(f"{url}?q=Naam07").get_data(as_text=True)
    # Answers that are no choice filter nothing, and never fail.
    assert client.get(f"{url}?status=bogus&pagina=x&sorteer=drop").status_code == 200


def test_dossier_page_shows_what_the_packet_shows_in_dutch(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Claes", persons=3)
    tenant = dossier.reference_tenant
    db.session.add_all([
        IncomeRecord(dossier=dossier, person=tenant, income_year=2024, taxable_total=Decimal("29515"),
                     source=IncomeSource.ASSESSMENT),
        AssetsDeclaration(dossier_id=dossier.id, total_balances=Decimal("881"), declared_on=date(2026, 11, 3)),
    ])
    dossier.preferences.dwelling_types = ["house", "flat"]
    dossier.preferences.max_rent = Decimal("650")
    dossier.language = "fr"
    db.session.commit()
    client = landlord_client(app, landlord)

    page = client.get(f"/verhuurder/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Inkomen" in page and "29.515,00" in page and "Aanslagbiljet" in page
    assert "881,00" in page and "650,00" in page
    assert "85.07.30-033.28" in page
    assert "Huis, Appartement" in page and "Frans" in page
    assert "Bevolkingsregister" in page and "Kind" in page
    # Each document with the person it belongs to, named as the packet names it.
    assert re.search(r"Identiteitskaart of verblijfsdocument</td><td>Testa Claes</td>", page)
    for raw in ("house", "flat", ">fr<", "assessment", "population"):
        assert raw not in page


def test_a_complete_dossier_whose_section_the_worker_has_not_rendered_says_so(app):
    # Issue 18: sections are rendered by the worker after completion; until then the portal says so.
    from inschrijving.landlords.portal.services import sections

    landlord, moment = LandlordFactory(), MomentFactory()
    shared_dossier(moment, [landlord], last_name="Wachter", scan=False)
    ready = shared_dossier(moment, [landlord], last_name="Klaar", scan=False)
    sections.ensure_sections([ready], now=utcnow())  # what the worker's task does
    db.session.commit()
    page = landlord_client(app, landlord).get(f"/verhuurder/momenten/{moment.id}").get_data(as_text=True)
    rows = {name: row for row in page.split("<tr") for name in ("Wachter", "Klaar") if name in row}
    assert "PDF wordt klaargemaakt" in rows["Wachter"] and "PDF wordt klaargemaakt" not in rows["Klaar"]
