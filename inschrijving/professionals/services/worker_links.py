"""A social worker's list of the bookings they made: a signed, expiring link sent to their work e-mail.

No account and no password: whoever reads the work mailbox sees the bookings made with that address as
`social_worker_email`, and nothing else, and opens each one's pages through the link
(`booking.services.worker_access`), never with a new manage link for the client. Asking for the link says
the same whether or not there are any (no page reveals whether someone booked a client).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from inschrijving.booking.services import links
from inschrijving.booking.services.worker_access import LINK_DAYS, list_token
from inschrijving.notifications.services import queue_message
from inschrijving.professionals import queries


def send_worker_link(worker_email: str, *, language: str, now: datetime) -> bool:
    """E-mail the list link to a work address that made bookings; returns whether a mail was queued."""
    if not queries.worker_has_bookings(worker_email, now=now):
        return False
    with force_locale(language):
        subject = _("De afspraken die u maakte voor uw cliënten")
    queue_message(worker_email, subject, template="emails/worker_bookings.txt", language=language, context={
        "link": links.public_url(f"/hulpverleners/mijn-afspraken/{list_token(worker_email)}"),
        "days": LINK_DAYS,
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    })
    return True
