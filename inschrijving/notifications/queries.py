"""Reads about delivery: each booking's last message (the day list's column) and the oldest unsent one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage

# Staff read these (the day list), in Dutch as the other staff pages.
STATUS_LABELS = {
    "sent": ("verstuurd"),
    "waiting": ("wacht op verzending"),
    "retrying": ("mislukt, wordt opnieuw geprobeerd"),
    "failed": ("niet verstuurd"),
    "refused": ("nummer geweigerd"),
}
CHANNEL_LABELS = {"email": ("e-mail"), "sms": ("sms")}


@dataclass(frozen=True)
class DeliveryStatus:
    """The last message about a booking: its channel, how far it got, and when."""

    channel: str
    status: str  # sent, waiting, retrying, failed, refused
    at: datetime

    @property
    def label(self) -> str:
        return f"{CHANNEL_LABELS[self.channel]}: {STATUS_LABELS[self.status]}"

    @property
    def is_problem(self) -> bool:
        return self.status in ("failed", "refused", "retrying")


def _status(message: OutboxMessage) -> tuple[str, datetime]:
    if message.sent_at is not None:
        return "sent", message.sent_at
    if message.failed_at is not None:
        refused = (message.last_error or "").startswith("provider refused")
        return ("refused" if refused else "failed"), message.failed_at
    return ("retrying" if message.attempts else "waiting"), message.created_at


def delivery_status_by_booking(booking_ids: Iterable[int]) -> dict[int, DeliveryStatus]:
    """The last message of each booking (one query); bookings without messages are absent."""
    ids = list(booking_ids)
    if not ids:
        return {}
    last = (
        sa.select(sa.func.max(OutboxMessage.id))
        .where(OutboxMessage.booking_id.in_(ids))
        .group_by(OutboxMessage.booking_id)
        .scalar_subquery()
    )
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(last)))
    result = {}
    for message in rows:
        status, at = _status(message)
        result[message.booking_id] = DeliveryStatus(channel=message.channel, status=status, at=at)
    return result


def oldest_unsent_message_at() -> datetime | None:
    """When the oldest message still waiting was queued (None: nothing waits); the coordinators' status line."""
    return db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.created_at))
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    )


@dataclass(frozen=True)
class OutboxStatus:
    """The coordinators' status line: the oldest message still waiting, and whether that is too long."""

    oldest_unsent_at: datetime | None
    waiting_minutes: int

    @property
    def is_late(self) -> bool:
        # The worker sends within seconds; minutes mean it is down or the provider refuses for a while.
        return self.oldest_unsent_at is not None and self.waiting_minutes >= LATE_AFTER_MINUTES


LATE_AFTER_MINUTES = 5


def outbox_status(now: datetime) -> OutboxStatus:
    oldest = oldest_unsent_message_at()
    minutes = int((now - oldest).total_seconds() // 60) if oldest else 0
    return OutboxStatus(oldest_unsent_at=oldest, waiting_minutes=max(minutes, 0))
