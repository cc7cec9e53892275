"""A social worker's way into the bookings they made: the list link sent to their work e-mail, and through it
each booking's pages, without an account and without touching the client's own manage link.

The list link is a signed, expiring token of the work address (`list_token`). A booking opens from it at
`/afspraak/<list token>~<booking id>`, the booking's usual pages: the link must still be valid, and the
booking must have been made with that work address. The client's manage token (stored only as a hash, on
their letter and QR code) is never rotated for it (docs/booking.md, "The worker's list").
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from inschrijving.booking.models import Booking
from inschrijving.extensions import db

LINK_DAYS = 7
_SALT = "worker-bookings"
# Never in an itsdangerous URL-safe token, so a booking's access token splits in one way only.
_SEPARATOR = "~"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def list_token(worker_email: str) -> str:
    """The token of a worker's list link: their work address, signed (readable by them alone, in their mailbox)."""
    return _serializer().dumps(worker_email)


def email_from_token(token: str) -> str | None:
    """The work e-mail a list link was made for, or None when it is forged or older than LINK_DAYS."""
    try:
        return _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        return None


def access_token(token: str, booking: Booking) -> str:
    """The token that opens one booking's pages from a worker's list link."""
    return f"{token}{_SEPARATOR}{booking.id}"


def is_access_token(token: str) -> bool:
    return _SEPARATOR in token


def list_token_of(token: str) -> str | None:
    """The list link an access token came from (for the way back to the list), None for a manage token."""
    return token.rpartition(_SEPARATOR)[0] if is_access_token(token) else None


def booking_for_access(token: str) -> Booking | None:
    """The booking an access token opens: the list link still valid and the booking made by that worker."""
    link, _, booking_id = token.rpartition(_SEPARATOR)
    if not link or not booking_id.isdigit():
        return None
    email = email_from_token(link)
    if email is None:
        return None
    booking = db.session.get(Booking, int(booking_id))
    if booking is None or booking.social_worker_email != email or booking.anonymised_at is not None:
        return None
    return booking
