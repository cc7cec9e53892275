"""Account rules: staff users, passwords, reset links, login throttling, and the audit trail."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from inschrijving import contact
from inschrijving.accounts.models import AuditEvent, LoginFailure, PasswordResetToken, Role, User
from inschrijving.extensions import db

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


class AccountError(Exception):
    """Base class for account rule violations."""


class EmailTaken(AccountError):
    pass


class InvalidEmail(AccountError):
    pass


class WeakPassword(AccountError):
    pass


class PasswordTooShort(WeakPassword):
    pass


class PasswordTooCommon(WeakPassword):
    pass


class LandlordRequired(AccountError):
    pass


class CannotChangeOwnAccess(AccountError):
    """A coordinator may not disable or demote themselves: the region would lose its last manager."""


class WrongPassword(AccountError):
    pass


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


def normalise_email(email: str) -> str:
    """Return the canonical (lower-cased, validated) form of an e-mail address."""
    try:
        return contact.normalise_email(email)
    except ValueError as exc:
        raise InvalidEmail(str(exc)) from exc


@functools.cache
def common_passwords() -> frozenset[str]:
    """Load the shipped list of common passwords once per process."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or well known; length beats composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip().lower() in common_passwords():
        raise PasswordTooCommon("on the list of common passwords")


def get_user_by_email(email: str) -> User | None:
    """Gets a user by e-mail address, case-insensitively."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(
    *, email: str, name: str, role: Role, password: str | None = None, landlord_id: int | None = None
) -> User:
    """Create a staff user; a landlord user must belong to a landlord, others must not.

    Without a password the account gets an unguessable one; the coordinator then hands over a reset link.
    """
    email = normalise_email(email)
    if password is not None:
        check_password_rules(password)
    if role == Role.LANDLORD and landlord_id is None:
        raise LandlordRequired()
    if get_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        landlord_id=landlord_id if role == Role.LANDLORD else None,
        calendar_token=secrets.token_urlsafe(24),
    )
    user.set_password(password if password is not None else secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    return user


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


def complete_login(user: User, *, now: datetime, ip: str | None) -> None:
    """Note a finished login (after any second step) and forget the account's failed attempts."""
    user.last_login_at = now
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.account_key == account_key(user.email)))
    record_audit(actor=user, action="login", object_type="user", object_id=user.id, ip=ip)


def update_user(
    user: User, *, actor: User | None, name: str, role: Role, landlord_id: int | None, is_enabled: bool
) -> dict[str, list[str]]:
    """Change a user's name, role, landlord or enabled flag; return what changed as {field: [old, new]}."""
    if role == Role.LANDLORD and landlord_id is None:
        raise LandlordRequired()
    if actor is not None and actor.id == user.id and (role != user.role or not is_enabled):
        raise CannotChangeOwnAccess()
    new = {
        "name": name.strip(),
        "role": role,
        "landlord_id": landlord_id if role == Role.LANDLORD else None,
        "is_enabled": is_enabled,
    }
    changed = {k: [str(getattr(user, k)), str(v)] for k, v in new.items() if getattr(user, k) != v}
    for key, value in new.items():
        setattr(user, key, value)
    if {"role", "is_enabled", "landlord_id"} & changed.keys():
        # Access changed: sessions opened under the old access must end.
        user.session_version += 1
    db.session.flush()
    return changed


def deactivate_user(user: User, *, actor: User) -> bool:
    """Disable an account and end its sessions; return False when it was already disabled."""
    if actor.id == user.id:
        raise CannotChangeOwnAccess()
    if not user.is_enabled:
        return False
    user.is_enabled = False
    user.session_version += 1
    db.session.flush()
    return True


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end all their sessions."""
    check_password_rules(password)
    user.set_password(password)
    user.must_change_password = False
    user.session_version += 1
    db.session.flush()


def change_own_password(user: User, *, current_password: str, new_password: str) -> None:
    """Let a user replace their password after proving they know the current one."""
    if not user.check_password(current_password):
        raise WrongPassword()
    set_password(user, new_password)


# Password reset links ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_link(user: User, *, actor: User | None, now: datetime, valid_for: timedelta) -> str:
    """Create a one-time reset token for the user and return it; earlier unused links stop working.

    Only the hash is stored, so the database never holds a working link.
    """
    db.session.execute(
        sa.delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_by_id=actor.id if actor is not None else None,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    db.session.flush()
    return token


def get_reset_token(token: str, *, now: datetime) -> PasswordResetToken | None:
    """Gets the usable reset token behind a link, or None when it is unknown, used or expired."""
    row = db.session.scalar(sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token)))
    if row is None or not row.is_usable(now) or not row.user.is_enabled:
        return None
    return row


def use_reset_token(reset: PasswordResetToken, *, password: str, now: datetime) -> User:
    """Set the new password through a reset link and spend the link."""
    if not reset.is_usable(now):
        raise AccountError("reset link no longer usable")
    set_password(reset.user, password)
    # A conditional update, so two simultaneous submissions cannot both spend the same link.
    spent = db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == reset.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise AccountError("reset link already used")
    db.session.expire(reset, ["used_at"])
    return reset.user


# Login throttling -------------------------------------------------------------------------------


def account_key(email: str) -> str:
    """Hash of the typed e-mail: unknown and known accounts are counted alike, nothing typed is kept."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_login_throttled(email: str, ip: str | None, *, now: datetime, limits: ThrottleLimits) -> bool:
    """Tell whether this account or client address failed too often within the window."""
    since = now - limits.window
    by_account = (
        sa.select(sa.func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.account_key == account_key(email), LoginFailure.failed_at > since)
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


# Audit trail ------------------------------------------------------------------------------------


def record_audit(
    *,
    actor: User | None,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one audit event: who did what to which object, from where."""
    event = AuditEvent(
        user_id=actor.id if actor is not None else None,
        actor=actor_label or (actor.email if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
        ip=ip,
    )
    db.session.add(event)
    return event


def purge_audit(now: datetime, *, retention_days: int | None = None) -> int:
    """Delete audit events older than the retention period and return how many went.

    The period defaults to the AUDIT_RETENTION_DAYS setting. The purge itself leaves an event
    (a count, no contents), so the trail shows when it was shortened.
    """
    days = retention_days if retention_days is not None else current_app.config["AUDIT_RETENTION_DAYS"]
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        sa.delete(AuditEvent).where(AuditEvent.occurred_at < cutoff).execution_options(synchronize_session=False)
    )
    removed = result.rowcount or 0
    event = record_audit(
        actor=None,
        action="audit.purge",
        detail={"removed": removed, "before": cutoff.isoformat()},
        actor_label="system",
    )
    event.occurred_at = now
    db.session.flush()
    return removed


# A real scrypt hash of a random string: checking against it costs what a real check costs.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")
