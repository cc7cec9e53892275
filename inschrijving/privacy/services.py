"""Storage limitation and the candidate's rights: purge what is past its time, copy or erase a household.

Every service here flushes but never commits. Encrypted files go when the caller's commit does
(`inschrijving.transactions`), so a failed commit never leaves rows whose files are already gone.
"""

from __future__ import annotations

import enum
import functools
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from inschrijving import transactions
from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor, audit, purge_audit
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.booking.services import lifecycle as booking_lifecycle
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import (
    AddressHistoryEntry,
    Dossier,
    Person,
    Preferences,
    preference_municipalities,
)
from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord, PropertyDeclaration
from inschrijving.extensions import db
from inschrijving.landlords.portal.services import sections
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering import storage
from inschrijving.tokens import hash_token


class PrivacyError(Exception):
    """Base class for refusals of the privacy services."""


class ReferenceMismatch(PrivacyError):
    """The typed confirmation is not the dossier's reference."""


# Stored in place of a name; staff pages show it as is.
ANONYMISED_NAME = "(gewist)"

# Credentials and storage internals: not data about the household, and never handed out.
_NEVER_COPIED = {"token_hash", "next_token_hash", "letter_token_hash", "offer_token_hash", "storage_key", "version"}


# Retention ----------------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    """What a purge removed (or, in a dry run, would remove): counts only, never contents."""

    moments: int = 0
    dossiers: int = 0
    dossiers_kept: int = 0
    documents: int = 0
    bookings_anonymised: int = 0
    waitlist_anonymised: int = 0
    outbox_messages: int = 0
    audit_events: int = 0
    section_files: int = 0
    storage_keys: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "moments": self.moments,
            "dossiers": self.dossiers,
            "dossiers_kept": self.dossiers_kept,
            "documents": self.documents,
            "bookings_anonymised": self.bookings_anonymised,
            "waitlist_anonymised": self.waitlist_anonymised,
            "outbox_messages": self.outbox_messages,
            "audit_events": self.audit_events,
            "section_files": self.section_files,
        }


def _local_day(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def purge_expired(
    now: datetime,
    *,
    dry_run: bool = False,
    retention_days: int | None = None,
    hard_max_days: int | None = None,
) -> PurgeReport:
    """Remove the personal data of moments past their retention period and return the counts.

    A dossier goes once its moment is `retention_days` old and every chosen landlord has
    downloaded it or set a status; a landlord that never looked keeps it alive until the moment
    is `hard_max_days` old. Bookings and waiting-list entries are anonymised, not deleted, so the
    statistics (counted from their statuses) stay right; a booking whose dossier is still kept
    keeps its contact data until that dossier goes. Old outbox messages are deleted and the audit
    log is shortened by its own retention setting. A second run finds nothing left to remove.
    """
    config = current_app.config
    retention_days = config["RETENTION_DAYS_AFTER_MOMENT"] if retention_days is None else retention_days
    hard_max_days = config["RETENTION_HARD_MAX_DAYS"] if hard_max_days is None else hard_max_days
    today = _local_day(now)
    expired_before = today - timedelta(days=retention_days)
    hard_before = today - timedelta(days=max(hard_max_days, retention_days))
    report = PurgeReport()

    moments = db.session.execute(
        sa.select(RegistrationMoment.id, RegistrationMoment.held_on).where(RegistrationMoment.held_on < expired_before)
    ).all()
    moment_ids = [m.id for m in moments]
    hard_ids = {m.id for m in moments if m.held_on < hard_before}

    waiting_on_landlord = (
        sa.select(LandlordChoice.id)
        .where(LandlordChoice.dossier_id == Dossier.id, LandlordChoice.status == ChoiceStatus.NEW)
        .exists()
    )
    candidates = db.session.execute(
        sa.select(Dossier.id, Dossier.moment_id, Dossier.booking_id, waiting_on_landlord.label("waiting")).where(
            Dossier.moment_id.in_(moment_ids)
        )
    ).all()
    removable = [d for d in candidates if d.moment_id in hard_ids or not d.waiting]
    kept_booking_ids = {d.booking_id for d in candidates if d not in removable and d.booking_id is not None}
    report.dossiers = len(removable)
    report.dossiers_kept = len(candidates) - len(removable)

    bookings = db.session.scalars(
        sa.select(Booking).where(Booking.moment_id.in_(moment_ids), Booking.anonymised_at.is_(None))
    ).all()
    bookings = [b for b in bookings if b.id not in kept_booking_ids]
    entries = db.session.scalars(
        sa.select(WaitlistEntry).where(
            WaitlistEntry.anonymised_at.is_(None),
            sa.or_(
                WaitlistEntry.moment_id.in_(moment_ids),
                # Waiting for "the next moment": no moment to date them by, so their own age counts.
                sa.and_(
                    WaitlistEntry.moment_id.is_(None),
                    WaitlistEntry.created_at < now - timedelta(days=retention_days),
                ),
            ),
        )
    ).all()
    report.bookings_anonymised = len(bookings)
    report.waitlist_anonymised = len(entries)
    old_outbox = OutboxMessage.created_at < now - timedelta(days=retention_days)
    report.moments = len({d.moment_id for d in removable} | {b.moment_id for b in bookings})

    if dry_run:
        removable_ids = [d.id for d in removable]
        report.documents = db.session.scalar(
            sa.select(sa.func.count(Document.id)).where(Document.dossier_id.in_(removable_ids))
        )
        report.outbox_messages = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(old_outbox))
        report.section_files = len(sections.orphan_files(now=now))
        audit_cutoff = now - timedelta(days=config["AUDIT_RETENTION_DAYS"])
        report.audit_events = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.occurred_at < audit_cutoff)
        )
        return report

    report.storage_keys = _delete_dossiers([d.id for d in removable])
    report.documents = len(report.storage_keys)
    for booking in bookings:
        anonymise_booking(booking, now=now)
    for entry in entries:
        _anonymise_waitlist_entry(entry, now=now)
    report.outbox_messages = (
        db.session.execute(
            sa.delete(OutboxMessage).where(old_outbox).execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    report.audit_events = purge_audit(now)
    # Packet sections of dossiers that went some other way than this (a process that died mid-write).
    report.section_files = sections.remove_orphan_files(now=now)
    event = audit(Actor.system(), "retention.purge", detail=report.counts())
    event.occurred_at = now
    db.session.flush()
    return report


def _delete_dossiers(dossier_ids: list[int]) -> list[str]:
    """Delete dossiers and every row that hangs off them; their files go with the commit. Return the files' keys."""
    if not dossier_ids:
        return []
    in_dossiers = sa.bindparam("ids", expanding=True)
    keys = list(db.session.scalars(sa.select(Document.storage_key).where(Document.dossier_id.in_(dossier_ids))))
    for key in keys:
        transactions.on_commit(("document file", key), functools.partial(storage.delete, key))
    preference_ids = sa.select(Preferences.id).where(Preferences.dossier_id.in_(in_dossiers))
    statements = [
        sa.delete(preference_municipalities).where(preference_municipalities.c.preferences_id.in_(preference_ids)),
        # Children before parents: choices hold their consent (RESTRICT), income rows their person.
        *(
            sa.delete(model).where(model.dossier_id.in_(in_dossiers))
            for model in (
                Document,
                LandlordChoice,
                Consent,
                IncomeRecord,
                PropertyDeclaration,
                AddressHistoryEntry,
                Preferences,
                AssetsDeclaration,
                DossierChange,
                Person,
            )
        ),
        sa.delete(Dossier).where(Dossier.id.in_(in_dossiers)),
    ]
    # Locked first, so a section rendered meanwhile fails on its dossier instead of leaving its file behind the
    # cascade (SQLite writes one at a time); the sections' files (the household's scans) go when this commits.
    db.session.execute(sa.select(Dossier.id).where(Dossier.id.in_(dossier_ids)).with_for_update())
    sections.drop_sections(dossier_ids)
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False), {"ids": dossier_ids})
    # Bulk deletes bypass the identity map; forget any loaded copies of the removed rows.
    db.session.expire_all()
    return keys


def anonymise_booking(booking: Booking, *, now: datetime) -> None:
    """Clear a booking's contact data and kill its manage link; keep what the statistics count."""
    booking.contact_name = ANONYMISED_NAME
    booking.phone = booking.email = None
    booking.assistance_note = booking.interpreter_language = None
    booking.social_worker_name = booking.social_worker_organisation = booking.social_worker_phone = None
    # A client reached through their booker: the worker's address and what identified the client go too
    # (`organisation` and `seats` of an info-moment registration stay: statistics count them).
    booking.social_worker_email = booking.client_key = booking.client_birth_year = None
    # Nobody holds this token: the old manage link now leads nowhere.
    booking.token_hash = hash_token(secrets.token_urlsafe(32))
    booking.next_token_hash = booking.letter_token_hash = None
    booking.anonymised_at = now


def _anonymise_waitlist_entry(entry: WaitlistEntry, *, now: datetime) -> None:
    entry.contact_name = ANONYMISED_NAME
    entry.phone = entry.email = None
    # What identified a client waiting through their booker goes too.
    entry.client_key = None
    entry.offer_token_hash = None
    entry.anonymised_at = now


# The candidate's rights ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _without_secrets(value: Any) -> Any:
    """The value with credentials and storage keys left out at every depth.

    JSON columns nest: a history line holds the document rows it added (`changes -> "+ Document 3" ->
    storage_key`), an audit event its detail. Leaving the keys out of the top level only was issue 13.13.
    """
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _NEVER_COPIED}
    if isinstance(value, list | tuple):
        return [_without_secrets(v) for v in value]
    return value


def _row(obj: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of one row, JSON-ready: a copy must hold everything, not a chosen summary."""
    excluded = _NEVER_COPIED | set(skip)
    columns = sa.inspect(obj).mapper.column_attrs
    return {c.key: _without_secrets(_plain(getattr(obj, c.key))) for c in columns if c.key not in excluded}


def hand_out_copy(dossier: Dossier, *, actor: Actor, fmt: str) -> dict[str, Any]:
    """Everything held about the household, for a copy on request; handing it out goes into the audit trail."""
    copy = household_copy(dossier)
    audit(
        actor,
        "privacy.copy",
        object_type="dossier",
        object_id=dossier.id,
        detail={"reference": dossier.reference, "format": fmt},
    )
    return copy


def household_copy(dossier: Dossier) -> dict[str, Any]:
    """Gather everything held about the household of a dossier, for a copy on request."""
    booking = dossier.booking
    audit = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                sa.and_(AuditEvent.object_type == "dossier", AuditEvent.object_id == dossier.id),
                sa.and_(AuditEvent.object_type == "booking", AuditEvent.object_id == (booking.id if booking else -1)),
                sa.and_(
                    AuditEvent.object_type == "document",
                    AuditEvent.object_id.in_([d.id for d in dossier.documents]),
                ),
            )
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    waitlist = []
    if booking is not None:
        waitlist = db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.booking_id == booking.id)).all()
    changes = db.session.scalars(
        sa.select(DossierChange).where(DossierChange.dossier_id == dossier.id).order_by(DossierChange.changed_at)
    )
    preferences = None
    if dossier.preferences is not None:
        names = [m.name for m in dossier.preferences.municipalities]
        preferences = _row(dossier.preferences) | {"municipalities": names}
    return {
        "reference": dossier.reference,
        "moment": {"held_on": _plain(dossier.moment.held_on), "location": dossier.moment.location_name},
        "booking": _row(booking) if booking is not None else None,
        # `replaces_booking_id` is a link between two rows (the entry and the booking new opening hours cancelled),
        # not something said about the household; it has no label in dossiers/labels.py (FIELD_LABELS).
        "waitlist_entries": [_row(e, skip={"replaces_booking_id"}) for e in waitlist],
        "dossier": _row(dossier),
        "persons": [_row(p) for p in dossier.persons],
        "incomes": [_row(i) for i in dossier.incomes],
        "assets": _row(dossier.assets) if dossier.assets is not None else None,
        "property_declarations": [_row(p) for p in dossier.property_declarations],
        "addresses": [_row(a) for a in dossier.addresses],
        "preferences": preferences,
        "consents": [
            _row(c) | {"landlord": c.landlord.name if c.landlord else None} for c in dossier.consents
        ],
        "landlord_choices": [_row(c) | {"landlord": c.landlord.name} for c in dossier.landlord_choices],
        "documents": [_row(d, skip={"sha256"}) for d in dossier.documents],
        "changes": [_row(c) for c in changes],
        "audit_events": [_row(e, skip={"user_id"}) for e in audit],
    }


def erase_household(dossier: Dossier, *, actor: Actor, now: datetime, confirmation: str) -> list[str]:
    """Erase a dossier with its documents and anonymise its booking, on the household's request.

    The typed confirmation must be the dossier's reference. Returns the storage keys of the
    documents, whose files go when the transaction commits.

    :raises ReferenceMismatch: the confirmation is not the reference.
    """
    if confirmation.strip().upper() != dossier.reference.upper():
        raise ReferenceMismatch(dossier.reference)
    dossier_id, reference, booking = dossier.id, dossier.reference, dossier.booking
    recipients = {a for a in (dossier.contact_email, booking.email if booking else None) if a}
    entries = []
    if booking is not None:
        entries = db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.booking_id == booking.id)).all()
        if booking.status == BookingStatus.BOOKED and booking.slot.starts_at > now:
            # A seat still to come is given back (and offered to the waiting list), silently.
            booking_lifecycle.cancel_by_staff(booking, now=now, notify=False)
        anonymise_booking(booking, now=now)
    for entry in entries:
        _anonymise_waitlist_entry(entry, now=now)
    # Sent and unsent mails to the household hold its name and links.
    outbox = db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.recipient.in_(recipients))
        .execution_options(synchronize_session=False)
    ).rowcount or 0
    db.session.flush()
    keys = _delete_dossiers([dossier_id])
    detail = {
        "reference": reference,
        "documents": len(keys),
        "outbox_messages": outbox,
        "booking_anonymised": booking is not None,
    }
    audit(actor, "privacy.erase", object_type="dossier", object_id=dossier_id, detail=detail)
    db.session.flush()
    return keys
