"""Staff users: create, change and disable them; passwords and one-time reset links."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from inschrijving import contact
from inschrijving.accounts.models import PasswordResetToken, Role, User
from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.extensions import db

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).parent.parent / "common_passwords.txt"


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
    *,
    email: str,
    name: str,
    role: Role,
    actor: Actor,
    password: str | None = None,
    landlord_id: int | None = None,
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
    detail = {"role": user.role.value, "landlord_id": user.landlord_id}
    audit(actor, "user.create", object_type="user", object_id=user.id, detail=detail)
    return user


def update_user(
    user: User, *, actor: Actor, name: str, role: Role, landlord_id: int | None, is_enabled: bool
) -> dict[str, list[str]]:
    """Change a user's name, role, landlord or enabled flag; return what changed as {field: [old, new]}."""
    if role == Role.LANDLORD and landlord_id is None:
        raise LandlordRequired()
    if actor.user_id == user.id and (role != user.role or not is_enabled):
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
    if changed:
        audit(actor, "user.update", object_type="user", object_id=user.id, detail={"changed": changed})
    return changed


def deactivate_user(user: User, *, actor: Actor) -> bool:
    """Disable an account and end its sessions; return False when it was already disabled."""
    if actor.user_id == user.id:
        raise CannotChangeOwnAccess()
    if not user.is_enabled:
        return False
    user.is_enabled = False
    user.session_version += 1
    db.session.flush()
    audit(actor, "user.deactivate", object_type="user", object_id=user.id)
    return True


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end all their sessions."""
    check_password_rules(password)
    user.set_password(password)
    user.must_change_password = False
    user.session_version += 1
    db.session.flush()


def change_own_password(user: User, *, current_password: str, new_password: str, actor: Actor) -> None:
    """Let a user replace their password after proving they know the current one."""
    if not user.check_password(current_password):
        raise WrongPassword()
    set_password(user, new_password)
    audit(actor, "user.password_change", object_type="user", object_id=user.id)


# Password reset links ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_link(user: User, *, actor: Actor, now: datetime, valid_for: timedelta) -> str:
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
            created_by_id=actor.user_id,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    db.session.flush()
    audit(actor, "user.password_reset_link", object_type="user", object_id=user.id)
    return token


def get_reset_token(token: str, *, now: datetime) -> PasswordResetToken | None:
    """Gets the usable reset token behind a link, or None when it is unknown, used or expired."""
    row = db.session.scalar(sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token)))
    if row is None or not row.is_usable(now) or not row.user.is_enabled:
        return None
    return row


def use_reset_token(reset: PasswordResetToken, *, password: str, now: datetime, ip: str | None) -> User:
    """Set the new password through a reset link and spend the link; the link's user is the actor."""
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
    audit(Actor.of(reset.user, ip=ip), "user.password_reset_used", object_type="user", object_id=reset.user.id)
    return reset.user


