"""Status feedback: what landlords report, and how volunteers and candidates see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import render_template

from inschrijving.db_types import utcnow
from inschrijving.dossiers.models import ChoiceStatus
from inschrijving.landlords import portal
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory


@pytest.fixture
def dossier(app, request_context):
    moment = MomentFactory()
    return shared_dossier(moment, [LandlordFactory(name="SVK De Poort"), LandlordFactory(name="WM Elan")])


def _choice(dossier, name):
    return next(c for c in dossier.landlord_choices if c.landlord.name == name)


def test_registered_needs_number_and_a_date_not_in_the_future(dossier):
    choice = _choice(dossier, "SVK De Poort")
    now = utcnow()
    with pytest.raises(portal.InvalidStatus) as no_number:
        portal.set_choice_status(choice, status="registered", actor=None, now=now, registered_on=now.date())
    assert no_number.value.field == "reference"
    with pytest.raises(portal.InvalidStatus) as future:
        portal.set_choice_status(
            choice, status="registered", actor=None, now=now, reference="1", registered_on=now.date() + timedelta(1)
        )
    assert future.value.field == "registered_on"
    assert choice.status == ChoiceStatus.NEW  # nothing half-written


@pytest.mark.parametrize("status", ["incomplete", "refused"])
def test_incomplete_and_refused_need_a_reason(dossier, status):
    choice = _choice(dossier, "SVK De Poort")
    with pytest.raises(portal.InvalidStatus) as error:
        portal.set_choice_status(choice, status=status, actor=None, now=utcnow(), note="  ")
    assert error.value.field == "note"
    portal.set_choice_status(choice, status=status, actor=None, now=utcnow(), note="Loonfiches ontbreken")
    assert choice.status == ChoiceStatus(status) and choice.status_note == "Loonfiches ontbreken"


@pytest.mark.parametrize("status", ["new", "downloaded", "bogus"])
def test_only_reports_can_be_set(dossier, status):
    with pytest.raises(portal.InvalidStatus):
        portal.set_choice_status(_choice(dossier, "WM Elan"), status=status, actor=None, now=utcnow())


def test_first_download_sets_downloaded_but_keeps_a_report(dossier):
    poort, elan = _choice(dossier, "SVK De Poort"), _choice(dossier, "WM Elan")
    portal.set_choice_status(elan, status="refused", actor=None, now=utcnow(), note="Buiten ons gebied")
    portal.mark_downloaded([poort, elan], now=utcnow())
    assert poort.status == ChoiceStatus.DOWNLOADED and poort.first_downloaded_at is not None
    assert elan.status == ChoiceStatus.REFUSED and elan.first_downloaded_at is not None


def test_candidate_reads_plain_lines(dossier):
    poort, elan = _choice(dossier, "SVK De Poort"), _choice(dossier, "WM Elan")
    portal.set_choice_status(
        poort, status="registered", actor=None, now=utcnow(), reference="1234", registered_on=date(2026, 11, 3)
    )
    lines = portal.candidate_status_lines(dossier)
    assert lines == [
        "SVK De Poort heeft u ingeschreven op 3 november 2026, nummer 1234.",
        "WM Elan heeft uw dossier nog niet bekeken.",
    ]
    portal.set_choice_status(elan, status="incomplete", actor=None, now=utcnow(), note="uw loonfiches")
    assert portal.candidate_status_lines(dossier)[1] == "WM Elan mist nog iets in uw dossier: uw loonfiches"


def test_volunteers_see_statuses_through_the_include(dossier):
    portal.set_choice_status(
        _choice(dossier, "SVK De Poort"),
        status="registered",
        actor=None,
        now=utcnow(),
        reference="1234",
        registered_on=date(2026, 11, 3),
    )
    portal.set_choice_status(
        _choice(dossier, "WM Elan"), status="refused", actor=None, now=utcnow(), note="Buiten ons werkgebied"
    )
    html = render_template("landlords/_choice_statuses.html", dossier=dossier)
    assert "SVK De Poort" in html and "ingeschreven" in html and "1234" in html
    assert "geweigerd" in html and "Buiten ons werkgebied" in html
