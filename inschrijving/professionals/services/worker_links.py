"""A social worker's list of the bookings they made: a signed, expiring link sent to their work e-mail.

No account and no password: whoever reads the work mailbox sees the bookings made with that address as
`social_worker_email`, and nothing else. Asking for the link says the same whether or not there are any
(no page reveals whether someone booked a client).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from inschrijving.booking.models import Booking
from inschrijving.booking.services import notices
from inschrijving.booking.services.base import BookingNotChangeable
from inschrijving.booking.services.tokens import rotate_token
from inschrijving.notifications.services import queue_message
from inschrijving.professionals import queries

LINK_DAYS = 7
_SALT = "worker-bookings"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def link_token(worker_email: str) -> str:
    return _serializer().dumps(worker_email)


def email_from_token(token: str) -> str | None:
    """The work e-mail a link was made for, or None when it is forged or older than LINK_DAYS."""
    try:
        return _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        return None


def send_worker_link(worker_email: str, *, language: str, now: datetime) -> bool:
    """E-mail the list link to a work address that made bookings; returns whether a mail was queued."""
    if not queries.worker_has_bookings(worker_email, now=now):
        return False
    with force_locale(language):
        subject = _("De afspraken die u maakte voor uw cliënten")
    queue_message(worker_email, subject, template="emails/worker_bookings.txt", language=language, context={
        "link": notices.public_url(f"/hulpverleners/mijn-afspraken/{link_token(worker_email)}"),
        "days": LINK_DAYS,
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    })
    return True


def open_manage_link(booking: Booking, *, worker_email: str) -> str:
    """A fresh manage token for a booking this worker made (the booking's previous link stops working)."""
    if booking.social_worker_email != worker_email or not booking.is_live:
        raise BookingNotChangeable(booking.id)
    return rotate_token(booking)
