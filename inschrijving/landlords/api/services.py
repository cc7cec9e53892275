"""API tokens for landlords' own systems: created and revoked by coordinators, stored only as a hash."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa

from inschrijving.accounts.models import User
from inschrijving.accounts.services.audit import record_audit
from inschrijving.extensions import db
from inschrijving.landlords.models import ApiToken, Landlord
from inschrijving.tokens import hash_token

TOKEN_PREFIX = "gi_"  # noqa: S105 - a public marker that helps secret scanners, not a secret
LABEL_MAX_LENGTH = 80


class ApiTokenError(Exception):
    """Base class for API token rule violations."""


class InvalidLabel(ApiTokenError):
    pass


class AlreadyRevoked(ApiTokenError):
    pass


def create_token(
    landlord: Landlord, *, label: str, actor: User, now: datetime, ip: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for a landlord, and audit it; the plain token is returned once and never stored."""
    label = label.strip()
    if not label or len(label) > LABEL_MAX_LENGTH:
        raise InvalidLabel(label)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        landlord_id=landlord.id, label=label, token_hash=hash_token(raw), created_at=now, created_by_id=actor.id
    )
    db.session.add(token)
    db.session.flush()
    record_audit(
        actor=actor,
        action="api_token.create",
        object_type="api_token",
        object_id=token.id,
        detail={"landlord_id": landlord.id},
        ip=ip,
    )
    return token, raw


def revoke_token(token: ApiToken, *, actor: User, now: datetime, ip: str | None = None) -> None:
    """Revoke a token, and audit it; it stops working at once."""
    if token.is_revoked:
        raise AlreadyRevoked(token.id)
    token.revoked_at = now
    record_audit(actor=actor, action="api_token.revoke", object_type="api_token", object_id=token.id, ip=ip)
    db.session.flush()


def authenticate(raw: str | None, *, now: datetime) -> ApiToken | None:
    """The live token matching this plain token (its last use stamped), or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = hash_token(raw)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by hash, so it reveals nothing about the token; the final comparison is still
    # constant-time, so no code path compares secrets byte by byte.
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.is_revoked:
        return None
    if token.landlord is None:
        return None
    token.last_used_at = now
    return token
