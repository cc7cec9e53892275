"""Intake rules: open a dossier, save each step, record history, complete it."""

from __future__ import annotations

import secrets
from datetime import datetime

from inschrijving.accounts.models import User
from inschrijving.booking.models import Booking
from inschrijving.dossiers.models import Dossier, DossierChange
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment


class DossierError(Exception):
    """Base class for intake rule violations."""


class BookingNotLive(DossierError):
    """A cancelled booking (or a no-show) cannot get a dossier."""


_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    # Short enough to read over the phone; the unique index catches the rare clash.
    while True:
        raw = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
        reference = f"D{raw}"
        if db.session.scalar(db.select(Dossier.id).where(Dossier.reference == reference)) is None:
            return reference


def get_dossier_for_booking(booking_id: int) -> Dossier | None:
    """Return the dossier started from this booking, if any."""
    return db.session.scalar(db.select(Dossier).where(Dossier.booking_id == booking_id))


def record_change(dossier: Dossier, *, actor: User | None, step: str, changes: dict, now: datetime) -> None:
    """Write one history line: who changed which step, and the fields that changed."""
    if not changes:
        return
    db.session.add(
        DossierChange(
            dossier_id=dossier.id, changed_at=now, user_id=actor.id if actor else None, step=step, changes=changes
        )
    )


def start_dossier(booking: Booking, *, actor: User, now: datetime) -> Dossier:
    """Open the dossier of a booking, creating it on first use."""
    existing = get_dossier_for_booking(booking.id)
    if existing is not None:
        return existing
    if not booking.is_live:
        raise BookingNotLive(booking.reference)
    dossier = Dossier(
        reference=_new_reference(),
        booking_id=booking.id,
        moment_id=booking.moment_id,
        language=booking.language or "nl",
        contact_phone=booking.phone,
        contact_email=booking.email,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(dossier)
    db.session.flush()
    record_change(dossier, actor=actor, step="start", changes={"booking": booking.reference}, now=now)
    return dossier


def start_walk_in(moment: RegistrationMoment, *, actor: User, now: datetime) -> Dossier:
    """Open a new dossier for someone who came without a booking."""
    dossier = Dossier(reference=_new_reference(), moment_id=moment.id, created_at=now, created_by_id=actor.id)
    db.session.add(dossier)
    db.session.flush()
    record_change(dossier, actor=actor, step="start", changes={"walk_in": True}, now=now)
    return dossier
