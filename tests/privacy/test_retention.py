"""The retention purge: what goes when, what stays, and that a second run finds nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.queries import statistics as statistics_queries
from inschrijving.privacy import services
from inschrijving.privacy.commands import purge_expired_command
from inschrijving.rendering import storage
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.dossiers import build_complete_dossier
from tests.factories.planning import MomentFactory, SlotFactory


def _moment(days_ago: int):
    return MomentFactory(held_on=date.today() - timedelta(days=days_ago))


def _household(moment, *, status: ChoiceStatus = ChoiceStatus.NEW):
    """A booking with a complete dossier whose documents are really stored (encrypted)."""
    booking = BookingFactory(slot=SlotFactory(moment=moment), status=BookingStatus.CHECKED_IN,
                             assistance_note="rolstoel", social_worker_name="Mevr. Hulp")
    dossier = build_complete_dossier(moment=moment)
    dossier.booking = booking
    dossier.contact_phone = booking.phone
    for document in dossier.documents:
        document.storage_key = storage.store(b"%PDF-1.4 scan of " + document.kind.value.encode())
    for choice in dossier.landlord_choices:
        choice.status = status
    return booking, dossier


def _count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_handled_dossier_goes_after_90_days_with_its_files(db):
    moment = _moment(100)
    booking, dossier = _household(moment, status=ChoiceStatus.DOWNLOADED)
    keys = [d.storage_key for d in dossier.documents]
    db.session.commit()

    report = services.purge_expired(utcnow())
    db.session.commit()

    assert report.dossiers == 1 and report.documents == 2 and report.bookings_anonymised == 1
    assert _count(db, Dossier) == 0 and _count(db, Person) == 0 and _count(db, Document) == 0
    assert sorted(report.storage_keys) == sorted(keys)
    assert storage.stored_keys() == []
    kept = db.session.get(Booking, booking.id)
    assert kept.contact_name == services.ANONYMISED_NAME
    assert (kept.phone, kept.email, kept.assistance_note, kept.social_worker_name) == (None, None, None, None)
    assert kept.anonymised_at is not None
    assert (kept.status, kept.household_size, kept.moment_id) == (BookingStatus.CHECKED_IN, 2, moment.id)


def test_dossier_no_landlord_looked_at_is_kept_until_the_hard_maximum(db, app):
    booking, dossier = _household(_moment(100), status=ChoiceStatus.NEW)
    db.session.commit()

    report = services.purge_expired(utcnow())
    assert (report.dossiers, report.dossiers_kept) == (0, 1)
    # The booking of a kept dossier keeps its contact data as long as the dossier lives.
    assert db.session.get(Booking, booking.id).anonymised_at is None
    assert _count(db, Dossier) == 1

    later = utcnow() + timedelta(days=app.config["RETENTION_HARD_MAX_DAYS"])
    report = services.purge_expired(later)
    assert (report.dossiers, report.dossiers_kept) == (1, 0)
    assert _count(db, Dossier) == 0


def test_recent_moment_is_untouched(db):
    booking, _dossier = _household(_moment(30), status=ChoiceStatus.REGISTERED)
    db.session.commit()
    report = services.purge_expired(utcnow())
    assert report.counts()["dossiers"] == 0 and report.bookings_anonymised == 0
    assert db.session.get(Booking, booking.id).email is not None


def test_statistics_survive_the_purge(db):
    moment = _moment(120)
    slot = SlotFactory(moment=moment, capacity=10)
    BookingFactory(slot=slot, status=BookingStatus.CHECKED_IN)
    BookingFactory(slot=slot, status=BookingStatus.NO_SHOW)
    BookingFactory(slot=slot, cancelled=True)
    WaitlistEntryFactory(moment=moment, client_key="c" * 64)
    _household(moment, status=ChoiceStatus.REFUSED)
    db.session.commit()
    before = statistics_queries.moment_stats([moment])[0]
    expected = (before.booked, before.came, before.no_show, before.cancelled, before.waiting)

    report = services.purge_expired(utcnow())
    db.session.commit()

    assert report.bookings_anonymised == 4 and report.waitlist_anonymised == 1
    after = statistics_queries.moment_stats([moment])[0]
    assert (after.booked, after.came, after.no_show, after.cancelled, after.waiting) == expected
    assert _count(db, Booking, Booking.email.is_not(None)) == 0
    assert _count(db, WaitlistEntry, WaitlistEntry.email.is_not(None)) == 0
    assert _count(db, WaitlistEntry, WaitlistEntry.client_key.is_not(None)) == 0


def test_old_outbox_messages_go(db):
    now = utcnow()
    db.session.add_all([
        OutboxMessage(recipient="a@example.org", subject="oud", body_text="link", created_at=now - timedelta(days=91)),
        OutboxMessage(recipient="b@example.org", subject="nieuw", body_text="link", created_at=now - timedelta(days=5)),
    ])
    db.session.commit()
    report = services.purge_expired(now)
    assert report.outbox_messages == 1
    assert db.session.scalars(sa.select(OutboxMessage.subject)).all() == ["nieuw"]


def test_second_run_removes_nothing_and_logs_counts_only(db):
    _household(_moment(100), status=ChoiceStatus.DOWNLOADED)
    db.session.commit()
    first = services.purge_expired(utcnow())
    db.session.commit()
    second = services.purge_expired(utcnow())
    db.session.commit()

    assert first.dossiers == 1
    assert all(count == 0 for count in second.counts().values())
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "retention.purge").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["dossiers"] for e in events] == [1, 0]
    # Counts, never contents: every value in the event is a number.
    assert all(isinstance(v, int) for e in events for v in e.detail.values())


def test_dry_run_changes_nothing(db):
    booking, _dossier = _household(_moment(100), status=ChoiceStatus.DOWNLOADED)
    db.session.commit()
    keys_before = storage.stored_keys()

    report = services.purge_expired(utcnow(), dry_run=True)
    db.session.rollback()

    assert (report.dossiers, report.documents, report.bookings_anonymised) == (1, 2, 1)
    assert report.storage_keys == []
    assert _count(db, Dossier) == 1 and _count(db, Document) == 2
    assert db.session.get(Booking, booking.id).anonymised_at is None
    assert storage.stored_keys() == keys_before
    assert _count(db, AuditEvent, AuditEvent.action == "retention.purge") == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_orphan_section_files_are_counted_by_the_dry_run_and_removed_by_the_run(app, db, dry_run):
    import os
    import time

    orphan = storage.store_blob(b"a section whose transaction never committed")
    path = os.path.join(app.config["UPLOAD_FOLDER"], storage.BLOB_FOLDER, orphan[:2], orphan)
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))

    report = services.purge_expired(utcnow(), dry_run=dry_run)

    assert report.section_files == 1
    assert (orphan in {key for key, _written in storage.stored_blobs()}) is dry_run


@pytest.mark.parametrize("dry_run", [True, False])
def test_command_prints_counts(app, db, dry_run):
    _household(_moment(100), status=ChoiceStatus.DOWNLOADED)
    db.session.commit()
    result = app.test_cli_runner().invoke(purge_expired_command, ["--dry-run"] if dry_run else [])
    assert result.exit_code == 0, result.output
    assert "dossiers: 1" in result.output and "documents: 2" in result.output
    assert ("dry run" in result.output) is dry_run
    assert _count(db, Dossier) == (1 if dry_run else 0)
    assert (storage.stored_keys() == []) is not dry_run
