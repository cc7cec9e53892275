"""Links and plain-text pieces that every message of a booking uses (e-mail, SMS, calendar file, letter)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app

from inschrijving.booking.models import Booking
from inschrijving.booking.services.seats import BookingDraft
from inschrijving.config import RTL_LANGUAGES


def public_url(path: str) -> str:
    """An absolute link for e-mails and letters, built from PUBLIC_BASE_URL (never from a request)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def manage_url(token: str) -> str:
    return public_url(f"/afspraak/{token}")


def letter_url(token: str) -> str:
    """The printable letter of the booking a manage token opens."""
    return manage_url(token) + "/brief.pdf"


def offer_url(token: str) -> str:
    return public_url(f"/aanbod/{token}")


def calendar_host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


def isolated(value: str, language: str) -> str:
    """A reference or number inside text of a right-to-left language, in Unicode isolates (plain text: a subject,
    a calendar title), so "499-EJP" never shows as "EJP-499"."""
    return f"\u2066{value}\u2069" if language in RTL_LANGUAGES else value


def ref(booking: Booking | BookingDraft) -> str:
    """The booking's reference in its messages' text, isolated in a right-to-left language."""
    return isolated(booking.reference, booking.message_language)


def local_time(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def info_offer_url(token: str) -> str:
    return public_url(f"/hulpverleners/aanbod/{token}")
