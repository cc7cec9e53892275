"""Logging in: credentials, the finished login, logout, and throttling of failed attempts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from inschrijving.accounts.models import LoginFailure, User
from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.accounts.services.users import get_user_by_email
from inschrijving.extensions import db


@dataclass(frozen=True)
class ThrottleLimits:
    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Any) -> ThrottleLimits:
        return cls(
            per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
            per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
            window=timedelta(minutes=config["LOGIN_THROTTLE_MINUTES"]),
        )


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user with these credentials, or None."""
    user = get_user_by_email(email)
    if user is None:
        # Same work for unknown accounts, so timing does not reveal which e-mails exist.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_enabled:
        return None
    return user


def complete_login(user: User, *, now: datetime, actor: Actor, factor: str | None = None) -> None:
    """Note a finished login (after any second step) and forget the account's failed attempts.

    A login with a recovery code (`factor`, from `two_factor.verify_second_factor`) is noted as such too:
    the user has one code less and may have lost their phone.
    """
    user.last_login_at = now
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.account_key == account_key(user.email)))
    if factor == "recovery_code":
        audit(actor, "login.recovery_code", object_type="user", object_id=user.id)
    audit(actor, "login", object_type="user", object_id=user.id)


def note_logout(user: User, *, actor: Actor) -> None:
    """End the user's sessions on the server and note the logout in the audit trail.

    The session cookie is signed, not stored: clearing it in this browser would leave a copy of it
    valid. Raising the session version (part of the id every session carries) ends this session and any
    copy of it, and the user's sessions elsewhere with it (docs/security.md, "Sessions").
    """
    user.session_version += 1
    audit(actor, "logout", object_type="user", object_id=user.id)


def account_key(email: str) -> str:
    """Hash of the typed e-mail: unknown and known accounts are counted alike, nothing typed is kept."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_login_throttled(email: str, ip: str | None, *, now: datetime, limits: ThrottleLimits) -> bool:
    """Tell whether this account from this client address, or this address at all, failed too often.

    The account is counted per address (`per_account`), not over all addresses: counted over all of
    them, anyone could lock a staff member out with a few wrong passwords (issue 13.6). A guesser is
    slowed down per address, for one account (`per_account`) and over every account (`per_address`);
    the real user, from their own address, is not. Many addresses against one account remain bounded
    by the password rules and two-factor (docs/security.md, "Brute force").
    """
    since = now - limits.window
    same_address = LoginFailure.ip.is_(None) if ip is None else LoginFailure.ip == ip
    by_account = (
        sa.select(sa.func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.account_key == account_key(email), same_address, LoginFailure.failed_at > since)
        .scalar_subquery()
    )
    by_address = (
        sa.select(sa.func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.ip == ip, LoginFailure.failed_at > since)
        .scalar_subquery()
    )
    account_count, address_count = db.session.execute(sa.select(by_account, by_address)).one()
    return account_count >= limits.per_account or (ip is not None and address_count >= limits.per_address)


def record_login_failure(email: str, ip: str | None, *, now: datetime, limits: ThrottleLimits) -> None:
    """Count one failed login and drop failures too old to matter."""
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at <= now - limits.window))
    db.session.add(LoginFailure(account_key=account_key(email), ip=ip, failed_at=now))
    db.session.flush()


# A real scrypt hash of a random string: checking against it costs what a real check costs.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")
