"""The letter's own link: the manage link a letter printed by the booker carries, the same on every reprint.

A worker prints the client's letter from their list link, whose token is theirs (`worker_access`), and a
move mail tells them to print it anew. The client's own manage token is stored only as a hash, so the
letter gets a token of its own, derived from the server secret: HMAC(SECRET_KEY, "letter:<id>:<token
hash>"). Reprints carry the same link without storing the plain token; only its hash is kept
(`Booking.letter_token_hash`), set once, when the first letter or move mail needs it. The token hash is in
the message, so a revoked manage link (`tokens.rotate_token`: a new link from a volunteer, or the
reminder's) revokes the letter's link as well, and the next letter carries a new one (docs/booking.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

from inschrijving.booking.models import Booking
from inschrijving.booking.services import worker_access
from inschrijving.extensions import db
from inschrijving.tokens import hash_token


def derived_letter_token(booking: Booking) -> str:
    """The letter token of the booking as it is now; writes nothing."""
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else secret.encode("utf-8")
    message = f"letter:{booking.id}:{booking.token_hash}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def letter_token(booking: Booking) -> str:
    """The booking's letter token, its hash stored when it is not yet (the only write, once per manage link).

    Idempotent: a second call (a reprint) finds the hash in place and writes nothing. A stale hash (the
    server secret changed) is replaced, so a printed link always opens the booking.
    """
    token = derived_letter_token(booking)
    token_hash = hash_token(token)
    if booking.letter_token_hash != token_hash:
        booking.letter_token_hash = token_hash
        db.session.flush()
    return token


def token_for_letter(booking: Booking, token: str) -> str:
    """The manage token a letter carries, for the link that asked for it: a manage link (or a letter's) prints
    itself; a worker's list link, which is not the client's to keep, prints the booking's letter token."""
    return letter_token(booking) if worker_access.is_access_token(token) else token
