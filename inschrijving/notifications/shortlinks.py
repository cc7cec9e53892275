"""Short links for SMS: `/k/<code>` stands for a manage link (`/afspraak/<token>`) or an offer link (`/aanbod/<token>`).

The code has 128 random bits (`secrets`, as the manage token; 22 characters instead of 43, because an SMS
has room for little). The database keeps only the code's SHA-256 and the token sealed with a key derived
from the code, so a copy of the database opens no link. A short link works only while the token it seals
is the current one: a new manage token (reminder, new link) or a closed offer revokes it with the token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from inschrijving.extensions import db
from inschrijving.notifications.models import ShortLink
from inschrijving.tokens import hash_token

CODE_BYTES = 16  # 128 bits
KINDS = ("manage", "offer")


def _lookup_hash(code: str) -> str:
    return hashlib.sha256(b"short-link:" + code.encode("utf-8")).hexdigest()


def _fernet(code: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"short-link-key:" + code.encode("utf-8")).digest()))


def create_short_link(kind: str, token: str) -> str:
    """Store a short code for this token (in the caller's transaction) and return the code."""
    if kind not in KINDS:
        raise ValueError(kind)
    code = secrets.token_urlsafe(CODE_BYTES)
    db.session.add(ShortLink(
        code_hash=_lookup_hash(code), kind=kind,
        token_hash=hash_token(token),
        sealed_token=_fernet(code).encrypt(token.encode("utf-8")).decode("ascii"),
    ))
    return code


@dataclass(frozen=True)
class ResolvedLink:
    kind: str
    token: str
    token_hash: str


def resolve_short_link(code: str) -> ResolvedLink | None:
    """The kind and token a code stands for, or None for an unknown code.

    The caller checks that the token is still the current one (`is_current_token`): that is the revocation.
    """
    if not code or len(code) > 64:
        return None
    link = db.session.scalar(sa.select(ShortLink).where(ShortLink.code_hash == _lookup_hash(code)))
    if link is None:
        return None
    try:
        token = _fernet(code).decrypt(link.sealed_token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return None
    return ResolvedLink(kind=link.kind, token=token, token_hash=link.token_hash)


def is_current_token(link: ResolvedLink) -> bool:
    """Whether the booking or offer still has the token the link seals (not rotated, not revoked)."""
    from inschrijving.booking.models import Booking, WaitlistEntry

    if link.kind == "manage":
        column = Booking.token_hash
    else:
        column = WaitlistEntry.offer_token_hash
    return db.session.scalar(sa.select(sa.literal(True)).where(column == link.token_hash)) is not None


def delete_revoked(*, limit: int = 1000) -> int:
    """Remove short links whose token is no longer current (run by the nightly purge)."""
    from inschrijving.booking.models import Booking, WaitlistEntry

    live = sa.or_(
        sa.and_(ShortLink.kind == "manage",
                sa.exists().where(Booking.token_hash == ShortLink.token_hash)),
        sa.and_(ShortLink.kind == "offer",
                sa.exists().where(WaitlistEntry.offer_token_hash == ShortLink.token_hash)),
    )
    ids = list(db.session.scalars(sa.select(ShortLink.id).where(sa.not_(live)).limit(limit)))
    if ids:
        db.session.execute(sa.delete(ShortLink).where(ShortLink.id.in_(ids)))
    return len(ids)
