"""A registration's manage page says why it can no longer change; its e-mails' subjects name the info moment."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import Booking, BookingStatus, ChangeRefused
from inschrijving.booking.services import reminders, tokens
from inschrijving.db_types import utcnow
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from inschrijving.professionals.services import registration
from tests.professionals.conftest import REGISTRATION


def _subjects() -> list[str]:
    return list(_db.session.scalars(sa.select(OutboxMessage.subject).order_by(OutboxMessage.id)))


def _register(client, moment_id: int) -> tuple[Booking, str]:
    assert client.post(f"/hulpverleners/{moment_id}", data=REGISTRATION).status_code == 302
    mail = _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    token = re.search(r"/afspraak/([\w-]+)", message_text(mail)).group(1)
    return _db.session.scalars(sa.select(Booking)).one(), token


def test_the_reason_is_the_status_or_the_start(info_slot):
    details = registration.professional_details(name="Sara", organisation="CAW", email="sara@caw.example.org",
                                                phone=None, language="nl", attendees=1, remark=None)
    booking = registration.register(info_slot.id, details=details, now=utcnow()).booking
    assert booking.change_refused_reason(utcnow()) is None and booking.candidate_can_change(utcnow())
    assert booking.change_refused_reason(info_slot.starts_at) == ChangeRefused.STARTED
    for status in (BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW, BookingStatus.CANCELLED):
        booking.status = status
        assert booking.change_refused_reason(utcnow()) == ChangeRefused(status.value)
        assert not booking.candidate_can_change(utcnow())


@pytest.mark.parametrize(("status", "reason"), [
    (BookingStatus.CHECKED_IN, "U bent aangemeld op het infomoment. Nu kunt u het aantal deelnemers niet meer"),
    (BookingStatus.NO_SHOW, "U werd genoteerd als niet gekomen. Daarom kunt u niets meer veranderen of annuleren."),
    (BookingStatus.CANCELLED, "U kunt een geannuleerde inschrijving niet meer veranderen."),
])
def test_the_manage_page_says_why_nothing_can_change(client, info_slot, status, reason):
    booking, token = _register(client, info_slot.moment_id)
    booking.status = status
    _db.session.commit()
    page = client.get(f"/hulpverleners/inschrijving/{token}").get_data(as_text=True)
    assert reason in page and 'id="why-no-change"' in page
    assert "Aantal deelnemers veranderen" not in page and "Inschrijving annuleren" not in page


def test_the_manage_page_says_so_once_the_info_moment_has_started(client, info_slot):
    booking, token = _register(client, info_slot.moment_id)
    info_slot.starts_at = utcnow() - timedelta(minutes=5)
    info_slot.ends_at = utcnow() + timedelta(hours=2)
    _db.session.commit()
    page = client.get(f"/hulpverleners/inschrijving/{token}").get_data(as_text=True)
    assert "Het infomoment is begonnen of voorbij." in page and "Inschrijving annuleren" not in page


def test_an_open_registration_shows_no_reason(client, info_slot):
    _, token = _register(client, info_slot.moment_id)
    page = client.get(f"/hulpverleners/inschrijving/{token}").get_data(as_text=True)
    assert 'id="why-no-change"' not in page and "Inschrijving annuleren" in page


def test_the_info_registrations_mails_name_the_info_moment_in_their_subject(client, info_slot):
    booking, _ = _register(client, info_slot.moment_id)
    reference = booking.reference
    assert _subjects() == [f"Uw inschrijving voor het infomoment is bevestigd ({reference})"]
    tokens.resend_manage_link(booking, now=utcnow())
    later = info_slot.starts_at - timedelta(days=1)
    booking.reminder_sent_at = None
    assert reminders.send_reminder(booking.id, now=later)
    registration.cancel(booking, now=utcnow())
    assert _subjects()[1:] == [
        f"Uw nieuwe link voor het infomoment ({reference})",
        f"Herinnering: infomoment voor hulpverleners ({reference})",
        f"Uw inschrijving voor het infomoment is geannuleerd ({reference})",
    ]
    assert not any("afspraak" in subject for subject in _subjects())


def test_the_subject_follows_the_message_language(client, info_slot):
    assert client.post(f"/hulpverleners/{info_slot.moment_id}?lang=fr", data=REGISTRATION).status_code == 302
    [subject] = _subjects()
    reference = _db.session.scalars(sa.select(Booking.reference)).one()
    assert subject == f"Votre inscription à la séance d'information est confirmée ({reference})"
