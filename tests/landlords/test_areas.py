"""Today's landlords: areas by municipality or deelgemeente, and the offer at the finer level."""

from __future__ import annotations

from inschrijving.accounts.services.audit import Actor
from inschrijving.db_types import utcnow
from inschrijving.dossiers import queries as dossier_queries
from inschrijving.dossiers.services import consent, intake
from inschrijving.extensions import db
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.landlords import LandlordFactory, MunicipalityFactory, SubMunicipalityFactory
from tests.factories.planning import MomentFactory


def _region():
    kortrijk = MunicipalityFactory(name="Kortrijk")
    anzegem = MunicipalityFactory(name="Anzegem")
    zwevegem = MunicipalityFactory(name="Zwevegem")
    parts = {
        name: SubMunicipalityFactory(municipality=town, name=name)
        for town, names in ((kortrijk, ["Kortrijk", "Heule", "Bellegem"]), (anzegem, ["Anzegem", "Kaster"]))
        for name in names
    }
    # SW+ serves Kortrijk except Bellegem; WM Elan serves Zwevegem, Bellegem and Kaster; VIVUS all of Anzegem.
    swplus = LandlordFactory(name="SW+", sub_municipalities=[parts["Kortrijk"], parts["Heule"]])
    elan = LandlordFactory(name="WM Elan", municipalities=[zwevegem], sub_municipalities=[parts["Bellegem"],
                                                                                            parts["Kaster"]])
    vivus = LandlordFactory(name="VIVUS", municipalities=[anzegem])
    return {"kortrijk": kortrijk, "anzegem": anzegem, "zwevegem": zwevegem, **parts}, swplus, elan, vivus


def _offers(dossier, towns=(), parts=()):
    intake.save_preferences(
        dossier, version=dossier.version, municipality_ids=[t.id for t in towns], values={},
        sub_municipality_ids=[p.id for p in parts], actor=Actor.of(UserFactory()), now=utcnow(),
    )
    db.session.flush()
    return {o.landlord.name: o for o in consent.landlord_offers(dossier)}


def test_a_chosen_deelgemeente_is_offered_only_to_the_landlords_serving_it(app, request_context):
    places, _swplus, _elan, _vivus = _region()
    offers = _offers(DossierFactory(moment=MomentFactory()), parts=[places["Bellegem"]])
    assert offers["WM Elan"].offered
    assert not offers["SW+"].offered
    # The reason names the area at the finer level: SW+ works in Heule and Kortrijk, not in all of Kortrijk.
    assert "Heule (Kortrijk)" in offers["SW+"].reason and "Bellegem" not in offers["SW+"].reason
    assert not offers["VIVUS"].offered


def test_a_deelgemeente_is_served_by_a_landlord_of_its_whole_municipality(app, request_context):
    places, _swplus, _elan, _vivus = _region()
    offers = _offers(DossierFactory(moment=MomentFactory()), parts=[places["Kaster"]])
    assert offers["VIVUS"].offered and offers["WM Elan"].offered and not offers["SW+"].offered


def test_a_whole_municipality_is_offered_to_every_landlord_with_part_of_it(app, request_context):
    places, _swplus, _elan, _vivus = _region()
    offers = _offers(DossierFactory(moment=MomentFactory()), towns=[places["kortrijk"]])
    assert offers["SW+"].offered and offers["WM Elan"].offered and not offers["VIVUS"].offered
    offers = _offers(DossierFactory(moment=MomentFactory()), towns=[places["zwevegem"]])
    assert offers["WM Elan"].offered and not offers["SW+"].offered
    assert "Bellegem (Kortrijk)" in offers["SW+"].reason or "Kortrijk (centrum)" in offers["SW+"].reason


def test_the_preferences_step_lists_the_split_municipalities_deelgemeenten(app, request_context):
    places, *_ = _region()
    moment = MomentFactory()
    towns = dict((name, id_) for id_, name in dossier_queries.list_municipality_choices(moment.held_on))
    assert set(towns) == {"Kortrijk", "Anzegem", "Zwevegem"}  # Kortrijk is served only in part, but served
    parts = [label for _id, label in dossier_queries.list_sub_municipality_choices(moment.held_on)]
    assert parts == ["Anzegem (centrum)", "Kaster (Anzegem)", "Kortrijk (centrum)", "Bellegem (Kortrijk)",
                     "Heule (Kortrijk)"]


def test_preferences_at_either_level_are_saved_and_shown_to_landlords(app, request_context):
    from inschrijving.landlords.portal.queries.lists import preferred_places

    places, *_ = _region()
    dossier = DossierFactory(moment=MomentFactory())
    _offers(dossier, towns=[places["zwevegem"]], parts=[places["Bellegem"]])
    assert [s.name for s in dossier.preferences.sub_municipalities] == ["Bellegem"]
    assert preferred_places(dossier) == ["Bellegem (Kortrijk)", "Zwevegem"]


def test_the_portal_municipality_filter_finds_dossiers_that_want_one_of_its_deelgemeenten(app, request_context):
    from inschrijving.landlords.portal.queries import lists as list_queries
    from tests.factories.packets import shared_dossier

    places, _swplus, elan, _vivus = _region()
    moment = MomentFactory()
    bellegem = shared_dossier(moment, [elan], last_name="Deel", scan=False)
    bellegem.preferences.sub_municipalities.append(places["Bellegem"])
    shared_dossier(moment, [elan], last_name="Heel", municipalities=[places["zwevegem"]], scan=False)
    db.session.flush()

    assert list_queries.moment_municipalities(elan.id, moment.id) == [
        (places["kortrijk"].id, "Kortrijk"), (places["zwevegem"].id, "Zwevegem")
    ]
    page = list_queries.dossier_page(elan.id, moment.id,
                                     list_queries.DossierFilter(municipality_id=places["kortrijk"].id))
    assert [row.reference for row in page.rows] == [bellegem.reference]
    assert page.rows[0].municipalities == ["Bellegem (Kortrijk)"]
