"""Delivering the outbox: every due message once, each claimed and recorded in its own transaction.

Run by the worker after every commit that queued a message (`tasks.deliver_outbox`) and by hand with
`flask --app wsgi send-outbox` (`commands.py`).
"""

from __future__ import annotations

from flask import current_app

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications import email_transport, services
from inschrijving.notifications.sms import SmsTransport, sms_transport_from_config


def send_outbox(*, transport: email_transport.Transport | None = None, sms_transport: SmsTransport | None = None,
                limit: int = 200) -> dict[str, int]:
    """Send every due message once; each one is claimed and recorded in its own transaction."""
    transport = transport or email_transport.transport_from_config(current_app.config)
    sms_transport = sms_transport or sms_transport_from_config(current_app.config)
    sender = current_app.config["MAIL_FROM"]
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for message_id in services.list_due_message_ids(now=utcnow(), limit=limit):
        message = services.claim_message(message_id, now=utcnow())
        db.session.commit()
        if message is None:
            continue
        result = services.deliver_message(message, transport=transport, sender=sender, now=utcnow(),
                                          sms_transport=sms_transport)
        db.session.commit()
        if result.sent:
            counts["sent"] += 1
        elif result.gave_up:
            counts["gave_up"] += 1
        else:
            counts["failed"] += 1
    return counts
