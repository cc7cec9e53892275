"""SMS: segment counting, channel choice, texts in every language, short links, the provider double, opt-out."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import urllib.parse
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import Booking, ReachBy
from inschrijving.booking.services import lifecycle, notices, tokens
from inschrijving.booking.services.base import ContactDetails
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.db_types import utcnow
from inschrijving.notifications import services, shortlinks
from inschrijving.notifications.delivery import send_outbox
from inschrijving.notifications.models import OutboxMessage, ShortLink
from inschrijving.notifications.sms import (
    FolderSmsTransport,
    TwilioSmsTransport,
    is_mobile,
    sms_cost,
)
from inschrijving.tokens import hash_token
from tests.factories.booking import BookingFactory
from tests.factories.planning import SlotFactory
from tests.test_i18n import compile_catalogues, forget_loaded_translations

MOBILE, LANDLINE = "+32470123456", "+3256277200"
SID = "AC" + "0" * 32


# Segments ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "encoding", "segments"), [
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),  # the extension table: two septets each
    ("€" * 81, "GSM-7", 2),
    ("é" * 160, "GSM-7", 1),  # é is in the basic set ...
    ("ê" * 70, "UCS-2", 1),  # ... ê is not: the whole text becomes UCS-2
    ("ş" * 71, "UCS-2", 2),
    ("ş" * 134, "UCS-2", 2),
    ("ş" * 135, "UCS-2", 3),
    ("😀" * 35, "UCS-2", 1),  # outside the BMP: two UTF-16 units
])
def test_segments_are_counted_as_the_network_counts_them(text, encoding, segments):
    cost = sms_cost(text)
    assert (cost.encoding, cost.segments) == (encoding, segments)


def test_mobile_numbers_are_told_from_landlines():
    assert is_mobile(MOBILE) and is_mobile("+31612345678")
    assert not is_mobile(LANDLINE) and not is_mobile(None) and not is_mobile("nonsense")


# Channel choice ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phone", "email", "reach_by", "expected"), [
    (MOBILE, None, ReachBy.BOTH, {"sms"}),
    (LANDLINE, None, ReachBy.BOTH, set()),
    (None, "a@example.org", ReachBy.BOTH, {"email"}),
    (LANDLINE, "a@example.org", ReachBy.SMS, {"email"}),  # no mobile: SMS only cannot be honoured
    (MOBILE, "a@example.org", ReachBy.BOTH, {"sms", "email"}),
    (MOBILE, "a@example.org", ReachBy.SMS, {"sms"}),
    (MOBILE, "a@example.org", ReachBy.EMAIL, {"email"}),
    (MOBILE, None, ReachBy.EMAIL, {"sms"}),  # no address: e-mail only cannot be honoured
])
def test_the_channel_follows_the_contact_data_and_the_choice(phone, email, reach_by, expected):
    booking = SimpleNamespace(phone=phone, email=email, reach_by=reach_by, sms_opted_out_at=None,
                              sms_refused_at=None)
    chosen = {name for name, wanted in (("sms", notices.wants_sms(booking)),
                                        ("email", notices.wants_email(booking))) if wanted}
    assert chosen == expected


def test_an_opted_out_or_refused_number_gets_no_sms_and_e_mail_goes_on():
    for stopped in ({"sms_opted_out_at": utcnow()}, {"sms_refused_at": utcnow()}):
        booking = SimpleNamespace(phone=MOBILE, email="a@example.org", reach_by=ReachBy.SMS,
                                  **{"sms_opted_out_at": None, "sms_refused_at": None, **stopped})
        assert not notices.wants_sms(booking) and notices.wants_email(booking)


def test_the_booking_form_asks_and_an_sms_only_booking_gets_no_confirmation_e_mail(client, db):
    slot = SlotFactory()
    db.session.commit()
    page = client.get(f"/inschrijven/{slot.moment_id}/{slot.id}").get_data(as_text=True)
    assert 'name="reach_by"' in page and "Alleen sms" in page
    response = client.post(f"/inschrijven/{slot.moment_id}/{slot.id}", data={
        "contact_name": "Amina", "phone": "0470 12 34 56", "email": "amina@example.org", "language": "nl",
        "household_size": "1", "booked_by": "self", "reach_by": "sms"})
    assert response.status_code == 302
    booking = db.session.scalars(sa.select(Booking)).one()
    assert booking.reach_by == ReachBy.SMS
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.channel, m.recipient, m.booking_id) for m in messages] == [("sms", MOBILE, booking.id)]


# Texts in every language ----------------------------------------------------------------------------

LONG_BASE_URL = "https://groepsinschrijving.wonenregiokortrijk.be"  # 48 characters: longer than most
LONG_PLACE = "Sociaal Huis Kortrijk, Budastraat 27 - grote zaal op de eerste verdieping"


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
@pytest.mark.parametrize("kind", list(notices.SMS_TEXTS))
def test_every_text_fits_in_two_segments_in_every_language(app, language, kind):
    compile_catalogues()
    forget_loaded_translations(app)
    app.config["PUBLIC_BASE_URL"] = LONG_BASE_URL
    link = LONG_BASE_URL + "/k/" + "x" * 22
    starts = datetime(2027, 8, 17, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # août, Ağustos: longer names
    text = notices.sms_text(kind, language=language, reference="K7F-3QX", starts_at=starts, place=LONG_PLACE,
                            link=link if kind in ("confirmed", "reminder", "offer") else "",
                            deadline=starts - timedelta(days=1) if kind == "offer" else None)
    cost = sms_cost(text)
    assert cost.segments <= 2, (cost, text)
    if kind in ("confirmed", "reminder", "offer"):
        assert text.endswith(link)  # the link is never cut
    if kind != "offer":
        assert "K7F-3QX" in text
    if language == "nl":
        assert cost.encoding == "GSM-7"  # a Dutch text costs the cheap encoding
    if language == "ar":
        assert cost.encoding == "UCS-2" and any("\u0600" <= char <= "\u06ff" for char in text)
    if language != "nl":
        dutch = notices.sms_text(kind, language="nl", reference="K7F-3QX", starts_at=starts, place="X",
                                 deadline=starts if kind == "offer" else None)
        assert text.split()[0] != dutch.split()[0] or language == "en" and kind == "offer"


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_a_shortened_place_never_ends_in_four_dots(app, language):
    # "Sociaal Huis..." before a sentence's full stop read "Sociaal Huis...." (Turkish and Arabic texts).
    compile_catalogues()
    forget_loaded_translations(app)
    starts = datetime(2027, 8, 17, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    for kind in notices.SMS_TEXTS:
        for length in range(20, len(LONG_PLACE) + 1, 3):
            text = notices.sms_text(kind, language=language, reference="K7F-3QX", starts_at=starts,
                                    place=LONG_PLACE[:length] + " en nog een lange gang naar achteren",
                                    link=LONG_BASE_URL + "/k/" + "x" * 22 if kind != "offer" else LONG_BASE_URL,
                                    deadline=starts - timedelta(days=1) if kind == "offer" else None)
            assert "...." not in text, (kind, text)


# Short links ---------------------------------------------------------------------------------------

def test_a_short_link_leads_to_the_manage_page_until_its_token_is_rotated(client, db):
    booking = BookingFactory()
    token = tokens.rotate_token(booking)
    code = shortlinks.create_short_link("manage", token)
    db.session.commit()
    assert len(code) == 22  # 128 random bits
    stored = db.session.scalars(sa.select(ShortLink)).one()
    assert token not in stored.sealed_token and code not in stored.code_hash  # neither is kept in the clear
    response = client.get(f"/k/{code}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/afspraak/{token}")
    assert response.headers["Cache-Control"] == "no-store"
    tokens.rotate_token(db.session.get(Booking, booking.id))  # a reminder or a new link revokes it
    db.session.commit()
    assert client.get(f"/k/{code}").status_code == 404
    assert client.get("/k/" + "y" * 22).status_code == 404
    assert shortlinks.delete_revoked() == 1


def test_an_offer_short_link_dies_with_the_offer(client, db):
    from inschrijving.booking.models import WaitlistEntry

    entry = WaitlistEntry(contact_name="W", phone=MOBILE, offer_token_hash=hash_token("offer-token"))
    db.session.add(entry)
    code = shortlinks.create_short_link("offer", "offer-token")
    db.session.commit()
    assert client.get(f"/k/{code}").headers["Location"].endswith("/aanbod/offer-token")
    db.session.get(WaitlistEntry, entry.id).offer_token_hash = None
    db.session.commit()
    assert client.get(f"/k/{code}").status_code == 404


def test_the_confirmation_sms_carries_a_short_link_to_the_new_booking(app, client, db):
    slot = SlotFactory()
    issued = lifecycle.book_slot(slot.id, details=ContactDetails(contact_name="A", phone=MOBILE), now=utcnow())
    db.session.commit()
    text = db.session.scalars(sa.select(OutboxMessage)).one().body_text
    assert issued.reference in text and issued.token not in text
    path = urllib.parse.urlsplit(text.rsplit(" ", 1)[-1]).path
    assert client.get(path).headers["Location"].endswith(f"/afspraak/{issued.token}")


# Development delivery -------------------------------------------------------------------------------

def test_in_development_each_sms_is_a_file_next_to_the_emails_and_the_log_names_no_number(app, db, caplog):
    caplog.set_level(logging.DEBUG)
    booking = BookingFactory(phone=MOBILE)
    token = tokens.rotate_token(booking)
    notices.queue_reminder(booking, token, now=utcnow(), dedupe_key="reminder:test")
    db.session.commit()
    assert send_outbox() == {"sent": 2, "failed": 0, "gave_up": 0}
    folder = Path(app.config["OUTBOX_FOLDER"])
    assert sorted(p.suffix for p in folder.iterdir()) == [".eml", ".sms"]
    sms_file = next(folder.glob("*.sms")).read_text()
    assert sms_file.startswith(f"To: {MOBILE}\n") and "/k/" in sms_file
    assert MOBILE not in caplog.text and token not in caplog.text and "/k/" not in caplog.text
    # A second delivery of the same message (a worker killed before it recorded the first) writes nothing new.
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "sms")).one()
    FolderSmsTransport(folder).send(to=MOBILE, body="again", key=message.idempotency_key)
    assert next(folder.glob("*.sms")).read_text() == sms_file


# The provider double ----------------------------------------------------------------------------------

class FakeTwilio(BaseHTTPRequestHandler):
    """Twilio's Messages endpoint as documented: form-encoded POST with basic auth, JSON answers."""

    def do_POST(self):  # noqa: N802 - http.server's name
        server = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.requests.append({"path": self.path, "auth": self.headers["Authorization"],
                                "form": dict(urllib.parse.parse_qsl(body.decode()))})
        action = server.script.pop(0) if server.script else "ok"
        if action == "slow":
            time.sleep(1.0)
            action = "ok"
        if action == "ok":
            status, answer = 201, {"sid": "SM" + "1" * 32, "status": "queued", "account_sid": SID,
                                   "to": server.requests[-1]["form"].get("To"), "body": "..."}
        elif action == "5xx":
            status, answer = 503, {"code": 20500, "message": "Service unavailable", "status": 503}
        else:
            status, answer = 400, {"code": 21211, "message": "The 'To' number is not valid.", "status": 400,
                                   "more_info": "https://www.twilio.com/docs/errors/21211"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio():
    server = ThreadingHTTPServer(("127.0.0.1", 5262), FakeTwilio)
    server.requests, server.script = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def provider(app, twilio):
    app.config.update(SMS_PROVIDER="twilio", TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN="auth-secret",
                      TWILIO_FROM="Woonclub", TWILIO_API_BASE_URL="http://127.0.0.1:5262", SMS_TIMEOUT_SECONDS=0.3)
    return TwilioSmsTransport(account_sid=SID, auth_token="auth-secret", sender="Woonclub",
                              base_url="http://127.0.0.1:5262", timeout=0.3)


def queued_sms(booking: Booking) -> OutboxMessage:
    message = services.queue_message(booking.phone, "sms:test", "Afspraak K7F-3QX bevestigd.", channel="sms",
                                     booking_id=booking.id)
    from inschrijving.extensions import db

    db.session.flush()
    return message


def deliver(message: OutboxMessage, transport, now: datetime):
    return services.deliver_message(message, transport=None, sender="x@example.org", now=now,
                                    sms_transport=transport)


def test_the_provider_gets_the_documented_request(db, twilio, provider, caplog):
    caplog.set_level(logging.DEBUG)
    message = queued_sms(BookingFactory(phone=MOBILE))
    assert deliver(message, provider, utcnow()).sent
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:auth-secret".encode()).decode()
    assert request["form"] == {"To": MOBILE, "From": "Woonclub", "Body": "Afspraak K7F-3QX bevestigd."}
    assert message.provider_ref == "SM" + "1" * 32 and message.sent_at is not None
    assert MOBILE not in caplog.text and "auth-secret" not in caplog.text


def test_5xx_and_timeouts_are_retried_with_backoff(db, twilio, provider):
    message = queued_sms(BookingFactory(phone=MOBILE))
    twilio.script = ["5xx", "slow"]
    now = utcnow()
    assert not deliver(message, provider, now).sent
    assert message.next_attempt_at == now + timedelta(minutes=5) and "503" in message.last_error
    later = message.next_attempt_at
    assert not deliver(message, provider, later).sent  # the provider did not answer within the timeout
    assert message.next_attempt_at == later + timedelta(minutes=10) and "unreachable" in message.last_error
    assert deliver(message, provider, message.next_attempt_at).sent
    assert len(twilio.requests) == 3 and message.attempts == 3 and message.failed_at is None


def test_a_refused_number_is_not_retried_and_staff_see_it(db, twilio, provider):
    from inschrijving.notifications.queries import delivery_status_by_booking

    booking = BookingFactory(phone=MOBILE)
    message = queued_sms(booking)
    twilio.script = ["refuse"]
    result = deliver(message, provider, utcnow())
    assert result.gave_up and message.failed_at is not None and message.next_attempt_at is None
    db.session.refresh(booking)
    assert booking.sms_refused_at is not None and not notices.wants_sms(booking)
    assert delivery_status_by_booking([booking.id])[booking.id].status == "refused"
    assert send_outbox()["sent"] == 0 and len(twilio.requests) == 1  # never asked again


# Opt-out ---------------------------------------------------------------------------------------------

def test_the_candidate_stops_sms_from_the_manage_page(client, db):
    booking = BookingFactory(phone=MOBILE)
    token = tokens.rotate_token(booking)
    db.session.commit()
    page = client.get(f"/afspraak/{token}").get_data(as_text=True)
    assert "Geen sms meer" in page
    response = client.post(f"/afspraak/{token}/sms-stoppen")
    assert response.status_code == 302
    booking = db.session.get(Booking, booking.id)
    assert booking.sms_opted_out_at is not None
    assert "Geen sms meer" not in client.get(f"/afspraak/{token}").get_data(as_text=True)
    lifecycle.cancel_by_candidate(booking, now=utcnow())
    assert [m.channel for m in db.session.scalars(sa.select(OutboxMessage))] == ["email"]
