"""The messages of a client reached through the worker who booked speak to that worker, about their client
(`Booking.speaks_to_booker`); a client with their own contact gets the candidate's messages."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from inschrijving.booking.models import Booking
from inschrijving.booking.services import letter_links, lifecycle, reminders, tokens
from inschrijving.db_types import utcnow
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import attachment_data, message_text
from tests.booking.support import WORKER

CLIENT = {"contact_name": "Fatima El Amrani", "client_birth_year": "1984", "language": "ar", "household_size": "3"}


def _book(client, slot, *, lang: str = "nl", **changes) -> Booking:
    url = f"/inschrijven/{slot.moment_id}/{slot.id}/voor-iemand-anders?lang={lang}"
    assert client.post(url, data={**WORKER, **CLIENT, **changes}).status_code == 302
    return _db.session.scalars(sa.select(Booking).order_by(Booking.id.desc())).first()


def _mails() -> list[OutboxMessage]:
    return list(_db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")
                                    .order_by(OutboxMessage.id)))


def _last_mail() -> tuple[OutboxMessage, str]:
    mail = _mails()[-1]
    return mail, message_text(mail)


def test_the_confirmation_speaks_to_the_worker_about_the_client(client, slots):
    booking = _book(client, slots[0])
    assert booking.speaks_to_booker
    mail, text = _last_mail()
    assert mail.recipient == "sara.declercq@caw.example.org" and mail.language == "nl"
    assert mail.subject == f"Afspraak {booking.reference} voor Fatima El Amrani is bevestigd"
    assert text.startswith("Beste Sara Declercq,\n")
    assert "De afspraak van uw cliënt Fatima El Amrani voor de groepsinschrijving is gemaakt." in text
    assert "Wat brengt de kandidaat mee?" in text and "Wat brengt u mee?" not in text
    assert "Beste Fatima" not in text and "Uw afspraak" not in text
    # The calendar file in the worker's agenda says whose appointment it is.
    calendar = attachment_data(mail.attachments[0]).decode()
    assert "SUMMARY:Groepsinschrijving Fatima El Amrani" in calendar and "uw cliënt Fatima El Amrani" in calendar
    # The letter to print for the client: the manage link's letter.
    assert re.search(r"Print de brief voor Fatima El Amrani en geef hem aan uw cliënt:\n\S+/afspraak/\S+/brief\.pdf",
                     text)


def test_a_move_tells_the_worker_to_print_the_new_letter_with_a_link_that_opens_it(client, slots):
    booking = _book(client, slots[0])
    lifecycle.move_by_candidate(booking, new_slot=slots[1], now=utcnow())
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Afspraak {booking.reference} voor Fatima El Amrani is verplaatst"
    assert text.startswith("Beste Sara Declercq,\n")
    assert "De afspraak van uw cliënt Fatima El Amrani is verplaatst." in text
    assert "Wat brengt de kandidaat mee?" in text
    hint = re.search(r"Print de nieuwe brief voor Fatima El Amrani \(de oude brief heeft het oude uur\):\n(\S+)\n",
                     text)
    assert hint is not None
    # The link opens the new letter through the booking's own letter link, never the worker's list link
    # (the client's own token is only stored hashed).
    path = hint.group(1).split("://", 1)[1].split("/", 1)[1]
    assert path == f"afspraak/{letter_links.derived_letter_token(booking)}/brief.pdf"
    letter = client.get("/" + path)
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"


def test_cancel_reminder_moment_cancelled_and_new_link_speak_to_the_worker(client, slots, by):
    booking = _book(client, slots[0])
    booking.reminder_sent_at = None
    _db.session.commit()
    assert reminders.send_reminder(booking.id, now=slots[0].starts_at - timedelta(days=1))
    mail, text = _last_mail()
    assert mail.subject == f"Herinnering: afspraak {booking.reference} voor Fatima El Amrani"
    assert "Uw cliënt Fatima El Amrani heeft binnenkort een afspraak" in text
    assert "Wat brengt de kandidaat mee?" in text and "Print een nieuwe brief voor Fatima El Amrani:" in text

    tokens.reissue_manage_link(booking, now=utcnow(), **by)
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Nieuwe link voor afspraak {booking.reference} voor Fatima El Amrani"
    assert "Er is een nieuwe link voor de afspraak van uw cliënt Fatima El Amrani." in text

    lifecycle.cancel_by_candidate(booking, now=utcnow())
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Afspraak {booking.reference} voor Fatima El Amrani is geannuleerd"
    assert "De afspraak van uw cliënt Fatima El Amrani is geannuleerd:" in text
    assert "Wil uw cliënt toch komen?" in text

    other = _book(client, slots[1], contact_name="Jan Peeters")
    lifecycle.cancel_with_moment(slots[1].moment, now=utcnow())
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Afspraak {other.reference} voor Jan Peeters gaat niet door"
    assert text.startswith("Beste Sara Declercq,\n") and "uw cliënt Jan Peeters" in text
    assert all(m.recipient == "sara.declercq@caw.example.org" for m in _mails())
    assert not any("Beste Fatima" in message_text(m) or "Beste Jan" in message_text(m) for m in _mails())


def test_a_client_unseated_by_new_hours_is_told_to_the_worker(client, slots, by):
    booking = _book(client, slots[0])
    lifecycle.unseat_for_new_times(booking, now=utcnow(), **by)
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Afspraak {booking.reference} voor Fatima El Amrani is geannuleerd"
    assert text.startswith("Beste Sara Declercq,\n")
    assert "Voor de afspraak van uw cliënt Fatima El Amrani is er geen plaats meer" in text
    assert "Uw cliënt staat vooraan op de wachtlijst." in text


def test_the_waiting_list_offer_for_an_unseated_client_speaks_to_the_worker(client, slots):
    from inschrijving.booking.services import waitlist
    from tests.factories.accounts import UserFactory

    booking = _book(client, slots[0])
    lifecycle.unseat_for_new_times(booking, actor=UserFactory(), ip=None, now=utcnow())
    assert waitlist.offer_freed_seat(slots[1], now=utcnow()) is not None
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.recipient == "sara.declercq@caw.example.org" and mail.language == "nl"
    assert mail.subject == "Er is een plaats vrij voor uw cliënt Fatima El Amrani"
    assert text.startswith("Beste Sara Declercq,\n")
    assert "voor uw cliënt Fatima El Amrani. Wij houden ze vrij." in text and "/aanbod/" in text
    assert "Vragen? Vraag het aan de Woonclub." in text and "uw hulpverlener" not in text


def test_a_worker_on_the_french_pages_gets_the_french_worker_messages(client, slots):
    booking = _book(client, slots[0], lang="fr")
    mail, text = _last_mail()
    assert mail.language == "fr"
    assert mail.subject == f"Rendez-vous {booking.reference} pour Fatima El Amrani confirmé"
    assert text.startswith("Bonjour Sara Declercq,\n")
    assert "Le rendez-vous de votre client Fatima El Amrani pour l'inscription groupée est pris." in text
    assert "Qu'apporte le candidat\u202f?" in text and "Que devez-vous apporter" not in text
    lifecycle.move_by_candidate(booking, new_slot=slots[1], now=utcnow())
    _db.session.commit()
    _mail, text = _last_mail()
    assert "Imprimez la nouvelle lettre pour Fatima El Amrani (l'ancienne lettre indique l'ancienne heure)" in text
    assert f"/afspraak/{letter_links.derived_letter_token(booking)}/brief.pdf\n" in text and "~" not in text
    assert "Ne donnez ce lien qu'à Fatima El Amrani." in text


def test_a_client_with_own_contact_keeps_the_candidates_messages(client, slots):
    booking = _book(client, slots[0], email="fatima@example.org", language="nl")
    assert not booking.speaks_to_booker
    mail, text = _last_mail()
    assert mail.recipient == "fatima@example.org"
    assert mail.subject == f"Uw afspraak {booking.reference} is bevestigd"
    assert text.startswith("Beste Fatima El Amrani,\n") and "Wat brengt u mee?" in text
    assert "uw cliënt" not in text and "brief.pdf" not in text
    lifecycle.move_by_candidate(booking, new_slot=slots[1], now=utcnow())
    _db.session.commit()
    mail, text = _last_mail()
    assert mail.subject == f"Uw afspraak {booking.reference} is verplaatst" and "Print de nieuwe brief" not in text


# The worker's cancel and move pages (opened from their list link) speak about the client -------------------


def _pages(client, app, slot) -> tuple[Booking, str, str]:
    from inschrijving.booking.services import worker_access

    location = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}/voor-iemand-anders",
                           data={**WORKER, **CLIENT, "language": "nl"}).headers["Location"]
    own = re.search(r"/afspraak/([^/]+)/bevestigd", location).group(1)
    booking = _db.session.scalars(sa.select(Booking)).one()
    with app.test_request_context():
        access = worker_access.access_token(worker_access.list_token("sara.declercq@caw.example.org"), booking)
    return booking, own, access


def test_the_workers_cancel_page_asks_about_the_client_and_the_clients_own_page_does_not(client, app, slots):
    booking, own, access = _pages(client, app, slots[0])
    page = client.get(f"/afspraak/{access}/annuleren").get_data(as_text=True)
    assert "Ja, annuleer de afspraak van Fatima El Amrani" in page and "Nee, niet annuleren" in page
    assert "Wilt u de afspraak van Fatima El Amrani echt annuleren?" in page
    assert "Terug naar de afspraak van Fatima El Amrani" in page
    assert "Ja, annuleer mijn afspraak" not in page and "Nee, ik kom" not in page
    # Opened with the client's own link (the one on their letter), the page still speaks to the candidate.
    theirs = client.get(f"/afspraak/{own}/annuleren").get_data(as_text=True)
    assert "Ja, annuleer mijn afspraak" in theirs and "Nee, ik kom" in theirs and "Nee, niet annuleren" not in theirs

    done = client.post(f"/afspraak/{access}/annuleren", follow_redirects=True)
    assert done.status_code == 200 and "De afspraak van Fatima El Amrani is geannuleerd." in done.get_data(as_text=True)
    _db.session.expire_all()
    assert booking.is_cancelled


def test_the_workers_move_page_speaks_about_the_client(client, app, slots):
    booking, own, access = _pages(client, app, slots[0])
    page = client.get(f"/afspraak/{access}/verplaatsen").get_data(as_text=True)
    assert "Terug naar de afspraak van Fatima El Amrani" in page and "huidig uur" in page and "uw uur" not in page
    assert "uw uur" in client.get(f"/afspraak/{own}/verplaatsen").get_data(as_text=True)
    moved = client.post(f"/afspraak/{access}/verplaatsen", data={"slot_id": slots[1].id}, follow_redirects=True)
    assert "De afspraak van Fatima El Amrani is verplaatst. De referentie blijft dezelfde." in moved.get_data(
        as_text=True)
    _db.session.expire_all()
    assert booking.slot_id == slots[1].id
