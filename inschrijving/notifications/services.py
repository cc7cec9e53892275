"""Outbox rules: queue a message in the caller's transaction, deliver pending messages later."""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from inschrijving.booking.models import Booking
from inschrijving.extensions import db
from inschrijving.notifications import queue
from inschrijving.notifications.email_transport import Transport
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.sms import (
    SmsError,
    SmsRefused,
    SmsTransport,
    sms_transport_from_config,
)
from inschrijving.rendering.ical import spec_to_ical

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_RETRY_MINUTES = 5
# A claimed message is skipped by other senders for this long, so two timers never send it twice.
CLAIM_LEASE = timedelta(minutes=10)


class NotificationError(Exception):
    """Base class for outbox rule violations."""


class DuplicateMessage(NotificationError):
    """A message with this dedupe key was queued before."""


def queue_message(
    recipient: str,
    subject: str,
    body_text: str | None = None,
    body_html: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    dedupe_key: str | None = None,
    *,
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
    channel: str = "email",
    booking_id: int | None = None,
) -> OutboxMessage:
    """Queue one e-mail in the current transaction; it leaves only if that transaction commits.

    The body is either `body_text`, or a `template` with its `context` (plain values: strings,
    numbers, dates, lists and dicts of them) rendered in `language` when the message is sent:
    a snapshot of what was true now, without the cost of rendering it in the request.
    Attachments are dicts with filename, content_type and one of: data (bytes), data_b64, or
    calendar (a `rendering.ical.calendar_spec`, rendered into its file when the message is sent).
    An SMS (`channel="sms"`) has the number as recipient and its whole text as body_text.
    The worker is asked to deliver it as soon as the transaction commits (`deliver_after_commit`).
    Raises DuplicateMessage when dedupe_key was used before.
    """
    message = OutboxMessage(**_message_values(
        recipient, subject, body_text, body_html, attachments, dedupe_key,
        template=template, context=context, language=language,
    ), channel=channel, booking_id=booking_id)
    if dedupe_key is None:
        # No flush: the row goes out with the caller's commit, one round trip fewer per booking.
        db.session.add(message)
        deliver_after_commit()
        return message
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        raise DuplicateMessage(dedupe_key)
    try:
        # A savepoint keeps the caller's transaction usable when a parallel run won the race.
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError as exc:
        raise DuplicateMessage(dedupe_key) from exc
    deliver_after_commit()
    return message


def deliver_after_commit() -> None:
    """Have the worker deliver the outbox once the current transaction commits (nothing if it rolls back)."""
    queue.after_commit("deliver_outbox")


def render_packet_section_after_commit(dossier_id: int) -> None:
    """Have the worker render a completed dossier's packet section once the completion commits."""
    queue.after_commit("render_packet_section", dossier_id)


def templated_message_row(
    recipient: str,
    subject: str,
    *,
    template: str,
    context: Mapping[str, Any],
    language: str,
    attachments: list[dict[str, Any]] | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any]:
    """The outbox row of a templated e-mail, for the one writer that inserts it in its own statement.

    That is the public booking (`booking.services.seats.write_booking`), where the ORM unit of work costs
    more than the row. Everything else queues with `queue_message`.
    """
    deliver_after_commit()
    return _message_values(recipient, subject, None, None, attachments, dedupe_key,
                           template=template, context=context, language=language)


def _message_values(recipient: str, subject: str, body_text: str | None, body_html: str | None,
                    attachments: list[dict[str, Any]] | None, dedupe_key: str | None, *,
                    template: str | None, context: Mapping[str, Any] | None, language: str | None) -> dict[str, Any]:
    if (body_text is None) == (template is None):
        raise ValueError("queue_message needs either body_text or a template")
    return {
        "recipient": recipient,
        "subject": subject[:200],
        "body_text": body_text,
        "body_html": body_html,
        "template": template,
        "context": _to_json(context) if template else None,
        "language": language,
        "attachments": [_stored_attachment(a) for a in attachments or []],
        "dedupe_key": dedupe_key,
    }


def _stored_attachment(attachment: Mapping[str, Any]) -> dict[str, Any]:
    stored = {
        "filename": attachment["filename"],
        "content_type": attachment.get("content_type", "application/octet-stream"),
    }
    if "calendar" in attachment:
        stored["calendar"] = attachment["calendar"]
        return stored
    data_b64 = attachment.get("data_b64")
    if data_b64 is None:
        data_b64 = base64.b64encode(attachment["data"]).decode("ascii")
    stored["data_b64"] = data_b64
    return stored


def _to_json(value: Any) -> Any:
    # Dates and times keep their type (and offset) through the JSON column.
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"an outbox template context holds plain values, not {type(value).__name__}")


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        if value.keys() == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {key: _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def message_text(message: OutboxMessage) -> str:
    """The plain-text body: as queued, or its template rendered in its language from the queued context."""
    if message.body_text is not None:
        return message.body_text
    with force_locale(message.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template(message.template, **_from_json(message.context or {}))


def attachment_data(attachment: Mapping[str, Any]) -> bytes:
    """The bytes of a stored attachment: decoded, or rendered from its calendar description."""
    if "calendar" in attachment:
        return spec_to_ical(attachment["calendar"])
    return base64.b64decode(attachment["data_b64"])


def build_email(message: OutboxMessage, *, sender: str) -> EmailMessage:
    """Turn an outbox row into a MIME message."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    # Stable across retries (the message's idempotency key and when it was queued), so a receiver, and the
    # folder transport, can tell a repeated delivery from a new message.
    email["Message-ID"] = f"<{message.idempotency_key}.{message.created_at:%Y%m%d%H%M%S}@{_domain_of(sender)}>"
    email.set_content(message_text(message))
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or []:
        maintype, _slash, subtype = attachment["content_type"].partition(";")[0].partition("/")
        params = {}
        if "method=" in attachment["content_type"]:
            params["method"] = attachment["content_type"].split("method=", 1)[1].strip()
        email.add_attachment(
            attachment_data(attachment),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment["filename"],
            params=params,
        )
    return email


def _domain_of(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rpartition("@")[2] or "localhost"


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5, 10, 20, 40 ... minutes after the first, second, third failure."""
    return timedelta(minutes=FIRST_RETRY_MINUTES * 2 ** max(attempts - 1, 0))


def list_due_message_ids(*, now: datetime, limit: int = 200) -> list[int]:
    """Ids of messages that are neither sent nor given up on and whose next attempt is due."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
                sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def claim_lease() -> timedelta:
    seconds = current_app.config.get("OUTBOX_CLAIM_LEASE_SECONDS")
    return timedelta(seconds=int(seconds)) if seconds else CLAIM_LEASE


def claim_message(message_id: int, *, now: datetime) -> OutboxMessage | None:
    """Lease one due message to this sender (one conditional UPDATE), or None if another sender has it."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .values(next_attempt_at=now + claim_lease())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    return message


@dataclass
class DeliveryResult:
    sent: bool
    error: str | None = None
    gave_up: bool = False


def deliver_message(
    message: OutboxMessage, *, transport: Transport, sender: str, now: datetime, max_attempts: int = MAX_ATTEMPTS,
    sms_transport: SmsTransport | None = None,
) -> DeliveryResult:
    """Try to send one claimed message; record success, or the error and the next attempt."""
    message.attempts += 1
    if message.channel == "sms":
        return _deliver_sms(message, transport=sms_transport or sms_transport_from_config(current_app.config),
                            now=now, max_attempts=max_attempts)
    try:
        if message.body_text is None:
            # Rendered once and kept: the record of what was sent, and no second render on a retry.
            message.body_text = message_text(message)
        email = build_email(message, sender=sender)
    except Exception as exc:  # a template or attachment that cannot be rendered must not stop the others
        log.exception("outbox: message %s could not be rendered", message.id)
        return _record_failure(message, exc, now=now, max_attempts=max_attempts)
    try:
        transport.send(email)
    except (smtplib.SMTPException, OSError) as exc:
        return _record_failure(message, exc, now=now, max_attempts=max_attempts)
    message.sent_at = now
    message.next_attempt_at = None
    message.last_error = None
    return DeliveryResult(sent=True)


def _deliver_sms(message: OutboxMessage, *, transport: SmsTransport, now: datetime,
                 max_attempts: int) -> DeliveryResult:
    try:
        reference = transport.send(to=message.recipient, body=message.body_text or "", key=message.idempotency_key)
    except SmsRefused as exc:
        # Retrying cannot help: give up now, and put it on the booking so staff see it and no SMS follows.
        message.last_error = str(exc)
        message.failed_at = now
        message.next_attempt_at = None
        if message.booking_id is not None:
            db.session.execute(
                sa.update(Booking).where(Booking.id == message.booking_id).values(sms_refused_at=now)
                .execution_options(synchronize_session=False)
            )
        log.warning("outbox: sms %s refused: %s", message.id, exc)
        return DeliveryResult(sent=False, error=message.last_error, gave_up=True)
    except (SmsError, OSError) as exc:
        return _record_failure(message, exc, now=now, max_attempts=max_attempts)
    message.provider_ref = reference
    message.sent_at = now
    message.next_attempt_at = None
    message.last_error = None
    return DeliveryResult(sent=True)


def _record_failure(message: OutboxMessage, exc: Exception, *, now: datetime, max_attempts: int) -> DeliveryResult:
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= max_attempts:
        message.failed_at = now
        message.next_attempt_at = None
        log.warning("outbox: gave up on message %s after %s attempts: %s",
                    message.id, message.attempts, message.last_error)
        return DeliveryResult(sent=False, error=message.last_error, gave_up=True)
    message.next_attempt_at = now + retry_delay(message.attempts)
    log.warning("outbox: message %s failed (attempt %s), retry at %s",
                message.id, message.attempts, message.next_attempt_at.isoformat())
    return DeliveryResult(sent=False, error=message.last_error)
