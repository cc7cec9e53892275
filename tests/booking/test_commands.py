from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from inschrijving.db_types import utcnow
from inschrijving.notifications.models import OutboxMessage
from tests.factories.booking import BookingFactory
from tests.factories.planning import MomentFactory, SlotFactory


def test_send_reminders_twice_queues_one_reminder_and_send_outbox_writes_it(app, db):
    now = utcnow()
    moment = MomentFactory(held_on=(now + timedelta(days=1)).date(), booking_opens_at=now - timedelta(days=9),
                           booking_closes_at=now + timedelta(hours=2))
    slot = SlotFactory(moment=moment, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, minutes=30))
    BookingFactory(slot=slot)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "queued 1 reminders" in first.output
    second = runner.invoke(args=["send-reminders"])
    assert "queued 0 reminders" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    sent = runner.invoke(args=["send-outbox"])
    assert sent.exit_code == 0 and "sent 1" in sent.output
    assert "sent 0" in runner.invoke(args=["send-outbox"]).output
