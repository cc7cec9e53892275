"""The task queue: enqueue after commit, the worker's delivery, the periodic tasks, the delivery status read."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import ReachBy
from inschrijving.booking.services import lifecycle
from inschrijving.booking.services.base import ContactDetails
from inschrijving.db_types import utcnow
from inschrijving.notifications import queries, queue, tasks
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.queue import huey
from inschrijving.notifications.services import queue_message
from tests.factories.booking import BookingFactory
from tests.factories.planning import SlotFactory
from tests.query_count import count_queries


@pytest.fixture
def empty_queue():
    huey.flush()
    yield huey
    huey.flush()


def pending_names() -> list[str]:
    return [task.name for task in huey.pending()]


def run_worker() -> None:
    """What the worker process does with the queue, here and now."""
    while (task := huey.dequeue()) is not None:
        huey.execute(task)


def details(**overrides) -> ContactDetails:
    return ContactDetails(**{"contact_name": "Amina", "phone": "+32470123456", "email": "amina@example.org",
                             **overrides})


def test_a_committed_booking_is_delivered_by_the_worker_and_a_rolled_back_one_sends_nothing(app, db, empty_queue):
    slot = SlotFactory()
    db.session.commit()  # the slot must outlive the rollback below
    empty_queue.flush()

    lifecycle.book_slot(slot.id, details=details(), now=utcnow())
    db.session.rollback()
    assert pending_names() == []
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0

    lifecycle.book_slot(slot.id, details=details(), now=utcnow())
    assert pending_names() == []  # not before the commit: the worker could not see the rows yet
    db.session.commit()
    assert pending_names() == ["deliver_outbox"]  # one delivery for the e-mail and the SMS together

    run_worker()
    outbox = app.config["OUTBOX_FOLDER"]
    files = sorted(path.suffix for path in __import__("pathlib").Path(outbox).iterdir())
    assert files == [".eml", ".sms"]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0


def test_enqueueing_after_commit_costs_the_request_no_query(app, db, empty_queue):
    with count_queries() as statements:
        queue_message("a@example.org", "Onderwerp", "Tekst")
        db.session.commit()
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO outbox_messages")
    assert pending_names() == ["deliver_outbox"]


def test_a_broker_that_is_down_loses_nothing(app, db, empty_queue, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(huey, "enqueue", refuse)
    queue_message("a@example.org", "Onderwerp", "Tekst")
    db.session.commit()  # the booking still commits; the message waits for the periodic delivery
    assert "could not enqueue deliver_outbox" in caplog.text
    monkeypatch.undo()
    tasks.deliver_outbox_periodically.call_local()
    assert db.session.scalars(sa.select(OutboxMessage)).one().sent_at is not None


@pytest.mark.parametrize(("at", "expected"), [
    (datetime(2026, 12, 8, 12, 15), {"deliver_outbox_every_minute", "expire_waitlist_offers", "send_reminders"}),
    (datetime(2026, 12, 8, 12, 16), {"deliver_outbox_every_minute"}),
    (datetime(2026, 12, 8, 3, 10), {"deliver_outbox_every_minute", "expire_waitlist_offers", "purge_expired"}),
    (datetime(2026, 12, 8, 3, 40), {"deliver_outbox_every_minute", "expire_waitlist_offers", "purge_audit_log"}),
])
def test_the_periodic_tasks_replace_the_timers(at, expected):
    assert {task.name for task in huey.read_periodic(at)} == expected


def test_the_periodic_tasks_do_what_the_commands_do(app, db, now=None):
    now = utcnow()
    soon = SlotFactory(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, minutes=30))
    BookingFactory(slot=soon)
    db.session.commit()
    assert tasks.send_reminders.call_local() == {"reminders": 1, "expired_offers": 0}
    assert tasks.expire_waitlist_offers.call_local() == 0
    assert isinstance(tasks.purge_expired.call_local(), dict)
    assert tasks.purge_audit_log.call_local() == 0


def test_queue_storage_follows_the_setting(tmp_path):
    from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

    assert queue.storage_settings("", instance_path=tmp_path) == (
        SqliteStorage, {"filename": str(tmp_path / "tasks.sqlite3")})
    assert queue.storage_settings("memory://", instance_path=tmp_path) == (MemoryStorage, {})
    assert queue.storage_settings("redis://127.0.0.1:6379/5", instance_path=tmp_path) == (
        RedisStorage, {"url": "redis://127.0.0.1:6379/5"})
    with pytest.raises(ValueError):
        queue.storage_settings("amqp://x", instance_path=tmp_path)


def test_delivery_status_by_booking_reads_the_last_message_of_each_booking_in_one_query(app, db):
    email_only = BookingFactory(phone="+3256277200")
    texted = BookingFactory(reach_by=ReachBy.SMS)
    quiet = BookingFactory()
    now = utcnow()
    queue_message(email_only.email, "x", "mail", booking_id=email_only.id)
    queue_message(texted.phone, "sms:x", "old", channel="sms", booking_id=texted.id).sent_at = now
    refused = queue_message(texted.phone, "sms:y", "new", channel="sms", booking_id=texted.id)
    refused.failed_at, refused.last_error = now, "provider refused the number (code 21211)"
    db.session.flush()
    with count_queries() as statements:
        statuses = queries.delivery_status_by_booking([email_only.id, texted.id, quiet.id])
    assert len(statements) == 1
    assert statuses[email_only.id].channel == "email" and statuses[email_only.id].status == "waiting"
    assert statuses[texted.id].channel == "sms" and statuses[texted.id].status == "refused"
    assert statuses[texted.id].label == "sms: nummer geweigerd" and statuses[texted.id].is_problem
    assert quiet.id not in statuses
    assert queries.delivery_status_by_booking([]) == {}
    assert queries.oldest_unsent_message_at() is not None


def test_coordinators_see_the_oldest_unsent_message_on_their_home_page(client, auth, db):
    from tests.factories.accounts import UserFactory

    coordinator = UserFactory(role="coordinator")
    db.session.commit()
    auth.login(coordinator)
    assert "Berichten: alles is verstuurd." in client.get("/planning/").get_data(as_text=True)
    message = queue_message("a@example.org", "x", "y")
    message.created_at = utcnow() - timedelta(minutes=42)
    db.session.commit()
    page = client.get("/planning/").get_data(as_text=True)
    assert "het oudste niet-verstuurde bericht wacht sinds" in page and "(42 min)" in page
    assert "Werkt de verzender (worker)?" in page


def test_redis_as_the_broker_carries_a_task_to_the_worker():
    """Production's broker (TASK_QUEUE_URL=redis://...): this test uses database 5 only, and empties it."""
    redis = pytest.importorskip("redis")
    from huey import Huey

    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    storage_class, kwargs = queue.storage_settings(url, instance_path=".")
    broker = Huey("inschrijving-test", storage_class=storage_class, results=False, **kwargs)
    broker.flush()

    @broker.task()
    def add(a, b):
        return a + b

    add(2, 3)
    assert broker.pending_count() == 1
    task = broker.dequeue()
    assert task.args == (2, 3) and broker.execute(task) == 5
    broker.flush()
