"""Account rules: creating and changing staff users, authenticating, and writing the audit trail."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash

from inschrijving.accounts.models import AuditEvent, Role, User
from inschrijving.extensions import db

MIN_PASSWORD_LENGTH = 12


class AccountError(Exception):
    """Base class for account rule violations."""


class EmailTaken(AccountError):
    pass


class InvalidEmail(AccountError):
    pass


class WeakPassword(AccountError):
    pass


class LandlordRequired(AccountError):
    pass


def normalise_email(email: str) -> str:
    """Return the canonical (lower-cased, validated) form of an e-mail address."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short; length beats composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"at least {MIN_PASSWORD_LENGTH} characters")


def get_user_by_email(email: str) -> User | None:
    """Gets a user by e-mail address, case-insensitively."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(
    *, email: str, name: str, role: Role, password: str, landlord_id: int | None = None
) -> User:
    """Create a staff user; a landlord user must belong to a landlord, others must not."""
    email = normalise_email(email)
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
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, now: datetime) -> User | None:
    """Return the enabled user with these credentials, or None."""
    user = get_user_by_email(email)
    if user is None:
        # Same work for unknown accounts, so timing does not reveal which e-mails exist.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_enabled:
        return None
    user.last_login_at = now
    return user


def update_user(user: User, *, name: str, role: Role, landlord_id: int | None, is_enabled: bool) -> dict:
    """Change a user's name, role, landlord or enabled flag; return what changed."""
    if role == Role.LANDLORD and landlord_id is None:
        raise LandlordRequired()
    new = {
        "name": name.strip(),
        "role": role,
        "landlord_id": landlord_id if role == Role.LANDLORD else None,
        "is_enabled": is_enabled,
    }
    changed = {k: [str(getattr(user, k)), str(v)] for k, v in new.items() if getattr(user, k) != v}
    for key, value in new.items():
        setattr(user, key, value)
    if "role" in changed or "is_enabled" in changed or "landlord_id" in changed:
        user.session_version += 1
    db.session.flush()
    return changed


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end all their other sessions."""
    check_password_rules(password)
    user.set_password(password)
    user.session_version += 1
    db.session.flush()


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


# A real scrypt hash of a random string: checking against it costs what a real check costs.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")
