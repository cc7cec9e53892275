"""Status feedback: what landlords report, and how volunteers and candidates see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import render_template

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.landlords import services as landlord_services
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import status as status_service
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import download, report


@pytest.fixture
def dossier(app, request_context):
    moment = MomentFactory()
    return shared_dossier(moment, [LandlordFactory(name="SVK De Poort"), LandlordFactory(name="WM Elan")])


def _choice(dossier, name):
    return next(c for c in dossier.landlord_choices if c.landlord.name == name)


def test_registered_needs_number_and_a_date_not_in_the_future(dossier):
    choice = _choice(dossier, "SVK De Poort")
    now = utcnow()
    with pytest.raises(status_service.InvalidStatus) as no_number:
        report(choice, status="registered", now=now, registered_on=now.date())
    assert no_number.value.field == "reference"
    with pytest.raises(status_service.InvalidStatus) as future:
        report(choice, status="registered", now=now, reference="1", registered_on=now.date() + timedelta(1)
        )
    assert future.value.field == "registered_on"
    assert choice.status == ChoiceStatus.NEW  # nothing half-written


@pytest.mark.parametrize("status", ["incomplete", "refused"])
def test_incomplete_and_refused_need_a_reason(dossier, status):
    choice = _choice(dossier, "SVK De Poort")
    with pytest.raises(status_service.InvalidStatus) as error:
        report(choice, status=status, now=utcnow(), note="  ")
    assert error.value.field == "note"
    report(choice, status=status, now=utcnow(), note="Loonfiches ontbreken")
    assert choice.status == ChoiceStatus(status) and choice.status_note == "Loonfiches ontbreken"


@pytest.mark.parametrize("status", ["new", "downloaded", "bogus"])
def test_only_reports_can_be_set(dossier, status):
    with pytest.raises(status_service.InvalidStatus):
        report(_choice(dossier, "WM Elan"), status=status, now=utcnow())


def test_first_download_sets_downloaded_but_keeps_a_report(dossier):
    poort, elan = _choice(dossier, "SVK De Poort"), _choice(dossier, "WM Elan")
    report(elan, status="refused", now=utcnow(), note="Buiten ons gebied")
    download([poort, elan], now=utcnow())
    assert poort.status == ChoiceStatus.DOWNLOADED and poort.first_downloaded_at is not None
    assert elan.status == ChoiceStatus.REFUSED and elan.first_downloaded_at is not None


def test_candidate_reads_plain_lines(dossier):
    poort, elan = _choice(dossier, "SVK De Poort"), _choice(dossier, "WM Elan")
    report(poort, status="registered", now=utcnow(), reference="1234", registered_on=date(2026, 11, 3)
    )
    lines = landlord_services.candidate_status_lines(dossier)
    assert lines == [
        "SVK De Poort heeft u ingeschreven op 3 november 2026, nummer 1234.",
        "WM Elan heeft uw dossier nog niet bekeken.",
    ]
    report(elan, status="incomplete", now=utcnow(), note="uw loonfiches")
    assert landlord_services.candidate_status_lines(dossier)[1] == "WM Elan mist nog iets in uw dossier: uw loonfiches"


def test_volunteers_see_statuses_through_the_include(dossier):
    report(
        _choice(dossier, "SVK De Poort"),
        status="registered",
        now=utcnow(),
        reference="1234",
        registered_on=date(2026, 11, 3),
    )
    report(
        _choice(dossier, "WM Elan"), status="refused", now=utcnow(), note="Buiten ons werkgebied"
    )
    html = render_template("landlords/_choice_statuses.html", dossier=dossier)
    assert "SVK De Poort" in html and "ingeschreven" in html and "1234" in html
    assert "geweigerd" in html and "Buiten ons werkgebied" in html


# A report keeps only the fields of its own status ------------------------------------------------


def _registered(choice, now=None):
    now = now or utcnow()
    report(choice, status="registered", now=now, reference="1234", registered_on=date(2026, 11, 3)
    )


@pytest.mark.parametrize("status", ["incomplete", "refused"])
def test_a_later_report_drops_the_number_and_date_of_registered(dossier, status):
    choice = _choice(dossier, "SVK De Poort")
    _registered(choice)

    report(choice, status=status, now=utcnow(), note="Loonfiches ontbreken", reference="99",
        registered_on=date(2026, 11, 4),
    )

    assert choice.status == ChoiceStatus(status) and choice.status_note == "Loonfiches ontbreken"
    assert choice.landlord_reference is None and choice.registered_on is None


def test_registered_keeps_no_note(dossier):
    choice = _choice(dossier, "SVK De Poort")
    report(choice, status="incomplete", now=utcnow(), note="uw loonfiches")

    report(choice, status="registered", now=utcnow(), reference="1234", registered_on=date(2026, 11, 3),
        note="uw loonfiches",
    )

    assert choice.status == ChoiceStatus.REGISTERED and choice.landlord_reference == "1234"
    assert choice.status_note is None


def test_a_refused_report_is_not_stopped_by_a_long_number_it_does_not_keep(dossier):
    choice = _choice(dossier, "WM Elan")
    report(choice, status="refused", now=utcnow(), note="Te groot", reference="x" * 99)
    assert choice.status == ChoiceStatus.REFUSED and choice.landlord_reference is None


def test_the_status_form_starts_with_the_fields_of_the_current_report_only(dossier):
    choice = _choice(dossier, "SVK De Poort")
    empty = {"status": None, "reference": None, "registered_on": None, "note": None}
    assert status_service.status_form_values(choice) == empty
    # A row written before reports cleared the other fields: the form still shows only its own.
    choice.status, choice.status_note = ChoiceStatus.REFUSED, "Te groot"
    choice.landlord_reference, choice.registered_on = "1234", date(2026, 11, 3)
    assert status_service.status_form_values(choice) == {
        "status": "refused", "reference": None, "registered_on": None, "note": "Te groot"
    }
    choice.status = ChoiceStatus.REGISTERED
    assert status_service.status_form_values(choice) == {
        "status": "registered", "reference": "1234", "registered_on": date(2026, 11, 3), "note": None
    }


# Downloads, and dossiers corrected after one ------------------------------------------------------


def test_every_download_moves_the_last_download_the_first_stays(dossier):
    choice = _choice(dossier, "SVK De Poort")
    first, later = utcnow(), utcnow() + timedelta(hours=2)
    download([choice], now=first)
    download([choice], now=later)
    assert choice.first_downloaded_at == first and choice.last_downloaded_at == later


def _corrected_after_download(volunteer_user):
    """A complete dossier the landlord downloaded and found incomplete, then reopened, fixed and completed."""
    from inschrijving.accounts.services.audit import Actor
    from inschrijving.dossiers.services import lifecycle
    from tests.factories.dossiers import build_complete_dossier

    dossier = build_complete_dossier()
    choice = dossier.landlord_choices[0]
    downloaded = utcnow() - timedelta(days=1)
    download([choice], now=downloaded)
    report(choice, status="incomplete", now=downloaded, note="Loonfiche ontbreekt")
    lifecycle.reopen_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer_user), now=utcnow())
    return dossier, choice


def test_a_dossier_completed_again_after_the_download_counts_as_changed(app, request_context):
    from inschrijving.accounts.services.audit import Actor
    from inschrijving.dossiers.services import lifecycle
    from tests.factories.accounts import UserFactory

    volunteer = UserFactory()
    dossier, choice = _corrected_after_download(volunteer)
    landlord_id = choice.landlord_id
    assert shared_queries.moment_summaries(landlord_id) == []  # back in draft: not shared at all

    lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())

    [summary] = shared_queries.moment_summaries(landlord_id)
    assert (summary.dossiers, summary.new, summary.changed) == (1, 0, 1)
    assert shared_queries.changed_since_download(choice)
    assert choice.status == ChoiceStatus.INCOMPLETE  # the report stands until the landlord reports again

    download([choice], now=utcnow())

    [summary] = shared_queries.moment_summaries(landlord_id)
    assert (summary.new, summary.changed) == (0, 0)
    assert not shared_queries.changed_since_download(choice)


def test_never_downloaded_is_new_not_changed(dossier):
    choice = _choice(dossier, "SVK De Poort")
    assert not shared_queries.changed_since_download(choice)
    summary = next(s for s in shared_queries.moment_summaries(choice.landlord_id))
    assert (summary.new, summary.changed) == (1, 0)


# What the candidate reads -------------------------------------------------------------------------


def test_a_landlord_whose_consent_was_withdrawn_is_left_out_of_the_candidate_lines(dossier):
    from tests.factories.packets import withdraw

    poort, elan = _choice(dossier, "SVK De Poort"), _choice(dossier, "WM Elan")
    download([poort, elan], now=utcnow())
    withdraw(dossier, elan.landlord)

    assert landlord_services.candidate_status_lines(dossier) == ["SVK De Poort heeft uw dossier ontvangen."]


def test_the_candidate_keeps_reading_what_is_missing_while_the_dossier_is_reopened(app, request_context):
    from inschrijving.booking.queries import get_dossier_progress
    from inschrijving.extensions import db
    from tests.factories.accounts import UserFactory
    from tests.factories.booking import BookingFactory

    dossier, choice = _corrected_after_download(UserFactory())
    dossier.booking = BookingFactory(moment=dossier.moment)
    db.session.flush()
    name = choice.landlord.name

    assert get_dossier_progress(dossier.booking_id).landlord_lines == [
        f"{name} mist nog iets in uw dossier: Loonfiche ontbreekt"
    ]


def test_a_draft_no_landlord_had_shows_no_landlord_lines(app, request_context):
    from inschrijving.booking.queries import get_dossier_progress
    from inschrijving.extensions import db
    from tests.factories.booking import BookingFactory
    from tests.factories.dossiers import build_complete_dossier

    draft = build_complete_dossier(mark_complete=False)
    draft.booking = BookingFactory(moment=draft.moment)
    db.session.flush()

    assert get_dossier_progress(draft.booking_id).landlord_lines == []
