"""References read out over the phone, and the manage link: its token, a new one on request, a lost one resent."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inschrijving.accounts.models import User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.booking.models import Booking
from inschrijving.booking.services import notices
from inschrijving.booking.services.base import BookingNotChangeable
from inschrijving.extensions import db
from inschrijving.tokens import new_token

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: references are read out over the phone and typed from paper.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_reference(choose: Callable[[str], str] = secrets.choice) -> str:
    """A fresh reference such as K7F-3QX; the demo seeding passes its seeded random choice."""
    chars = "".join(choose(REFERENCE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def rotate_token(booking: Booking) -> str:
    """Give the booking a new manage token; the old link (and a resent one, and the letter's) stops working.

    The letter's link goes too: a new link is asked for when a letter was lost or shared, and the reminder
    that rotates says the old letter no longer works. The next letter carries a new one (`letter_links`).
    """
    token, token_hash = new_token()
    booking.token_hash = token_hash
    booking.next_token_hash = None
    booking.letter_token_hash = None
    db.session.flush()
    return token


def reissue_manage_link(booking: Booking, *, actor: User, ip: str | None, now: datetime) -> str:
    """Revoke the booking's manage link and issue a new one, at the candidate's request to a volunteer.

    The old link stops working at once (a lost or shared letter); the new one is e-mailed when the
    booking has an address, and the volunteer can print it. Returns the new token, shown once.
    """
    if not booking.can_reissue_link:
        raise BookingNotChangeable(booking.reference)
    token = rotate_token(booking)
    if booking.email:
        notices.queue_manage_link(booking, token, now=now)
    account_audit.record_audit(actor=actor, action="booking.link_reissued", object_type="booking",
                                  object_id=booking.id, ip=ip)
    return token


@dataclass(frozen=True)
class ResendOutcome:
    """emailed: a fresh link went to the booking's e-mail; otherwise the candidate must call."""

    emailed: bool
    booking: Booking


def resend_manage_link(booking: Booking, *, now: datetime, already_registered: bool = False) -> ResendOutcome:
    """Send a second manage link to the booking's e-mail address; the first link keeps working.

    Only the address on the booking ever receives it, and the page answers the same whether or not a
    booking was found, so asking reveals nothing to the asker. Anyone may ask (a phone number is enough),
    so the candidate's own link is never revoked here: the new link is stored next to it, and a later
    resend replaces only that second link. Revoking is a volunteer's act (`reissue_manage_link`).
    `already_registered`: asked by a second registration with the booking's address (the mail says so).
    """
    if not booking.email or not booking.is_live:
        return ResendOutcome(emailed=False, booking=booking)
    token, token_hash = new_token()
    booking.next_token_hash = token_hash
    db.session.flush()
    notices.queue_manage_link(booking, token, now=now, old_link_works=True, already_registered=already_registered)
    return ResendOutcome(emailed=True, booking=booking)
