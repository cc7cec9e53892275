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


def test_registering_leads_to_the_confirmation_with_calendar_and_manage_link(client, info_slot):
    response = client.post(f"/hulpverleners/{info_slot.moment_id}", data=REGISTRATION)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "U bent ingeschreven" in text and "CAW Zuid-West-Vlaanderen" in text
    booking = _db.session.scalars(sa.select(Booking)).one()
    assert booking.seats == 2 and booking.assistance_note == "Wij komen met de fiets."
    assert "/afspraak/" in text and ".ics" in text
    token = re.search(r"/afspraak/([\w-]+)\.ics", text).group(1)
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
                           data={"contact_name": "Jan", "email": "jan@ocmw.example.org"})
    assert response.status_code == 200 and "U staat op de wachtlijst" in response.get_data(as_text=True)
    assert _db.session.scalars(sa.select(WaitlistEntry)).one().moment_id == full.moment_id


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


def test_registering_twice_with_one_address_resends_the_link_and_says_so(client, info_slot):
    client.post(f"/hulpverleners/{info_slot.moment_id}", data=REGISTRATION)
    response = client.post(f"/hulpverleners/{info_slot.moment_id}", data={**REGISTRATION, "attendees": "1"})
    assert response.status_code == 409
    assert "U bent al ingeschreven" in response.get_data(as_text=True)
    assert _count(Booking) == 1
    last = _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert last.recipient == REGISTRATION["email"] and "nieuwe link" in message_text(last)


def test_the_manage_page_changes_attendees_and_cancels(client, info_slot):
    response = client.post(f"/hulpverleners/{info_slot.moment_id}", data=REGISTRATION)
    token = response.headers["Location"].split("/inschrijving/")[1].split("/")[0]
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
