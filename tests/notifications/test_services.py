from __future__ import annotations

import email
import logging
import socketserver
import threading
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from icalendar import Calendar

from inschrijving.booking.services import lifecycle, links
from inschrijving.booking.services.base import ContactDetails
from inschrijving.db_types import utcnow
from inschrijving.notifications import email_transport, services
from inschrijving.notifications.commands import send_outbox
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from tests.factories.planning import SlotFactory


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server
        self.reply("220 test-smtp ready")
        while True:
            line = self.rfile.readline().decode().rstrip("\r\n")
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test-smtp")
            elif verb == "MAIL":
                self.reply("451 try again later" if server.refuse else "250 OK")
            elif verb in ("RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.received.append(email.message_from_bytes(b"".join(lines), policy=policy.default))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.received: list = []
        self.refuse = False


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    # shutdown() waits for the loop's next poll: the default half second, four times a run, was only waiting.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def smtp_transport(server) -> email_transport.SmtpTransport:
    return email_transport.SmtpTransport("127.0.0.1", server.server_address[1], tls=False, timeout=5)


def queue(n: int = 1, **kwargs) -> OutboxMessage:
    return services.queue_message(
        f"kandidaat{n}@example.org", f"Onderwerp {n}", "Tekst met https://x.example/afspraak/geheim", **kwargs
    )


def test_send_outbox_delivers_over_a_real_smtp_socket_once(app, db, smtp_server):
    message = queue(attachments=[{"filename": "afspraak.ics", "content_type": "text/calendar; method=PUBLISH",
                                  "data": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}])
    db.session.commit()
    counts = send_outbox(transport=smtp_transport(smtp_server))
    assert counts == {"sent": 1, "failed": 0, "gave_up": 0}
    [received] = smtp_server.received
    assert received["To"] == "kandidaat1@example.org"
    assert received["Subject"] == "Onderwerp 1"
    attachment = next(received.iter_attachments())
    assert attachment.get_filename() == "afspraak.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 1
    assert send_outbox(transport=smtp_transport(smtp_server)) == {"sent": 0, "failed": 0, "gave_up": 0}
    assert len(smtp_server.received) == 1


def test_a_refusing_server_gets_retries_with_backoff_then_gives_up(app, db, smtp_server):
    smtp_server.refuse = True
    message = queue()
    db.session.commit()
    assert send_outbox(transport=smtp_transport(smtp_server))["failed"] == 1
    db.session.refresh(message)
    assert message.attempts == 1 and "451" in message.last_error
    first_retry = message.next_attempt_at - utcnow()
    assert timedelta(minutes=4) < first_retry <= timedelta(minutes=5)
    # Not due yet: a second run right away leaves it alone.
    assert send_outbox(transport=smtp_transport(smtp_server)) == {"sent": 0, "failed": 0, "gave_up": 0}

    now = message.next_attempt_at
    delays = []
    while message.failed_at is None:
        claimed = services.claim_message(message.id, now=now)
        assert claimed is not None
        result = services.deliver_message(claimed, transport=smtp_transport(smtp_server), sender="a@b.example",
                                          now=now)
        if message.next_attempt_at:
            delays.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert result.gave_up and message.attempts == services.MAX_ATTEMPTS
    assert delays == [timedelta(minutes=5 * 2**k) for k in range(1, services.MAX_ATTEMPTS - 1)]
    assert services.list_due_message_ids(now=now + timedelta(days=30)) == []


def test_without_smtp_each_message_becomes_an_eml_file_and_a_log_line(app, db, caplog):
    queue()
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="inschrijving.notifications"):
        assert send_outbox()["sent"] == 1
    [eml] = list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))
    parsed = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Onderwerp 1"
    assert eml.name in caplog.text
    # Bodies carry private links, subjects references, headers addresses: the log keeps none of them,
    # because logs outlive the retention purge.
    for private in ("geheim", "Onderwerp 1", "kandidaat1@example.org"):
        assert private not in caplog.text


def test_dedupe_key_queues_a_message_once(app, db):
    queue(dedupe_key="reminder:1:0")
    with pytest.raises(services.DuplicateMessage):
        queue(2, dedupe_key="reminder:1:0")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_a_claimed_message_is_not_claimed_twice(app, db):
    message = queue()
    db.session.flush()
    now = utcnow()
    assert services.claim_message(message.id, now=now) is not None
    assert services.claim_message(message.id, now=now) is None
    assert services.claim_message(message.id, now=now + services.CLAIM_LEASE) is not None


def test_a_templated_booking_mail_is_rendered_by_the_sender_in_the_candidates_language(app, db, smtp_server):
    # The booking request only stores the template and what it shows; the sender writes the mail.
    details = ContactDetails("Amina", email="amina@example.org", language="fr")
    issued = lifecycle.book_slot(SlotFactory().id, details=details, now=utcnow())
    booking = issued.booking
    db.session.commit()
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.body_text is None and message.template == "emails/booking_confirmed.txt"
    assert message.language == "fr" and message.context["booking"]["reference"] == booking.reference
    assert "data_b64" not in message.attachments[0]

    assert send_outbox(transport=smtp_transport(smtp_server)) == {"sent": 1, "failed": 0, "gave_up": 0}
    [received] = smtp_server.received
    body = received.get_body(("plain",)).get_content()
    assert booking.reference in body and f"/afspraak/{issued.token}" in body
    starts = links.local_time(booking.slot.starts_at)
    assert format_date(starts, "EEEE d MMMM y", locale="fr") in body  # the day in French
    assert f"{starts:%H:%M}" in body  # the Brussels wall-clock time, not UTC
    assert "- Votre carte d'identité ou votre passeport." in body  # the checklist, translated
    calendar = next(received.iter_attachments())
    assert calendar.get_filename() == "afspraak.ics"
    event = Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.slot.starts_at
    db.session.refresh(message)
    assert message.body_text.split() == body.split()  # kept: the record of what was sent
    assert message_text(message) == message.body_text


def test_the_snapshot_is_what_the_mail_says_even_after_the_booking_moved(app, db):
    booking = lifecycle.book_slot(SlotFactory().id, details=ContactDetails("Jan", email="jan@example.org"),
                                  now=utcnow()).booking
    first_start = links.local_time(booking.slot.starts_at)
    booking.slot = SlotFactory(moment=booking.moment, starts_at=booking.slot.starts_at + timedelta(hours=2),
                               ends_at=booking.slot.ends_at + timedelta(hours=2))
    db.session.flush()
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert f"{first_start:%H:%M}" in message_text(message)


def test_a_message_that_cannot_be_rendered_is_retried_and_does_not_stop_the_others(app, db, smtp_server, caplog):
    broken = services.queue_message("a@example.org", "Kapot", template="emails/does_not_exist.txt", context={},
                                    language="nl")
    queue(2)
    db.session.commit()
    with caplog.at_level(logging.ERROR, logger="inschrijving.notifications.services"):
        counts = send_outbox(transport=smtp_transport(smtp_server))
    assert counts == {"sent": 1, "failed": 1, "gave_up": 0}
    db.session.refresh(broken)
    assert broken.sent_at is None and broken.body_text is None and "does_not_exist" in broken.last_error
    assert "a@example.org" not in caplog.text and "Kapot" not in caplog.text


def test_a_message_needs_a_body_or_a_template_and_a_plain_context(app, db):
    with pytest.raises(ValueError):
        services.queue_message("a@example.org", "Niets")
    with pytest.raises(ValueError):
        services.queue_message("a@example.org", "Allebei", "tekst", template="emails/reminder.txt")
    with pytest.raises(TypeError):
        services.queue_message("a@example.org", "Object", template="emails/reminder.txt", context={"x": object()})
    # The database holds the same rule.
    db.session.add(OutboxMessage(recipient="a@example.org", subject="Leeg", attachments=[]))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
