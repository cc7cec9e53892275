"""The candidate's manage page (issue 17): correcting details, its own language, the cancelling calendar
file, the dossier's checklist instead of the general list, the /check link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import BookingStatus
from inschrijving.booking.services import lifecycle
from inschrijving.db_types import utcnow
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import build_complete_dossier
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

DETAILS = {
    "contact_name": "Fatima El Amrani-Benali",
    "phone": "0470 99 88 77",
    "email": "",
    "language": "tr",
    "household_size": "4",
    "needs_interpreter": "y",
    "interpreter_language": "Turks",
}


@pytest.fixture
def booking(db):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    booking = BookingFactory(slot=SlotFactory(moment=moment, capacity=3), language="nl", email="f@example.org")
    db.session.commit()
    return booking


def _page(client, booking, query="") -> str:
    response = client.get(f"/afspraak/token-{booking.reference}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_candidate_corrects_their_details_and_the_change_is_audited(client, db, booking):
    page = _page(client, booking)
    assert 'action="/afspraak/token-' in page and "Gegevens aanpassen" in page
    response = client.post(f"/afspraak/token-{booking.reference}/gegevens", data=DETAILS)
    assert response.status_code == 302
    db.session.refresh(booking)
    assert (booking.contact_name, booking.phone, booking.email, booking.language, booking.household_size,
            booking.needs_interpreter, booking.interpreter_language) == (
        "Fatima El Amrani-Benali", "+32470998877", None, "tr", 4, True, "Turks")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "booking.details_corrected")).one()
    assert event.object_id == booking.id and event.user_id is None
    assert set(event.detail["fields"]) == {"contact_name", "phone", "email", "language", "household_size",
                                           "needs_interpreter", "interpreter_language"}
    assert "+32470998877" not in str(event.detail)  # which fields, never their values


def test_correcting_uses_the_booking_checks_and_keeps_what_was_typed(client, db, booking):
    response = client.post(f"/afspraak/token-{booking.reference}/gegevens?lang=nl",
                           data={**DETAILS, "phone": "", "household_size": "0", "interpreter_language": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef een telefoonnummer of een e-mailadres" in page and "Vul een getal van 1 tot 30 in." in page
    assert "Welke taal? Vul ze in." in page
    assert 'value="Fatima El Amrani-Benali"' in page and "<details class=\"correct-details\" open>" in page
    db.session.refresh(booking)
    assert booking.household_size != 0


def test_a_contact_another_booking_of_the_day_holds_is_refused(client, db, booking):
    BookingFactory(slot=booking.slot, phone="+32470998877")
    db.session.commit()
    response = client.post(f"/afspraak/token-{booking.reference}/gegevens?lang=nl", data=DETAILS)
    assert response.status_code == 409
    assert "hoort al bij een andere afspraak" in response.get_data(as_text=True)


def test_the_form_fields_help_autofill_and_read_left_to_right(client, booking):
    page = _page(client, booking)
    assert re.search(r'<input[^>]*autocomplete="name"[^>]*id="contact_name"', page)
    assert re.search(r'<input[^>]*autocomplete="tel"[^>]*dir="ltr"[^>]*id="phone"', page)
    assert re.search(r'<input[^>]*autocomplete="email"[^>]*dir="ltr"[^>]*id="email"', page)


def test_the_page_speaks_the_bookings_language_until_the_candidate_switches(client, db, booking):
    booking.language = "ar"
    db.session.commit()
    assert '<html lang="ar" dir="rtl">' in _page(client, booking)
    client.get("/?lang=fr")  # a language chosen elsewhere does not override the booking's
    assert '<html lang="ar" dir="rtl">' in _page(client, booking)
    assert '<html lang="tr"' in _page(client, booking, "?lang=tr")
    assert '<html lang="tr"' in _page(client, booking)  # the switch is kept for this booking
    assert '<html lang="tr"' in client.get(f"/afspraak/token-{booking.reference}/verplaatsen").get_data(as_text=True)


def test_a_cancelled_booking_offers_to_remove_it_from_the_calendar(client, db, booking):
    lifecycle.cancel_by_candidate(booking, now=utcnow())
    db.session.commit()
    page = _page(client, booking)
    assert booking.status == BookingStatus.CANCELLED
    assert "Haal uit mijn agenda" in page and "Zet in mijn agenda" not in page
    assert "Gegevens aanpassen" not in page


def test_a_complete_dossier_replaces_the_general_list(client, db, booking):
    dossier = build_complete_dossier(moment=booking.moment)
    dossier.booking_id = booking.id
    db.session.commit()
    page = _page(client, booking)
    assert "U hoeft niets meer te brengen" in page
    assert "Wat brengt u mee?" not in page


def test_check_is_linked_from_home_confirmation_and_manage(client, booking):
    for path in ("/", f"/afspraak/token-{booking.reference}/bevestigd", f"/afspraak/token-{booking.reference}"):
        assert 'href="/check"' in client.get(path + "?lang=nl").get_data(as_text=True), path


@pytest.mark.parametrize("path", ["booking", "waitlist"])
def test_booking_and_waitlist_forms_autofill_and_ask_the_household_plainly(client, booking, path):
    url = (f"/inschrijven/{booking.moment_id}/{booking.slot_id}" if path == "booking"
           else f"/wachtlijst/{booking.moment_id}")
    page = client.get(url + "?lang=nl").get_data(as_text=True)
    assert re.search(r'<input[^>]*autocomplete="name"[^>]*id="contact_name"', page)
    assert re.search(r'<input[^>]*autocomplete="tel"[^>]*dir="ltr"[^>]*id="phone"', page)
    assert re.search(r'<input[^>]*autocomplete="email"[^>]*dir="ltr"[^>]*id="email"', page)
    assert "Hoeveel mensen gaan in de woning wonen? Tel uzelf ook mee." in page
    assert "Met hoeveel personen komt u wonen?" not in page and "Tel uzelf mee." not in page


def test_staff_see_the_corrected_details_on_the_day_list(client, db, auth, booking):
    from tests.factories.accounts import UserFactory

    assert client.post(f"/afspraak/token-{booking.reference}/gegevens", data=DETAILS).status_code == 302
    volunteer = UserFactory()
    booking.moment.staff.append(volunteer)  # volunteers open the day lists of the moments they staff
    db.session.commit()
    auth.login(volunteer)
    response = client.get(f"/planning/{booking.moment_id}/dag")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    assert "Fatima El Amrani-Benali" in page and "Tolk: Turks" in page


def test_a_client_reached_through_the_worker_who_gives_their_own_phone_is_reached_by_it(client, db, booking):
    # Booked by a social worker with the worker's contact (issue 14); the client now gives a number of their own.
    from inschrijving.booking.models import ContactChannel

    booking.contact_channel, booking.client_key = ContactChannel.BOOKER, "client-key"
    booking.sms_opted_out_at = utcnow()
    db.session.commit()
    assert client.post(f"/afspraak/token-{booking.reference}/gegevens", data=DETAILS).status_code == 302
    db.session.refresh(booking)
    assert booking.contact_channel == ContactChannel.OWN and booking.client_key is None
    assert booking.phone == "+32470998877" and booking.sms_opted_out_at is None



def test_a_cancelled_booking_offers_no_sms_opt_out(client, db, booking):
    booking.phone = "+32470998877"
    db.session.commit()
    assert "sms-stoppen" in _page(client, booking)
    lifecycle.cancel_by_candidate(booking, now=utcnow())
    db.session.commit()
    assert "sms-stoppen" not in _page(client, booking)


def test_the_phone_number_reads_as_people_write_it(client, db, booking):
    booking.phone = "+32470998877"
    db.session.commit()
    page = _page(client, booking)
    assert "+32 470 99 88 77" in page and "+32470998877" not in page.split("<form")[0]


def test_the_confirmation_names_the_channels_the_messages_go_by(client, db, booking):
    from inschrijving.booking.models import ReachBy

    booking.phone, booking.reach_by = "+32470998877", ReachBy.BOTH
    db.session.commit()
    page = client.get(f"/afspraak/token-{booking.reference}/bevestigd").get_data(as_text=True)
    assert "U krijgt ook een sms en een e-mail met deze gegevens." in page
    booking.reach_by = ReachBy.SMS
    db.session.commit()
    page = client.get(f"/afspraak/token-{booking.reference}/bevestigd").get_data(as_text=True)
    assert "U krijgt ook een sms met deze gegevens." in page
