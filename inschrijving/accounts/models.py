from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from inschrijving.db_types import AwareDateTime, bool_false, created_at, intpk, str_enum, utcnow
from inschrijving.extensions import db
from inschrijving.rendering import storage

if TYPE_CHECKING:
    from inschrijving.landlords.models import Landlord


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    LANDLORD = "landlord"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # E-mail is stored lower-cased, so a plain unique constraint is case-insensitive.
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint(
            "(role = 'landlord' AND landlord_id IS NOT NULL) OR (role <> 'landlord' AND landlord_id IS NULL)",
            name="landlord_role_has_landlord",
        ),
    )

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    landlord_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("landlords.id", ondelete="RESTRICT"), index=True
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Raised on password change: sessions carry it, so older sessions end everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    # Secret part of the personal staff calendar feed URL (lists moments, no personal data).
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The TOTP seed, encrypted with DOCUMENT_KEYS: a copy of the database alone cannot mint codes.
    totp_secret_encrypted: Mapped[str | None] = mapped_column("totp_secret", sa.String(255))
    # Set once the user proved the authenticator app works; a secret alone is an unfinished enrolment.
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # The last accepted 30-second step, so an overheard code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    must_change_password: Mapped[bool_false]
    created_at: Mapped[created_at]
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    landlord: Mapped[Landlord | None] = relationship()

    @property
    def totp_secret(self) -> str | None:
        if self.totp_secret_encrypted is None:
            return None
        return storage.decrypt_text(self.totp_secret_encrypted)

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        self.totp_secret_encrypted = None if secret is None else storage.encrypt_text(secret)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    # The log is read newest first, one keyset page at a time, whole or by one filter: each index ends in
    # (occurred_at, id), so every such page is a short range scan however long the log is.
    __table_args__ = (
        sa.Index("ix_audit_events_occurred_at_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_action_occurred_at", "action", "occurred_at", "id"),
        sa.Index("ix_audit_events_user_id_occurred_at", "user_id", "occurred_at", "id"),
        sa.Index("ix_audit_events_object_occurred_at", "object_type", "object_id", "occurred_at", "id"),
    )

    id: Mapped[intpk]
    occurred_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as text so the trail still says who it was after the account is gone.
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str | None] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    user: Mapped[User | None] = relationship()


class PasswordResetToken(db.Model):
    """A one-time link to set a new password; only the hash of its token is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime)
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class RecoveryCode(db.Model):
    """One of a user's single-use two-factor recovery codes, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime)


class LoginFailure(db.Model):
    """One failed login, counted per account and per client address to throttle guessing.

    Kept in the database rather than in process memory so every worker sees the same count.
    The account key is a hash of the typed e-mail, so unknown addresses are counted the same way
    and the table does not collect what people typed.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_account_key_failed_at", "account_key", "failed_at"),
        sa.Index("ix_login_failures_ip_failed_at", "ip", "failed_at"),
    )

    id: Mapped[intpk]
    account_key: Mapped[str] = mapped_column(sa.String(64))
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    failed_at: Mapped[datetime] = mapped_column(AwareDateTime)
