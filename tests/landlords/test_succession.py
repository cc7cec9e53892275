"""Succession (a merger): dossiers keep the landlord they chose; packets of later moments go to the successor;
the successor reads its predecessors' history only when the coordinator sets it so (audited)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.portal.queries import lists as list_queries
from inschrijving.landlords.portal.queries import shared as shared_queries
from tests.factories.accounts import UserFactory
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import landlord_client

MERGER = date(2023, 6, 9)


def _merger():
    kortrijk = MunicipalityFactory(name="Kortrijk")
    successor = LandlordFactory(name="SW+", municipalities=[kortrijk], active_from=MERGER)
    poort = LandlordFactory(name="SVK De Poort", municipalities=[kortrijk], active_until=MERGER - timedelta(days=1),
                            successor=successor)
    wrk = LandlordFactory(name="Wonen Regio Kortrijk", municipalities=[kortrijk],
                          active_until=MERGER - timedelta(days=1), successor=successor)
    return kortrijk, successor, poort, wrk


def _references(landlord) -> set[str]:
    return {
        c.dossier.reference
        for summary in shared_queries.moment_summaries(landlord.id)
        for c in shared_queries.moment_choices(landlord.id, summary.id, details=False)
    }


def test_old_dossiers_keep_their_landlord_and_the_successor_reads_them_only_when_set(app, request_context):
    _kortrijk, successor, poort, _wrk = _merger()
    before = MomentFactory(held_on=date(2023, 3, 14))
    old = shared_dossier(before, [poort], scan=False)

    assert _references(poort) == {old.reference}
    assert _references(successor) == set()
    poort.successor_reads_history = True
    db.session.flush()
    assert _references(successor) == {old.reference}
    assert _references(poort) == {old.reference}  # its own history stays its own
    choice = shared_queries.get_shared_choice(successor.id, old.id)
    assert choice.landlord_id == poort.id  # the dossier keeps the landlord it chose


def test_dossiers_of_moments_after_the_merger_go_to_the_successor(app, request_context):
    _kortrijk, successor, poort, _wrk = _merger()
    old = shared_dossier(MomentFactory(held_on=date(2023, 3, 14)), [poort], scan=False)
    after = MomentFactory(held_on=date(2023, 9, 12))
    # Chosen for the old landlord (e.g. before the merger was recorded): its packet goes to the successor.
    late = shared_dossier(after, [poort], scan=False)
    new = shared_dossier(after, [successor], scan=False)
    shared_dossier(MomentFactory(held_on=date(2023, 1, 10)), [poort], scan=False)

    # Each dossier is judged by its own moment's date, not another one's.
    assert _references(successor) == {late.reference, new.reference}
    assert old.reference in _references(poort) and late.reference not in _references(poort)


def test_a_dossier_that_chose_two_predecessors_reaches_the_successor_once(app, request_context):
    _kortrijk, successor, poort, wrk = _merger()
    poort.successor_reads_history = wrk.successor_reads_history = True
    before = MomentFactory(held_on=date(2023, 3, 14))
    both = shared_dossier(before, [poort, wrk], scan=False)
    db.session.flush()

    [summary] = shared_queries.moment_summaries(successor.id)
    assert summary.dossiers == 1
    assert [c.dossier.reference for c in shared_queries.moment_choices(successor.id, before.id)] == [both.reference]
    page = list_queries.dossier_page(successor.id, before.id, list_queries.DossierFilter())
    assert page.total == 1
    assert _references(poort) == _references(wrk) == {both.reference}


def test_an_ended_landlord_is_no_longer_offered_and_its_successor_is(app, request_context):
    from tests.factories.dossiers import DossierFactory
    from tests.landlords.test_areas import _offers

    kortrijk, _successor, _poort, _wrk = _merger()
    offers = _offers(DossierFactory(moment=MomentFactory(held_on=date(2023, 9, 12))), towns=[kortrijk])
    assert offers["SW+"].offered
    assert not offers["SVK De Poort"].offered and "bestaat niet meer" in offers["SVK De Poort"].reason


def test_the_coordinator_sets_the_successor_and_history_reading_and_it_is_audited(app, client, auth):
    _kortrijk, successor, _poort, _wrk = _merger()
    vlashaard = LandlordFactory(name="De Vlashaard", slug="de-vlashaard")
    coordinator = UserFactory(coordinator=True)
    db.session.commit()
    auth.login(coordinator)

    form = client.get(f"/beheer/verhuurders/{vlashaard.id}/bewerken").get_data(as_text=True)
    assert "Opgevolgd door" in form and "SW+" in form
    response = client.post(f"/beheer/verhuurders/{vlashaard.id}/bewerken", data={
        "name": "De Vlashaard", "slug": "de-vlashaard", "kind": "shm", "active_until": "2023-06-08",
        "successor_id": str(successor.id), "successor_reads_history": "y",
    })
    assert response.status_code == 302
    db.session.refresh(vlashaard)
    assert vlashaard.successor_id == successor.id and vlashaard.successor_reads_history
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "landlord.update")).one()
    assert event.detail["successor_id"] == [None, str(successor.id)]
    assert event.detail["successor_reads_history"] == ["False", "True"]
    assert "opgevolgd door SW+" in client.get("/beheer/verhuurders/").get_data(as_text=True)

    # A landlord cannot succeed itself, nor be succeeded by its own successor (a loop).
    own = client.post(f"/beheer/verhuurders/{successor.id}/bewerken", data={
        "name": "SW+", "slug": successor.slug, "kind": "woonmaatschappij", "successor_id": str(vlashaard.id),
    })
    assert own.status_code == 200 and "kan geen opvolger zijn" in own.get_data(as_text=True)


def test_the_successors_portal_shows_the_history_and_names_the_landlord_chosen(app):
    _kortrijk, successor, poort, _wrk = _merger()
    poort.successor_reads_history = True
    old = shared_dossier(MomentFactory(held_on=date(2023, 3, 14)), [poort], last_name="Oud", scan=False)
    client = landlord_client(app, successor)

    page = client.get(f"/verhuurder/dossiers/{old.id}").get_data(as_text=True)
    assert "Oud" in page and "SVK De Poort" in page
    listed = client.get(f"/verhuurder/momenten/{old.moment_id}").get_data(as_text=True)
    assert "Oud" in listed and "koos SVK De Poort" in listed
    choice = db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == old.id))
    assert choice.landlord_id == poort.id
