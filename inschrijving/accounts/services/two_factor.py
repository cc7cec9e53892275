"""Two-factor rules: TOTP enrolment and checks, and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import sqlalchemy as sa

from inschrijving.accounts.models import RecoveryCode, Role, User
from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.extensions import db

RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without look-alikes (0/o, 1/l/i), so codes survive being copied by hand.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# REQUIRE_2FA_FOR_STAFF covers everyone with an account: volunteers read national numbers and scans too.
STAFF_ROLES_NEEDING_2FA = (Role.COORDINATOR, Role.VOLUNTEER, Role.LANDLORD)


class TwoFactorError(Exception):
    """Base class for two-factor rule violations."""


class AlreadyEnrolled(TwoFactorError):
    pass


class InvalidCode(TwoFactorError):
    pass


def must_enrol(user: User, *, required: bool) -> bool:
    """Tell whether this user has to set up two-factor before using the app."""
    return required and user.role in STAFF_ROLES_NEEDING_2FA and not user.has_two_factor


def start_enrolment(user: User) -> str:
    """Give the user a pending TOTP secret; a reload keeps the same one so a scanned code stays valid."""
    if user.has_two_factor:
        raise AlreadyEnrolled()
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User, *, issuer: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    if user.totp_secret is None:
        raise TwoFactorError("no secret to show")
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def verify_totp(user: User, code: str, *, now: datetime) -> bool:
    """Accept a 6-digit code of the current step or its neighbours, each step at most once."""
    code = "".join(code.split())
    if user.totp_secret is None or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            db.session.flush()
            return True
    return False


def confirm_enrolment(user: User, code: str, *, now: datetime, actor: Actor) -> list[str]:
    """Switch two-factor on once the user proves the app works; return fresh recovery codes."""
    if user.has_two_factor:
        raise AlreadyEnrolled()
    if not verify_totp(user, code, now=now):
        raise InvalidCode()
    user.totp_confirmed_at = now
    codes = generate_recovery_codes(user)
    audit(actor, "user.2fa_enabled", object_type="user", object_id=user.id)
    return codes


def _code_hash(code: str) -> str:
    # The codes are random with ~49 bits each and single-use; a fast hash is enough and keeps login quick.
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def generate_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones, shown once and stored hashed."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    db.session.flush()
    return codes


def renew_recovery_codes(user: User, *, actor: Actor) -> list[str]:
    """Give the user new recovery codes on request; the old ones stop working."""
    codes = generate_recovery_codes(user)
    audit(actor, "user.2fa_new_recovery_codes", object_type="user", object_id=user.id)
    return codes


def use_recovery_code(user: User, code: str, *, now: datetime) -> bool:
    """Spend one unused recovery code; a conditional update makes a code work only once."""
    result = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify_second_factor(user: User, code: str, *, now: datetime) -> str | None:
    """Check a login's second step: return "totp" or "recovery_code" for the factor used, or None."""
    if not user.has_two_factor:
        return None
    if verify_totp(user, code, now=now):
        return "totp"
    if use_recovery_code(user, code, now=now):
        return "recovery_code"
    return None


def count_unused_recovery_codes(user: User) -> int:
    """Count the recovery codes the user still has."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def disable_two_factor(user: User, *, actor: Actor) -> None:
    """Switch the user's own two-factor off (when the role does not require it)."""
    _remove_two_factor(user)
    audit(actor, "user.2fa_disabled", object_type="user", object_id=user.id)


def reset_two_factor(user: User, *, actor: Actor) -> None:
    """Switch someone's two-factor off for them (lost phone and codes); they enrol again from scratch."""
    _remove_two_factor(user)
    audit(actor, "user.2fa_reset", object_type="user", object_id=user.id)


def _remove_two_factor(user: User) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
