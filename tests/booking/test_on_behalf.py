"""Booking on behalf of a client: the form speaks about the client, the worker's contact may be the channel,
one live booking per client per moment (enforced by the database), and the worker's own list of bookings."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from inschrijving.booking.models import BookedBy, Booking, ContactChannel
from inschrijving.booking.services import lifecycle
from inschrijving.booking.services.base import DuplicateContact
from inschrijving.booking.services.clients import client_key, normalised_name
from inschrijving.db_types import utcnow
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from tests.booking.support import details
from tests.factories.booking import BookingFactory

WORKER = {
    "booked_by": "social_worker",
    "social_worker_name": "Sara Declercq",
    "social_worker_organisation": "CAW Zuid-West-Vlaanderen",
    "social_worker_phone": "056 23 45 67",
    "social_worker_email": "Sara.Declercq@caw.example.org",
}
CLIENT = {"contact_name": "Youssef Amrani", "client_birth_year": "1984", "language": "ar", "household_size": "3"}


def _url(slot) -> str:
    return f"/inschrijven/{slot.moment_id}/{slot.id}/voor-iemand-anders"


def _bookings() -> list[Booking]:
    return list(_db.session.scalars(sa.select(Booking).order_by(Booking.id)))


def test_the_candidate_form_links_to_the_form_that_speaks_about_the_client(client, slots):
    page = client.get(f"/inschrijven/{slots[0].moment_id}/{slots[0].id}").get_data(as_text=True)
    assert _url(slots[0]) in page
    assert "Alleen voor hulpverleners" not in page
    form = client.get(_url(slots[0])).get_data(as_text=True)
    for label in ("Naam van de kandidaat", "Met hoeveel mensen gaat de kandidaat wonen?",
                  "De kandidaat heeft een tolk nodig", "Uw e-mailadres op het werk", "Uw organisatie"):
        assert label in form
    assert "Met hoeveel personen komt u wonen?" not in form


def test_a_client_without_contact_is_reached_through_the_worker(client, slots):
    response = client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    assert response.status_code == 302
    [booking] = _bookings()
    assert booking.contact_channel == ContactChannel.BOOKER and booking.speaks_to_booker
    assert (booking.phone, booking.email) == ("+3256234567", "sara.declercq@caw.example.org")
    assert booking.social_worker_email == "sara.declercq@caw.example.org"
    assert booking.booked_by == BookedBy.SOCIAL_WORKER and booking.client_birth_year == 1984
    assert booking.client_key == client_key(booker_phone="+3256234567", client_name="Youssef Amrani", birth_year=1984)
    [mail] = _db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.recipient == "sara.declercq@caw.example.org"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De afspraak voor Youssef Amrani is gemaakt" in page
    assert "De bevestiging en de herinnering gaan naar u" in page and "brief.pdf" in page
    letter = client.get(response.headers["Location"].replace("/bevestigd", "/brief.pdf"))
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")


def test_a_worker_books_two_clients_the_same_day_with_the_same_work_phone(client, slots):
    assert client.post(_url(slots[0]), data={**WORKER, **CLIENT}).status_code == 302
    second = {**CLIENT, "contact_name": "Marie Vandamme", "client_birth_year": "1990"}
    assert client.post(_url(slots[1]), data={**WORKER, **second}).status_code == 302
    assert [b.contact_name for b in _bookings()] == ["Youssef Amrani", "Marie Vandamme"]


def test_the_same_client_cannot_be_booked_twice_and_the_page_says_nothing_of_the_booking(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    again = {**CLIENT, "contact_name": "  youssef   AMRANI "}
    response = client.post(_url(slots[1]), data={**WORKER, **again})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "U hebt deze kandidaat al ingeschreven" in text
    assert slots[0].starts_at.strftime("%H:%M") not in text  # no hour, no reference of the other booking
    assert len(_bookings()) == 1


def test_a_client_with_own_contact_is_known_by_it_whoever_booked(client, slots):
    BookingFactory(slot=slots[0], phone="+32470111222", email=None)
    _db.session.commit()
    response = client.post(_url(slots[1]), data={**WORKER, **CLIENT, "phone": "0470 11 12 22"})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Met deze telefoon of dit e-mailadres is er al een afspraak" in text
    assert "+32470111222" not in text and "U hebt al een afspraak" not in text
    assert len(_bookings()) == 1


def test_own_contact_is_the_channel_when_the_client_has_one(client, slots):
    assert client.post(_url(slots[0]), data={**WORKER, **CLIENT, "email": "youssef@example.org",
                                             "client_birth_year": ""}).status_code == 302
    [booking] = _bookings()
    assert booking.contact_channel == ContactChannel.OWN and booking.email == "youssef@example.org"
    assert booking.client_key is None and booking.social_worker_email == "sara.declercq@caw.example.org"


@pytest.mark.parametrize(("changes", "field"), [
    ({"client_birth_year": ""}, "client_birth_year"),
    ({"social_worker_email": ""}, "social_worker_email"),
    ({"social_worker_phone": ""}, "social_worker_phone"),
    ({"social_worker_organisation": ""}, "social_worker_organisation"),
    ({"contact_name": ""}, "contact_name"),
])
def test_bad_input_is_refused_next_to_the_field(client, slots, changes, field):
    response = client.post(_url(slots[0]), data={**WORKER, **CLIENT, "assistance_note": "rolstoel", **changes})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in text
    assert "rolstoel" in text
    assert _bookings() == []


def test_a_volunteer_on_the_phone_needs_no_work_email(client, slots):
    data = {**WORKER, **CLIENT, "booked_by": "volunteer", "social_worker_email": "", "social_worker_organisation": ""}
    assert client.post(_url(slots[0]), data=data).status_code == 302
    [booking] = _bookings()
    assert booking.booked_by == BookedBy.VOLUNTEER and booking.phone == "+3256234567" and booking.email is None


def test_the_database_refuses_a_second_live_booking_for_one_client(slots):
    key = client_key(booker_phone="+3256234567", client_name="A", birth_year=1980)
    common = dict(moment=slots[0].moment, phone="+3256234567", email=None, contact_channel=ContactChannel.BOOKER,
                  client_key=key)
    BookingFactory(slot=slots[0], **common)
    _db.session.flush()
    with pytest.raises(IntegrityError):
        BookingFactory(slot=slots[1], **common)
        _db.session.flush()


def test_the_service_turns_the_index_into_duplicate_client(slots):
    key = client_key(booker_phone="+3256234567", client_name="A", birth_year=1980)
    first = details(1, phone="+3256234567", email=None, contact_channel=ContactChannel.BOOKER, client_key=key)
    lifecycle.book_slot(slots[0].id, details=first, now=utcnow())
    with pytest.raises(DuplicateContact):
        lifecycle.book_slot(slots[1].id, details=first, now=utcnow())


def test_names_compare_without_case_accents_or_spacing():
    assert normalised_name("  José   PEETERS ") == normalised_name("jose peeters")


# The worker's list -------------------------------------------------------------------------------------------


def _worker_link(client, email: str) -> str | None:
    before = _db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    response = client.post("/hulpverleners/mijn-afspraken", data={"email": email})
    assert response.status_code == 200 and "Kijk in uw mailbox" in response.get_data(as_text=True)
    mail = _db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id > before)).first()
    if mail is None:
        return None
    return re.search(r"/hulpverleners/mijn-afspraken/[\w.\-]+", message_text(mail)).group(0)


def test_the_worker_link_lists_only_the_bookings_that_worker_made(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    client.post(_url(slots[1]), data={**WORKER, **CLIENT, "contact_name": "Marie Vandamme"})
    other = {**WORKER, "social_worker_email": "ander@ocmw.example.org", "social_worker_phone": "056 99 99 99"}
    client.post(_url(slots[1]), data={**other, **CLIENT, "contact_name": "Niet Van Sara"})
    link = _worker_link(client, "sara.declercq@caw.example.org")
    page = client.get(link)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Youssef Amrani" in text and "Marie Vandamme" in text and "Niet Van Sara" not in text


def _manage_token(location: str) -> str:
    return re.search(r"/afspraak/([^/]+)/bevestigd", location).group(1)


def test_the_worker_manages_through_the_list_link_and_the_clients_link_keeps_working(client, slots):
    location = client.post(_url(slots[0]), data={**WORKER, **CLIENT}).headers["Location"]
    client_token = _manage_token(location)
    [booking] = _bookings()
    link = _worker_link(client, "sara.declercq@caw.example.org")
    opened = client.get(link).get_data(as_text=True)
    access = re.search(r'href="/afspraak/([^"]+)"', opened).group(1)
    assert access.startswith(link.rsplit("/", 1)[1]) and access.endswith(f"~{booking.id}")
    page = client.get(f"/afspraak/{access}")
    assert page.status_code == 200 and "Youssef Amrani" in page.get_data(as_text=True)
    assert "Terug naar de afspraken die u maakte" in page.get_data(as_text=True)
    token_hash = booking.token_hash
    moved = client.post(f"/afspraak/{access}/verplaatsen", data={"slot_id": slots[1].id})
    assert moved.status_code == 302
    _db.session.expire_all()
    assert booking.slot_id == slots[1].id and booking.token_hash == token_hash
    # The client's own link (on the letter and its QR code) still opens the booking.
    assert client.get(f"/afspraak/{client_token}").status_code == 200
    # A letter printed from the list carries the booking's letter link; the client's own link still works.
    assert client.get(f"/afspraak/{access}/brief.pdf").status_code == 200
    _db.session.expire_all()
    assert booking.token_hash == token_hash and booking.next_token_hash is None
    assert booking.letter_token_hash is not None
    assert client.get(f"/afspraak/{client_token}").status_code == 200


def test_a_worker_cannot_reach_a_booking_another_worker_made(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    other = {**WORKER, "social_worker_email": "ander@ocmw.example.org", "social_worker_phone": "056 99 99 99"}
    client.post(_url(slots[1]), data={**other, **CLIENT, "contact_name": "Niet Van Sara"})
    theirs = _bookings()[1]
    link = _worker_link(client, "sara.declercq@caw.example.org")
    list_token = link.rsplit("/", 1)[1]
    for path in ("", "/verplaatsen", "/annuleren", "/brief.pdf"):
        assert client.get(f"/afspraak/{list_token}~{theirs.id}{path}").status_code == 404
    assert client.post(f"/afspraak/{list_token}~{theirs.id}/annuleren").status_code == 404
    assert client.get(f"/afspraak/forged~{_bookings()[0].id}").status_code == 404
    _db.session.expire_all()
    assert theirs.is_live


def test_asking_the_link_for_an_address_without_bookings_says_the_same_and_sends_nothing(client, slots):
    assert _worker_link(client, "niemand@example.org") is None


def test_an_expired_or_forged_worker_link_is_refused(client, app, slots):
    from inschrijving.booking.services import worker_access

    with app.test_request_context():
        token = worker_access.list_token("sara.declercq@caw.example.org")
    assert client.get(f"/hulpverleners/mijn-afspraken/{token}x").status_code == 404
    with app.test_request_context():
        assert worker_access.email_from_token(token) == "sara.declercq@caw.example.org"
        from unittest import mock

        with mock.patch("itsdangerous.timed.time.time", return_value=10**10):
            assert worker_access.email_from_token(token) is None


def test_the_reminder_of_a_client_without_contact_goes_to_the_worker(client, slots):
    from datetime import timedelta

    from inschrijving.booking.services import reminders

    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    [booking] = _bookings()
    booking.reminder_sent_at = None
    _db.session.commit()
    later = slots[0].starts_at - timedelta(days=1)
    assert reminders.send_reminder(booking.id, now=later)
    reminder = _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    # To the worker, in the language the worker booked in (docs/booking.md, "Which language").
    assert reminder.recipient == "sara.declercq@caw.example.org" and reminder.language == "nl"


# Which language: messages to the worker speak the worker's, what is for the client the client's ---------------

MOBILE_WORKER = {**WORKER, "social_worker_phone": "0470 12 34 56"}


def _messages() -> list[OutboxMessage]:
    return list(_db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_worker_on_the_dutch_pages_gets_dutch_messages_about_an_arabic_speaking_client(client, app, slots):
    from flask import template_rendered

    location = client.post(_url(slots[0]), data={**MOBILE_WORKER, **CLIENT}).headers["Location"]
    [booking] = _bookings()
    assert (booking.language, booking.booker_language, booking.message_language) == ("ar", "nl", "nl")
    mails = {m.channel: m for m in _messages()}
    assert mails["email"].recipient == "sara.declercq@caw.example.org" and mails["email"].language == "nl"
    assert "is bevestigd" in mails["email"].subject and "De afspraak van uw cliënt Youssef Amrani" in message_text(
        mails["email"])
    assert mails["sms"].recipient == "+32470123456" and mails["sms"].body_text.startswith("Afspraak ")
    # Moving and cancelling tell the worker in Dutch too, by e-mail and by SMS.
    lifecycle.move_by_candidate(booking, new_slot=slots[1], now=utcnow())
    lifecycle.cancel_by_candidate(booking, now=utcnow())
    _db.session.commit()
    later = _messages()[2:]
    assert len(later) == 4 and {m.language for m in later} == {"nl"}
    assert any("verplaatst" in m.subject for m in later) and any("geannuleerd" in m.subject for m in later)
    # The letter is for the client: in Arabic, whatever the page it is printed from.
    rendered = []
    with template_rendered.connected_to(lambda _app, template, context: rendered.append(context), app):
        assert client.get(location.replace("/bevestigd", "/brief.pdf?lang=nl")).status_code == 200
    assert rendered[-1]["current_language"] == "ar"


def test_a_worker_on_the_french_pages_gets_french_messages(client, slots):
    client.post(_url(slots[0]) + "?lang=fr", data={**WORKER, **CLIENT})
    [booking] = _bookings()
    assert booking.booker_language == "fr" and booking.message_language == "fr"
    [mail] = _messages()
    assert mail.language == "fr" and mail.recipient == "sara.declercq@caw.example.org"


def test_a_client_with_own_contact_gets_messages_in_their_own_language(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT, "phone": "0470 99 88 77", "email": "youssef@example.org"})
    [booking] = _bookings()
    assert booking.contact_channel == ContactChannel.OWN and booking.message_language == "ar"
    assert {(m.recipient, m.language) for m in _messages()} == {("youssef@example.org", "ar"),
                                                                ("+32470998877", "ar")}


def test_a_client_unseated_onto_the_waiting_list_is_offered_a_seat_in_the_workers_language(client, slots):
    from inschrijving.booking.models import WaitlistEntry
    from inschrijving.booking.services import waitlist
    from tests.factories.accounts import UserFactory

    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    [booking] = _bookings()
    entry = lifecycle.unseat_for_new_times(booking, actor=UserFactory(), ip=None, now=utcnow())
    assert isinstance(entry, WaitlistEntry) and entry.language == "nl"
    offer = waitlist.offer_freed_seat(slots[0], now=utcnow())
    assert offer is not None and offer.entry.id == entry.id
    assert _messages()[-1].language == "nl" and _messages()[-1].recipient == "sara.declercq@caw.example.org"


# Unseated, then claimed: the waiting-list offer gives back the booking the worker made ----------------------


def _unseat(booking: Booking):
    from tests.factories.accounts import UserFactory

    return lifecycle.unseat_for_new_times(booking, actor=UserFactory(), ip=None, now=utcnow())


def _offer_link() -> str:
    return re.search(r"/aanbod/[\w-]+", message_text(_messages()[-1])).group(0)


def test_a_client_unseated_and_claimed_from_the_offer_is_booked_on_behalf_again(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT, "needs_interpreter": "y", "interpreter_language": "Arabisch",
                                      "assistance_note": "Komt met de rolstoel."})
    [first] = _bookings()
    entry = _unseat(first)
    assert entry.replaces_booking_id == first.id and entry.client_key == first.client_key
    from inschrijving.booking.services import waitlist

    assert waitlist.offer_freed_seat(slots[1], now=utcnow()) is not None
    _db.session.commit()
    offer = _offer_link()
    page = client.get(offer).get_data(as_text=True)
    # The worker opens the offer: the page speaks about the client, and knows the interpreter need already.
    assert "Youssef Amrani" in page and "De kandidaat heeft een tolk nodig" in page and "Arabisch" in page
    claimed = client.post(offer, data={"needs_interpreter": "y", "interpreter_language": "Arabisch",
                                       "assistance_note": "Komt met de rolstoel."})
    assert claimed.status_code == 302
    _db.session.expire_all()
    new = _bookings()[-1]
    assert new.id != first.id and new.is_live and new.slot_id == slots[1].id
    assert (new.booked_by, new.contact_channel) == (BookedBy.SOCIAL_WORKER, ContactChannel.BOOKER)
    assert (new.social_worker_name, new.social_worker_organisation, new.social_worker_phone,
            new.social_worker_email) == ("Sara Declercq", "CAW Zuid-West-Vlaanderen", "+3256234567",
                                         "sara.declercq@caw.example.org")
    assert (new.client_key, new.client_birth_year) == (first.client_key, 1984)
    assert (new.phone, new.email) == ("+3256234567", "sara.declercq@caw.example.org")
    # The letter stays in the client's language; the messages go to the worker in the worker's.
    assert (new.language, new.booker_language, new.message_language) == ("ar", "nl", "nl")
    assert (new.household_size, new.needs_interpreter, new.interpreter_language) == (3, True, "Arabisch")
    assert new.assistance_note == "Komt met de rolstoel."
    confirmation = _messages()[-1]
    assert confirmation.recipient == "sara.declercq@caw.example.org" and confirmation.language == "nl"
    # The worker's list link lists it, and the one-live-booking-per-client index holds.
    link = _worker_link(client, "sara.declercq@caw.example.org")
    assert f"~{new.id}" in client.get(link).get_data(as_text=True)
    again = client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    assert again.status_code == 409 and "U hebt deze kandidaat al ingeschreven" in again.get_data(as_text=True)
    _db.session.add(Booking(**{c: getattr(new, c) for c in (
        "moment_id", "slot_id", "contact_name", "phone", "email", "contact_channel", "client_key")},
        reference="DUP-CLI", token_hash="d" * 64))
    with pytest.raises(IntegrityError):
        _db.session.flush()


def test_two_clients_of_one_worker_unseated_both_wait(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    client.post(_url(slots[0]), data={**WORKER, **CLIENT, "contact_name": "Marie Vandamme", "language": "nl"})
    entries = [_unseat(booking) for booking in _bookings()]
    assert all(entry is not None for entry in entries)
    assert [e.contact_name for e in entries] == ["Youssef Amrani", "Marie Vandamme"]


def test_a_claim_for_a_client_the_worker_booked_again_meanwhile_passes_the_seat_on(client, slots):
    from inschrijving.booking.services import waitlist

    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    [first] = _bookings()
    _unseat(first)
    _db.session.commit()
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    assert waitlist.offer_freed_seat(slots[1], now=utcnow()) is not None
    _db.session.commit()
    claimed = client.post(_offer_link(), data={})
    assert claimed.status_code == 409 and "U hebt deze kandidaat al ingeschreven" in claimed.get_data(as_text=True)
    _db.session.expire_all()
    assert slots[1].booked == 0 and len([b for b in _bookings() if b.is_live]) == 1


# The details form on the worker's view of a booking speaks about the client ----------------------------------


def _worker_access(client) -> str:
    link = _worker_link(client, "sara.declercq@caw.example.org")
    return re.search(r'href="/afspraak/([^"]+)"', client.get(link).get_data(as_text=True)).group(1)


def test_the_workers_details_form_speaks_about_the_client_and_the_clients_own_link_to_the_client(client, slots):
    location = client.post(_url(slots[0]), data={**WORKER, **CLIENT}).headers["Location"]
    worker_page = client.get(f"/afspraak/{_worker_access(client)}").get_data(as_text=True)
    for label in ("Naam van de kandidaat", "Telefoonnummer van de kandidaat", "E-mailadres van de kandidaat",
                  "In welke taal praten we het liefst met de kandidaat?", "Met hoeveel mensen gaat de kandidaat wonen?",
                  "De kandidaat heeft een tolk nodig", "Bewaar de gegevens van de kandidaat"):
        assert label in worker_page
    for label in ("Uw naam", "In welke taal praten we het liefst met u?", "Ik heb een tolk nodig",
                  "Bewaar mijn gegevens"):
        assert label not in worker_page
    # The client has no contact of their own: the worker's is shown as where messages go, not as the client's.
    assert "Berichten gaan naar" in worker_page
    assert "U (de kandidaat heeft geen eigen telefoon of e-mail)" in worker_page
    form_part = worker_page.split('class="correct-details"')[1]
    assert 'value="+3256234567"' not in form_part and "sara.declercq@caw.example.org" not in form_part
    client_page = client.get(location.replace("/bevestigd", "?lang=nl")).get_data(as_text=True)
    assert "Uw naam" in client_page and "Naam van de kandidaat" not in client_page
    assert "Berichten gaan naar" in client_page and "Sara Declercq" in client_page


def test_the_worker_corrects_a_client_left_without_contact_and_the_worker_stays_the_channel(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    access = _worker_access(client)
    [booking] = _bookings()
    key = booking.client_key
    response = client.post(f"/afspraak/{access}/gegevens", data={
        "contact_name": "Youssef Amrani", "language": "ar", "household_size": "4"})
    assert response.status_code == 302
    assert "De gegevens van de kandidaat zijn aangepast." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    _db.session.expire_all()
    assert booking.household_size == 4 and booking.contact_channel == ContactChannel.BOOKER
    assert (booking.phone, booking.email, booking.client_key) == ("+3256234567", "sara.declercq@caw.example.org", key)
    # A phone of the client's own, filled in by the worker: from now on the client is reached there.
    client.post(f"/afspraak/{access}/gegevens", data={
        "contact_name": "Youssef Amrani", "language": "ar", "household_size": "4", "phone": "0470 55 44 33"})
    _db.session.expire_all()
    assert (booking.contact_channel, booking.phone, booking.email) == (ContactChannel.OWN, "+32470554433", None)
    # A client with a contact of their own must keep one: the message is next to the field, in the third person.
    refused = client.post(f"/afspraak/{access}/gegevens", data={
        "contact_name": "Youssef Amrani", "language": "ar", "household_size": "4"})
    assert refused.status_code == 422
    assert "Geef een telefoonnummer of een e-mailadres" in refused.get_data(as_text=True)


def test_a_corrected_client_name_is_a_corrected_client_key_and_a_taken_one_is_refused(client, slots):
    client.post(_url(slots[0]), data={**WORKER, **CLIENT})
    client.post(_url(slots[1]), data={**WORKER, **CLIENT, "contact_name": "Marie Vandamme"})
    youssef, marie = _bookings()
    access = f"{_worker_access(client).rpartition('~')[0]}~{youssef.id}"
    fields = {"language": "ar", "household_size": "3"}
    assert client.post(f"/afspraak/{access}/gegevens",
                       data={**fields, "contact_name": "Youssef Amrani-Benali"}).status_code == 302
    _db.session.expire_all()
    assert youssef.client_key == client_key(booker_phone="+3256234567", client_name="Youssef Amrani-Benali",
                                            birth_year=1984)
    # Booked again under the corrected name: the same client, refused; under the old name: someone else now.
    again = client.post(_url(slots[0]), data={**WORKER, **CLIENT, "contact_name": "Youssef Amrani-Benali"})
    assert again.status_code == 409
    # Renamed to another client of the same worker with the same birth year: refused next to the name.
    refused = client.post(f"/afspraak/{access}/gegevens", data={**fields, "contact_name": "Marie Vandamme"})
    assert refused.status_code == 409
    assert "U hebt deze kandidaat al ingeschreven voor deze dag." in refused.get_data(as_text=True)
    _db.session.expire_all()
    assert youssef.contact_name == "Youssef Amrani-Benali" and marie.client_key != youssef.client_key


def test_the_service_rekeys_a_renamed_client_and_refuses_a_taken_key(slots):
    from inschrijving.accounts.services.audit import Actor
    from inschrijving.booking.services.base import DuplicateClient
    from inschrijving.booking.services.details import CorrectedDetails, correct_details

    reached = {"phone": "+3256234567", "email": "sara@caw.example.org", "contact_channel": ContactChannel.BOOKER,
               "social_worker_phone": "+3256234567", "client_birth_year": 1984}
    keys = [client_key(booker_phone="+3256234567", client_name=name, birth_year=1984) for name in ("An", "Bo")]
    first, _second = (BookingFactory(slot=slots[0], contact_name=name, client_key=key, **reached)
                      for name, key in zip(("An", "Bo"), keys, strict=True))
    actor = Actor(user_id=None, label="hulpverlener (lijstlink)", ip=None)

    def corrected(name: str) -> CorrectedDetails:
        return CorrectedDetails(contact_name=name, phone=first.phone, email=first.email, language="nl",
                                household_size=2, needs_interpreter=False, interpreter_language=None)

    assert correct_details(first, corrected("Ann"), actor=actor, now=utcnow()) == ["contact_name", "client_key"]
    assert first.client_key == client_key(booker_phone="+3256234567", client_name="Ann", birth_year=1984)
    with pytest.raises(DuplicateClient):
        correct_details(first, corrected("bo"), actor=actor, now=utcnow())
    assert first.contact_name == "Ann"
