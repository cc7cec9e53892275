"""The dossier list at any size: it pages, filters and searches, says how many, and never silently stops."""

from __future__ import annotations

from datetime import timedelta

from inschrijving.db_types import utcnow
from tests.factories.dossiers import DossierFactory, PersonFactory
from tests.factories.planning import MomentFactory
from tests.query_count import count_queries


def text(response) -> str:
    return response.get_data(as_text=True)


def make_dossiers(moment, n, *, complete=False, start=0):
    now = utcnow()
    for i in range(n):
        dossier = DossierFactory(moment=moment, complete=complete, created_at=now - timedelta(minutes=start + i))
        PersonFactory(dossier=dossier, first_name=f"Anna{start + i}", last_name="Voorbeeld")


def test_the_list_pages_and_says_how_many(db, volunteer_client):
    moment = MomentFactory()
    make_dossiers(moment, 120)
    db.session.commit()
    first = text(volunteer_client.get("/dossiers/"))
    assert "120 dossiers gevonden." in first and "U ziet er 1 tot 50, nieuwste eerst." in first
    assert "Pagina 1 van 3" in first and "Anna0 Voorbeeld" in first and "Anna50 " not in first
    last = text(volunteer_client.get("/dossiers/?pagina=3"))
    assert "U ziet er 101 tot 120" in last and "Anna119 Voorbeeld" in last


def test_more_than_five_hundred_dossiers_of_one_moment_are_all_reachable(db, volunteer_client):
    moment = MomentFactory()
    make_dossiers(moment, 520)
    db.session.commit()
    page = text(volunteer_client.get(f"/dossiers/?moment={moment.id}&pagina=11"))
    assert "520 dossiers gevonden." in page and "U ziet er 501 tot 520" in page


def test_filters_by_moment_and_status_and_searches_reference_and_name(db, volunteer_client):
    spring, autumn = MomentFactory(), MomentFactory()
    make_dossiers(spring, 3, complete=True)
    make_dossiers(autumn, 2, start=10)
    db.session.commit()
    assert "3 dossiers gevonden." in text(volunteer_client.get(f"/dossiers/?moment={spring.id}"))
    assert "2 dossiers gevonden." in text(volunteer_client.get("/dossiers/?status=draft"))
    found = text(volunteer_client.get("/dossiers/?q=anna11"))
    assert "1 dossier gevonden." in found and "Anna11 Voorbeeld" in found
    reference = DossierFactory(moment=spring).reference
    db.session.commit()
    assert "1 dossier gevonden." in text(volunteer_client.get(f"/dossiers/?q={reference}"))
    assert "Geen dossiers voor deze zoekopdracht." in text(volunteer_client.get("/dossiers/?q=niemand"))


def test_the_list_keeps_a_constant_number_of_queries_with_filters(db, volunteer_client):
    moment = MomentFactory()
    make_dossiers(moment, 3)
    db.session.commit()
    url = f"/dossiers/?moment={moment.id}&status=draft&q=anna"
    volunteer_client.get(url)
    with count_queries() as few:
        volunteer_client.get(url)
    make_dossiers(moment, 60, start=100)
    db.session.commit()
    with count_queries() as many:
        assert "63 dossiers gevonden." in text(volunteer_client.get(url))
    assert len(many) == len(few)


def test_page_links_carry_only_the_lists_own_filters(db, client, auth):
    # url_for would read "endpoint" or "_external" in the query string as its own arguments: a 500.
    from tests.factories.accounts import UserFactory
    from tests.factories.dossiers import DossierFactory

    for _ in range(51):
        DossierFactory()
    auth.login(UserFactory(coordinator=True))
    db.session.commit()
    response = client.get("/dossiers/?endpoint=x&_external=1&status=draft")
    assert response.status_code == 200
    assert "endpoint=" not in response.get_data(as_text=True)
