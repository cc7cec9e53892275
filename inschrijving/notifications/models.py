from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from inschrijving.db_types import AwareDateTime, created_at, intpk
from inschrijving.extensions import db


class OutboxMessage(db.Model):
    """One e-mail waiting to be sent, or sent; written in the same transaction as the change it reports."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index("ix_outbox_messages_pending", "sent_at", "next_attempt_at"),
        sa.Index("ix_outbox_messages_booking_id", "booking_id"),
        sa.CheckConstraint("body_text IS NOT NULL OR template IS NOT NULL", name="body_or_template"),
    )

    id: Mapped[intpk]
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    # None until a templated message is sent: then its rendered text, the record of what went out.
    body_text: Mapped[str | None] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # A message queued as a template (e.g. "emails/booking_confirmed.txt") with the values it
    # shows, rendered in `language` by the sender: what was true when it was queued.
    template: Mapped[str | None] = mapped_column(sa.String(80))
    context: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # [{"filename": ..., "content_type": ..., "data_b64": ...}]; a calendar file may be stored as
    # "calendar": its description (rendering.ical.calendar_spec), rendered when the message is sent.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # Makes "send once" jobs (reminders) idempotent: a second insert with the same key fails.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[created_at]
    next_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    failed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # "email" (recipient an address) or "sms" (recipient an E.164 number, body_text the whole text).
    channel: Mapped[str] = mapped_column(sa.String(8), default="email", server_default="email")
    # The booking the message is about, when there is one: the day list's delivery column and a refused number.
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id", ondelete="SET NULL"))
    # The provider's id of the sent message (Twilio's SM... sid).
    provider_ref: Mapped[str | None] = mapped_column(sa.String(64))

    @property
    def idempotency_key(self) -> str:
        """One key per message: the file name, Message-ID or provider reference a second delivery would repeat."""
        return f"outbox{self.id}"


class ShortLink(db.Model):
    """A short code for an SMS that stands for a manage or offer link, without storing the link's token in the clear.

    The code (128 random bits) is the key: only its hash is stored, and the token is sealed with a key
    derived from the code. The link works while the token it seals is the current one: rotating the
    manage token (a reminder, a new link) or ending the offer revokes it.
    """

    __tablename__ = "short_links"

    id: Mapped[intpk]
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # "manage" (a booking's token) or "offer" (a waiting-list offer's token).
    kind: Mapped[str] = mapped_column(sa.String(8))
    token_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    sealed_token: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[created_at]
