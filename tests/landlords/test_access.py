"""The one service behind every landlord download: mark the dossiers downloaded and audit who, from where."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.extensions import db
from inschrijving.landlords.models import ApiToken
from inschrijving.landlords.portal.services import access
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import api_token_for, report, staff_of


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_download_marks_new_choices_downloaded_keeps_reports_and_audits_the_staff_member(app, request_context):
    moment = MomentFactory()
    landlord = LandlordFactory()
    fresh, reported = shared_dossier(moment, [landlord]), shared_dossier(moment, [landlord])
    refused = report(reported.landlord_choices[0], status="refused", now=utcnow(), note="Buiten ons gebied")
    user = staff_of(landlord)
    now = utcnow()

    access.record_download(
        [fresh.landlord_choices[0], refused], actor=user, ip="192.0.2.7", now=now, action="portal.packet_download",
        object_type="moment", object_id=moment.id, dossiers=2,
    )

    choice = fresh.landlord_choices[0]
    refused_set_at = refused.status_set_at
    for reread in (False, True):  # the loaded choices and the rows (one UPDATE wrote them) say the same
        if reread:
            db.session.expire_all()
        assert (choice.status, choice.first_downloaded_at, choice.last_downloaded_at) == (
            ChoiceStatus.DOWNLOADED, now, now
        )
        assert choice.status_set_at == now
        assert refused.status == ChoiceStatus.REFUSED and refused.last_downloaded_at == now
        assert refused.status_set_at == refused_set_at and refused.first_downloaded_at == now
    [event] = _events("portal.packet_download")
    assert (event.user_id, event.actor, event.ip) == (user.id, user.email, "192.0.2.7")
    assert (event.object_type, event.object_id) == ("moment", moment.id)
    assert event.detail == {"landlord_id": landlord.id, "dossiers": 2}


def test_a_later_download_moves_only_the_last_download(app, request_context):
    landlord = LandlordFactory()
    choice = shared_dossier(MomentFactory(), [landlord]).landlord_choices[0]
    first = utcnow() - timedelta(days=2)
    user = staff_of(landlord)
    access.record_download([choice], actor=user, ip=None, now=first, action="portal.dossier_pdf")
    access.record_download([choice], actor=user, ip=None, now=utcnow(), action="portal.dossier_pdf")
    db.session.expire_all()
    assert choice.first_downloaded_at == first and choice.last_downloaded_at > first
    assert choice.status_set_at == first  # "downloaded" was set once


def test_an_api_download_is_audited_as_its_token_never_as_a_person(app, request_context):
    landlord = LandlordFactory()
    choice = shared_dossier(MomentFactory(), [landlord]).landlord_choices[0]
    api_token_for(landlord)
    token = db.session.scalars(sa.select(ApiToken)).one()

    access.record_download([choice], actor=token, ip="198.51.100.1", now=utcnow(), action="api.dossier",
                           object_type="dossier", object_id=choice.dossier_id)

    [event] = _events("api.dossier")
    assert event.user_id is None and event.actor == f"api-token:{token.id}" and event.ip == "198.51.100.1"
    assert event.detail == {"landlord_id": landlord.id, "token_id": token.id}
    assert choice.status == ChoiceStatus.DOWNLOADED


def test_the_service_writes_but_never_commits(app, request_context):
    landlord = LandlordFactory()
    choice = shared_dossier(MomentFactory(), [landlord]).landlord_choices[0]
    user = staff_of(landlord)
    db.session.commit()

    access.record_download([choice], actor=user, ip=None, now=utcnow(), action="portal.dossier_pdf")
    db.session.rollback()

    assert _events("portal.dossier_pdf") == []
    assert db.session.get(type(choice), choice.id).status == ChoiceStatus.NEW


def test_a_download_stores_its_time_in_utc_whatever_zone_the_clock_gives(app, request_context):
    # Every column of the one UPDATE goes through AwareDateTime: a Brussels time is kept as the same instant.
    landlord = LandlordFactory()
    choice = shared_dossier(MomentFactory(), [landlord]).landlord_choices[0]
    now = utcnow().astimezone(ZoneInfo("Europe/Brussels"))
    access.record_download([choice.id], actor=staff_of(landlord), ip=None, now=now, action="portal.dossier_pdf")
    db.session.expire_all()
    assert choice.first_downloaded_at == choice.last_downloaded_at == choice.status_set_at == now
