"""The letter a social worker prints from their list carries the booking's own letter link (the same on every
reprint, written once), and the worker's list link never leaves their hands: not in a calendar file, not in a
mail (docs/booking.md, "The letter's link"; docs/security.md)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from inschrijving.booking.models import Booking
from inschrijving.booking.services import letter_links, tokens
from inschrijving.booking.views import manage
from inschrijving.db_types import utcnow
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from inschrijving.privacy import services as privacy_services
from tests.booking.support import WORKER

CLIENT = {"contact_name": "Youssef Amrani", "client_birth_year": "1984", "language": "ar", "household_size": "3"}


@pytest.fixture
def printed(monkeypatch) -> list[str]:
    """The manage tokens the letters were rendered with (what their link and QR code carry)."""
    tokens_seen: list[str] = []

    def fake_letter(booking: Booking, token: str) -> bytes:
        tokens_seen.append(token)
        return b"%PDF-1.7 letter"

    monkeypatch.setattr(manage, "letter_pdf", fake_letter)
    return tokens_seen


def _last_mail() -> tuple[OutboxMessage, str]:
    mail = _db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")
                               .order_by(OutboxMessage.id.desc())).first()
    return mail, message_text(mail)


def _book_and_open_list(client, slot) -> tuple[Booking, str, str]:
    """Book a client without contact of their own; returns the booking, its manage token and its access token."""
    location = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}/voor-iemand-anders",
                           data={**WORKER, **CLIENT}).headers["Location"]
    manage_token = re.search(r"/afspraak/([^/]+)/bevestigd", location).group(1)
    client.post("/hulpverleners/mijn-afspraken", data={"email": WORKER["social_worker_email"]})
    list_link = re.search(r"/hulpverleners/mijn-afspraken/[\w.\-]+", _last_mail()[1]).group(0)
    access = re.search(r'href="/afspraak/([^"]+~\d+)"', client.get(list_link).get_data(as_text=True)).group(1)
    booking = _db.session.scalars(sa.select(Booking)).one()
    return booking, manage_token, access


class _Writes:
    """Counts the INSERT/UPDATE/DELETE statements sent to the database while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.statements.append(statement)


def _writes_during(action) -> list[str]:
    writes = _Writes()
    engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", writes)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", writes)
    return writes.statements


def test_a_letter_printed_again_from_the_list_carries_the_same_link_and_the_first_keeps_working(client, slots,
                                                                                                printed):
    booking, manage_token, access = _book_and_open_list(client, slots[0])
    # The first print stores the letter link's hash, once; the second writes nothing (a GET that wrote a
    # new link each time broke the first letter's link).
    first_writes = _writes_during(lambda: client.get(f"/afspraak/{access}/brief.pdf"))
    assert [statement.split()[:2] for statement in first_writes] == [["UPDATE", "bookings"]]
    assert _writes_during(lambda: client.get(f"/afspraak/{access}/brief.pdf")) == []
    first, second = printed
    assert first == second and "~" not in first and first != manage_token
    assert first == letter_links.derived_letter_token(booking)
    # The first letter's link and QR code open the client's booking; so does the client's own link.
    assert client.get(f"/afspraak/{first}").status_code == 200
    assert client.get(f"/afspraak/{manage_token}").status_code == 200
    # Printed from the letter's own link, the letter carries that link.
    client.get(f"/afspraak/{first}/brief.pdf")
    assert printed[-1] == first


def test_printing_a_letter_leaves_a_resent_link_working(client, slots, printed):
    booking, manage_token, access = _book_and_open_list(client, slots[0])
    assert tokens.resend_manage_link(booking, now=utcnow()).emailed
    _db.session.commit()
    resent = re.search(r"/afspraak/([\w\-]+)", _last_mail()[1]).group(1)
    assert resent != manage_token
    client.get(f"/afspraak/{access}/brief.pdf")
    assert client.get(f"/afspraak/{resent}").status_code == 200
    assert client.get(f"/afspraak/{manage_token}").status_code == 200


def test_a_new_manage_link_revokes_the_letters_link_and_the_next_letter_gets_a_new_one(client, slots, printed):
    booking, _manage_token, access = _book_and_open_list(client, slots[0])
    client.get(f"/afspraak/{access}/brief.pdf")
    tokens.rotate_token(booking)  # a volunteer's "Nieuwe link" or the reminder's
    _db.session.commit()
    assert booking.letter_token_hash is None
    assert client.get(f"/afspraak/{printed[0]}").status_code == 404
    client.get(f"/afspraak/{access}/brief.pdf")
    assert printed[1] != printed[0]
    assert client.get(f"/afspraak/{printed[1]}").status_code == 200


def test_anonymising_the_booking_clears_the_letters_link(client, slots, printed):
    booking, _manage_token, access = _book_and_open_list(client, slots[0])
    client.get(f"/afspraak/{access}/brief.pdf")
    privacy_services.anonymise_booking(booking, now=utcnow())
    _db.session.commit()
    assert booking.letter_token_hash is None
    assert client.get(f"/afspraak/{printed[0]}").status_code == 404


def test_the_calendar_file_from_the_workers_page_carries_no_link(client, slots):
    _booking, manage_token, access = _book_and_open_list(client, slots[0])
    list_token = access.rpartition("~")[0]
    response = client.get(f"/afspraak/{access}.ics")
    assert response.status_code == 200 and list_token not in response.get_data(as_text=True)
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert "URL" not in event
    # Downloaded through the booking's own link, the file links back to it.
    [own] = Calendar.from_ical(client.get(f"/afspraak/{manage_token}.ics").data).walk("VEVENT")
    assert str(own["URL"]).endswith(f"/afspraak/{manage_token}")


def test_the_move_mail_links_the_letter_through_the_letters_own_link_never_the_list(client, slots, printed):
    booking, _manage_token, access = _book_and_open_list(client, slots[0])
    list_token = access.rpartition("~")[0]
    assert client.post(f"/afspraak/{access}/verplaatsen", data={"slot_id": slots[1].id}).status_code == 302
    mail, text = _last_mail()
    assert "verplaatst" in mail.subject and list_token not in text and "~" not in text
    link = re.search(r"Print de nieuwe brief voor Youssef Amrani \(de oude brief heeft het oude uur\):\n(\S+)\n",
                     text).group(1)
    assert "Geef deze link alleen aan Youssef Amrani." in text
    letter_token = re.fullmatch(r"\S+/afspraak/([\w\-]+)/brief\.pdf", link).group(1)
    assert letter_token == letter_links.derived_letter_token(booking)
    assert client.get(f"/afspraak/{letter_token}").status_code == 200
    # The letter printed from the list afterwards carries the same link as the mail's.
    client.get(f"/afspraak/{access}/brief.pdf")
    assert printed == [letter_token]
