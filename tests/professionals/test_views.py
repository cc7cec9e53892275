"""The professionals' pages over HTTP: find an info moment from the home page, register, manage, full, waiting."""

from __future__ import annotations

import re

import sqlalchemy as sa

from inschrijving.booking.models import Booking, WaitlistEntry
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from tests.professionals.conftest import REGISTRATION, make_info_session


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_home_page_links_to_the_professionals_page_which_lists_info_moments(client, info_slot):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/hulpverleners/"' in home
    page = client.get("/hulpverleners/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hoe werkt de groepsinschrijving?" in text and "Sociaal Huis Kortrijk" in text
    assert f'href="/hulpverleners/{info_slot.moment_id}"' in text
    assert "Vrije plaatsen" in text and ">20<" in text


def test_the_topic_is_shown_in_the_visitors_language_with_dutch_as_fallback(client, info_slot):
    assert "Comment fonctionne l&#39;inscription" in client.get("/hulpverleners/?lang=fr").get_data(as_text=True)
    assert "Hoe werkt de groepsinschrijving?" in client.get("/hulpverleners/?lang=tr").get_data(as_text=True)


def _last_mail() -> OutboxMessage:
    return _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def _register(client, moment_id: int, data: dict = REGISTRATION) -> str:
    """Register through the form; the manage token, read from the e-mail that went to the work address."""
    response = client.post(f"/hulpverleners/{moment_id}", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/hulpverleners/{moment_id}/ontvangen"
    return re.search(r"/afspraak/([\w-]+)", message_text(_last_mail())).group(1)


def test_registering_leads_to_the_received_page_and_an_email_with_calendar_and_manage_link(client, info_slot):
    token = _register(client, info_slot.moment_id)
    text = client.get(f"/hulpverleners/{info_slot.moment_id}/ontvangen").get_data(as_text=True)
    assert "Bedankt, uw inschrijving is verstuurd" in text and "Kijk in uw mailbox" in text
    mail = _last_mail()
    assert mail.recipient == REGISTRATION["email"] and "CAW Zuid-West-Vlaanderen" not in text
    assert mail.attachments and mail.attachments[0]["filename"] == "afspraak.ics"
    booking = _db.session.scalars(sa.select(Booking)).one()
    assert booking.seats == 2 and booking.assistance_note == "Wij komen met de fiets."
    page = client.get(f"/hulpverleners/inschrijving/{token}/bevestigd").get_data(as_text=True)
    assert "U bent ingeschreven" in page and "CAW Zuid-West-Vlaanderen" in page
    ics = client.get(f"/afspraak/{token}.ics")
    assert ics.status_code == 200 and b"Infomoment voor hulpverleners" in ics.data
    # The manage link of a registration opens the professionals' manage page.
    manage = client.get(f"/afspraak/{token}", follow_redirects=True)
    assert "Aantal deelnemers veranderen" in manage.get_data(as_text=True)


def test_bad_input_is_refused_next_to_the_field_and_keeps_what_was_typed(client, info_slot):
    data = {**REGISTRATION, "email": "", "attendees": "0"}
    response = client.post(f"/hulpverleners/{info_slot.moment_id}", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in text and 'id="attendees-error"' in text
    assert 'value="Sara Declercq"' in text and "Wij komen met de fiets." in text
    assert _count(Booking) == 0 and _count(OutboxMessage) == 0


def test_more_attendees_than_seats_left_says_how_many_are_left(client, db):
    slot = make_info_session(seats=3)
    slot.booked = 2
    db.session.commit()
    response = client.post(f"/hulpverleners/{slot.moment_id}", data=REGISTRATION)
    assert response.status_code == 409
    assert "Er is nog 1 plaats" in response.get_data(as_text=True)
    assert _count(Booking) == 0


def test_a_full_info_moment_offers_its_waiting_list_and_the_next_info_moment(client, db):
    full = make_info_session(seats=2, days_ahead=10)
    full.booked = 2
    later = make_info_session(seats=10, days_ahead=40)
    db.session.commit()
    text = client.get(f"/hulpverleners/{full.moment_id}").get_data(as_text=True)
    assert "Dit infomoment is volzet" in text
    assert f"/hulpverleners/{full.moment_id}/wachtlijst" in text
    assert f'href="/hulpverleners/{later.moment_id}"' in text
    response = client.post(f"/hulpverleners/{full.moment_id}/wachtlijst",
                           data={"contact_name": "Jan", "email": "jan@ocmw.example.org", "organisation": "OCMW Menen",
                                 "attendees": "3"})
    assert response.status_code == 200 and "U staat op de wachtlijst" in response.get_data(as_text=True)
    entry = _db.session.scalars(sa.select(WaitlistEntry)).one()
    assert (entry.moment_id, entry.organisation, entry.seats) == (full.moment_id, "OCMW Menen", 3)


def test_a_closed_registration_says_so_in_plain_words(client, db):
    from inschrijving.planning.models import MomentStatus

    slot = make_info_session(status=MomentStatus.CLOSED)
    db.session.commit()
    assert client.get("/hulpverleners/").get_data(as_text=True).count(f"/hulpverleners/{slot.moment_id}") == 0
    text = client.get(f"/hulpverleners/{slot.moment_id}").get_data(as_text=True)
    assert "De inschrijvingen voor dit infomoment zijn gesloten." in text


def test_a_registration_moment_is_not_an_info_moment_and_vice_versa(client, db, info_slot):
    from tests.factories.planning import SlotFactory

    other = SlotFactory()
    db.session.commit()
    assert client.get(f"/hulpverleners/{other.moment_id}").status_code == 404
    assert client.get(f"/inschrijven/{info_slot.moment_id}").status_code == 404


def test_registering_again_answers_as_a_new_registration_and_mails_the_owner_their_link(client, info_slot):
    first = client.post(f"/hulpverleners/{info_slot.moment_id}", data=REGISTRATION)
    first_page = client.get(first.headers["Location"])
    token = re.search(r"/afspraak/([\w-]+)", message_text(_last_mail())).group(1)
    again = client.post(f"/hulpverleners/{info_slot.moment_id}", data={**REGISTRATION, "attendees": "1"})
    # From the outside the same answer: status, place, page.
    assert (again.status_code, again.headers["Location"]) == (first.status_code, first.headers["Location"])
    assert client.get(again.headers["Location"]).get_data() == first_page.get_data()
    assert _count(Booking) == 1
    _db.session.expire_all()
    booking = _db.session.scalars(sa.select(Booking)).one()
    assert booking.seats == 2 and booking.slot.booked == 2  # the seat taken for the refused row went back
    mail = _last_mail()
    assert mail.recipient == REGISTRATION["email"] and "al ingeschreven" in mail.subject
    text = message_text(mail)
    assert "U bent al ingeschreven: er is niets veranderd" in text and "/afspraak/" in text
    # The owner's first link still works.
    assert client.get(f"/hulpverleners/inschrijving/{token}").status_code == 200


def test_the_manage_page_changes_attendees_and_cancels(client, info_slot):
    token = _register(client, info_slot.moment_id)
    assert client.post(f"/hulpverleners/inschrijving/{token}", data={"attendees": "4"}).status_code == 302
    _db.session.expire_all()
    booking = _db.session.scalars(sa.select(Booking)).one()
    assert booking.seats == 4 and booking.slot.booked == 4
    refused = client.post(f"/hulpverleners/inschrijving/{token}", data={"attendees": "21"})
    assert refused.status_code == 409 and 'id="attendees-error"' in refused.get_data(as_text=True)
    assert client.post(f"/hulpverleners/inschrijving/{token}/annuleren").status_code == 302
    _db.session.expire_all()
    assert booking.is_cancelled and booking.slot.booked == 0
    page = client.get(f"/hulpverleners/inschrijving/{token}").get_data(as_text=True)
    assert "Deze inschrijving is geannuleerd." in page and "Inschrijving annuleren" not in page


def test_an_unknown_registration_link_is_404(client, db):
    assert client.get("/hulpverleners/inschrijving/onbekend").status_code == 404


def test_a_full_info_moments_waiting_list_offer_leads_to_the_professionals_claim_page(client, db):
    slot = make_info_session(seats=2)
    db.session.commit()
    token = _register(client, slot.moment_id, {**REGISTRATION, "attendees": "2"})
    joined = client.post(f"/hulpverleners/{slot.moment_id}/wachtlijst", data={
        "contact_name": "Koen Wachter", "organisation": "OCMW Menen", "email": "koen@ocmw.example.org",
        "attendees": "2"})
    assert joined.status_code == 200
    assert client.post(f"/hulpverleners/inschrijving/{token}/annuleren").status_code == 302
    offer = _last_mail()
    assert offer.recipient == "koen@ocmw.example.org"
    link = re.search(r"/hulpverleners/aanbod/[\w-]+", message_text(offer)).group(0)
    # The candidates' claim link of the same offer leads here too (an SMS short link uses it).
    assert client.get(link.replace("/hulpverleners", "")).headers["Location"] == link
    page = client.get(link).get_data(as_text=True)
    assert "Er is plaats voor u op het infomoment" in page and "OCMW Menen" in page
    assert "tolk" not in page.lower() and 'name="remark"' in page
    claimed = client.post(link, data={"remark": "Wij komen met de bus."})
    assert claimed.status_code == 302 and "/hulpverleners/inschrijving/" in claimed.headers["Location"]
    confirmation = client.get(claimed.headers["Location"]).get_data(as_text=True)
    assert "U bent ingeschreven" in confirmation and "OCMW Menen" in confirmation
    _db.session.expire_all()
    booking = _db.session.scalars(sa.select(Booking).where(Booking.email == "koen@ocmw.example.org")).one()
    assert (booking.seats, booking.organisation, booking.slot.booked) == (2, "OCMW Menen", 2)
    assert client.get(link).status_code == 404  # used once


def test_the_info_waiting_list_asks_organisation_and_attendees(client, info_slot):
    response = client.post(f"/hulpverleners/{info_slot.moment_id}/wachtlijst",
                           data={"contact_name": "Jan", "email": "jan@ocmw.example.org", "attendees": "0"})
    text = response.get_data(as_text=True)
    assert 'id="organisation-error"' in text and 'id="attendees-error"' in text
    assert _count(WaitlistEntry) == 0
