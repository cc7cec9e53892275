"""A dossier's life: open it (from a booking or for a walk-in), load it, complete and reopen it."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import selectinload

from inschrijving.accounts.services.audit import Actor
from inschrijving.booking.models import Booking
from inschrijving.booking.services.tokens import REFERENCE_ALPHABET
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Preferences
from inschrijving.dossiers.services import duplicates
from inschrijving.dossiers.services.checklist import can_complete, missing_items
from inschrijving.dossiers.services.errors import BookingNotLive, MomentTakesNoDossiers, NotComplete, StaleDossier
from inschrijving.dossiers.services.history import begin_step, finish_step, record_change, track_changes
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment


def _new_reference() -> str:
    # Short enough to read over the phone, in the bookings' read-aloud alphabet; checked against the
    # unique column before use.
    while True:
        reference = "D" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if db.session.scalar(db.select(Dossier.id).where(Dossier.reference == reference)) is None:
            return reference


def load_dossier(dossier_id: int) -> Dossier | None:
    """Load a dossier with everything the intake pages show, in a fixed number of queries."""
    stmt = (
        db.select(Dossier)
        .where(Dossier.id == dossier_id)
        .options(
            selectinload(Dossier.persons),
            selectinload(Dossier.incomes),
            selectinload(Dossier.assets),
            selectinload(Dossier.property_declarations),
            selectinload(Dossier.addresses),
            selectinload(Dossier.preferences).selectinload(Preferences.municipalities),
            selectinload(Dossier.consents).selectinload(Consent.landlord),
            selectinload(Dossier.landlord_choices).selectinload(LandlordChoice.landlord),
            selectinload(Dossier.documents),
            selectinload(Dossier.moment),
        )
    )
    return db.session.scalar(stmt)


def get_dossier_for_booking(booking_id: int) -> Dossier | None:
    """Return the dossier started from this booking, if any."""
    return db.session.scalar(db.select(Dossier).where(Dossier.booking_id == booking_id))


# --- start ---------------------------------------------------------------------------------------


def start_dossier(booking: Booking, *, actor: Actor, now: datetime) -> Dossier:
    """Open the dossier of a booking, creating it on first use."""
    existing = get_dossier_for_booking(booking.id)
    if existing is not None:
        return existing
    if not booking.moment.takes_dossiers:
        raise MomentTakesNoDossiers(booking.reference)
    if not booking.can_start_dossier:
        raise BookingNotLive(booking.reference)
    dossier = Dossier(
        reference=_new_reference(),
        booking_id=booking.id,
        moment_id=booking.moment_id,
        language=booking.language or "nl",
        contact_phone=booking.phone,
        contact_email=booking.email,
        created_at=now,
        created_by_id=actor.user_id,
    )
    db.session.add(dossier)
    db.session.flush()
    record_change(dossier, actor=actor, step="start", changes={"booking": booking.reference}, now=now)
    return dossier


def start_walk_in(moment: RegistrationMoment, *, actor: Actor, now: datetime) -> Dossier:
    """Open a new dossier for someone who came without a booking."""
    if not moment.takes_dossiers:
        raise MomentTakesNoDossiers(str(moment.id))
    dossier = Dossier(reference=_new_reference(), moment_id=moment.id, created_at=now, created_by_id=actor.user_id)
    db.session.add(dossier)
    db.session.flush()
    record_change(dossier, actor=actor, step="start", changes={"walk_in": True}, now=now)
    return dossier


def complete_dossier(dossier: Dossier, *, version: int, actor: Actor, now: datetime) -> None:
    """Mark the dossier complete (a deliberate act), only when the checklist has nothing missing."""
    begin_step(dossier, version)  # a complete dossier is refused here, as DossierLocked
    if not can_complete(dossier):
        raise NotComplete([str(item.label) for item in missing_items(dossier)])
    duplicates.check_no_second_live_dossier(dossier)
    dossier.status = DossierStatus.COMPLETE
    dossier.completed_at = now
    dossier.completed_by_id = actor.user_id
    finish_step(dossier, step="complete", actor=actor, now=now)


def reopen_dossier(dossier: Dossier, *, version: int, actor: Actor, now: datetime) -> None:
    """Put a complete dossier back to draft so it can be corrected; landlords lose sight until it is complete again."""
    if int(version) != dossier.version:
        raise StaleDossier(dossier.reference)
    track_changes()
    dossier.status = DossierStatus.DRAFT
    dossier.completed_at = None
    dossier.completed_by_id = None
    finish_step(dossier, step="reopen", actor=actor, now=now)


def documents_of(dossier: Dossier) -> list[Document]:
    """The dossier's documents, newest first."""
    return sorted(dossier.documents, key=lambda d: d.uploaded_at, reverse=True)
