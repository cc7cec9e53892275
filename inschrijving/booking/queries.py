"""Read-side selects for the public booking pages: bookings and offers behind their links, what is open,
and what the candidate's manage page shows of the dossier and the landlords."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from inschrijving.booking.models import Booking, ContactChannel, WaitlistEntry
from inschrijving.dossiers.services import checklist as dossier_checklist
from inschrijving.dossiers.services import lifecycle as dossier_lifecycle
from inschrijving.extensions import db
from inschrijving.landlords import services as landlord_services
from inschrijving.planning.models import OpeningBlock, RegistrationMoment, Slot
from inschrijving.tokens import hash_token


def get_booking_by_token(token: str) -> Booking | None:
    """Find the booking a manage token belongs to, or None for unknown or malformed tokens."""
    if not token or len(token) > 100:
        return None
    wanted = hash_token(token)
    booking = db.session.scalar(
        sa.select(Booking).where(sa.or_(Booking.token_hash == wanted, Booking.next_token_hash == wanted,
                                        Booking.letter_token_hash == wanted))
    )
    if booking is None:
        return None
    # All three compared, always, so the time taken does not say which one matched.
    first = hmac.compare_digest(booking.token_hash, wanted)
    resent = hmac.compare_digest(booking.next_token_hash or "", wanted)
    printed = hmac.compare_digest(booking.letter_token_hash or "", wanted)
    return booking if first or resent or printed else None


def get_live_booking_for_contact(
    moment_id: int, *, phone: str | None, email: str | None, exclude_id: int | None = None
) -> Booking | None:
    """The live booking that already uses this phone or e-mail (as the candidate's own) for the moment, if any.

    A booker's contact used as a client's channel is no identity: a social worker books several
    clients with one work number (`get_live_booking_for_client` finds those).
    """
    matches = []
    if phone:
        matches.append(Booking.phone == phone)
    if email:
        matches.append(Booking.email == email)
    if not matches:
        return None
    stmt = sa.select(Booking).where(Booking.moment_id == moment_id, Booking.is_live,
                                    Booking.contact_channel == ContactChannel.OWN, sa.or_(*matches))
    if exclude_id is not None:
        stmt = stmt.where(Booking.id != exclude_id)
    return db.session.scalars(stmt.limit(1)).first()


def get_live_booking_for_person(moment_id: int, *, phone: str | None, email: str | None, client_key: str | None,
                                exclude_id: int | None = None) -> Booking | None:
    """The live booking that holds the moment for this person: a client reached through their booker is
    known by `client_key` (same booker, name and birth year), anyone else by their own phone or e-mail."""
    if not client_key:
        return get_live_booking_for_contact(moment_id, phone=phone, email=email, exclude_id=exclude_id)
    stmt = sa.select(Booking).where(Booking.moment_id == moment_id, Booking.is_live, Booking.client_key == client_key)
    if exclude_id is not None:
        stmt = stmt.where(Booking.id != exclude_id)
    return db.session.scalars(stmt.limit(1)).first()


def get_offer_by_token(token: str, *, now: datetime) -> WaitlistEntry | None:
    """The open offer behind a claim link, or None when unknown, used or expired."""
    if not token or len(token) > 100:
        return None
    entry = db.session.scalar(sa.select(WaitlistEntry).where(WaitlistEntry.offer_token_hash == hash_token(token)))
    if entry is None or not entry.offer_is_open(now):
        return None
    return entry


@dataclass(frozen=True)
class DossierProgress:
    """What the manage page tells a candidate about their dossier: labels and plain lines, never contents."""

    checklist: list[dossier_checklist.ChecklistItem]
    landlord_lines: list[str]

    @property
    def missing(self) -> list[dossier_checklist.ChecklistItem]:
        return [item for item in self.checklist if not item.done]


def get_dossier_progress(booking_id: int) -> DossierProgress | None:
    """The checklist of the dossier started from the booking and what each chosen landlord did, or None."""
    dossier = dossier_lifecycle.get_dossier_for_booking(booking_id)
    if dossier is None:
        return None
    lines = (landlord_services.candidate_status_lines(dossier)
             if landlord_services.candidate_sees_status_lines(dossier) else [])
    return DossierProgress(checklist=dossier_checklist.completeness_checklist(dossier), landlord_lines=lines)


@dataclass(frozen=True)
class BookableMoment:
    moment: RegistrationMoment
    free_places: int


def list_bookable_moments(*, now: datetime, limit: int = 6) -> list[BookableMoment]:
    """List moments candidates can book now or once their window opens, with their free places (one query)."""
    free = sa.func.coalesce(sa.func.sum(Slot.capacity - Slot.booked), 0)
    rows = db.session.execute(
        sa.select(RegistrationMoment, free)
        .outerjoin(Slot, Slot.moment_id == RegistrationMoment.id)
        .where(RegistrationMoment.booking_open_or_upcoming(now))
        .group_by(RegistrationMoment.id)
        .order_by(RegistrationMoment.held_on)
        .limit(limit)
    ).all()
    return [BookableMoment(moment=m, free_places=int(f)) for m, f in rows]


@dataclass(frozen=True)
class SlotGroup:
    """The slots of one opening block (or of no block, when the plan changed afterwards)."""

    starts_at: datetime
    ends_at: datetime
    slots: list[Slot]


def list_slot_groups(moment: RegistrationMoment) -> list[SlotGroup]:
    """The moment's slots grouped by opening block, in time order (two queries, however many slots)."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.moment_id == moment.id).order_by(Slot.starts_at)
    ).all()
    blocks = db.session.scalars(
        sa.select(OpeningBlock).where(OpeningBlock.moment_id == moment.id).order_by(OpeningBlock.start_time)
    ).all()
    groups: list[list[Slot]] = [[] for _ in blocks]
    loose: list[Slot] = []
    for slot in slots:
        local_start = slot.starts_at.astimezone(tz).time()
        for index, block in enumerate(blocks):
            if block.start_time <= local_start < block.end_time:
                groups[index].append(slot)
                break
        else:
            loose.append(slot)
    result = [SlotGroup(g[0].starts_at, g[-1].ends_at, g) for g in groups if g]
    if loose:
        result.append(SlotGroup(loose[0].starts_at, loose[-1].ends_at, loose))
    return sorted(result, key=lambda group: group.starts_at)


def list_free_slots(moment_id: int, *, now: datetime) -> list[Slot]:
    return list(
        db.session.scalars(
            sa.select(Slot)
            .where(Slot.moment_id == moment_id, Slot.booked < Slot.capacity, Slot.starts_at > now)
            .order_by(Slot.starts_at)
        )
    )


@dataclass(frozen=True)
class MomentSlots:
    moment: RegistrationMoment
    slots: list[Slot]


def list_moments_for_move(*, now: datetime) -> list[MomentSlots]:
    """Moments open for booking now, each with all its slots (two queries)."""
    moments = db.session.scalars(
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.takes_bookings(now))
        .order_by(RegistrationMoment.held_on)
        .limit(6)
    ).all()
    if not moments:
        return []
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.moment_id.in_([m.id for m in moments])).order_by(Slot.starts_at)
    ).all()
    by_moment: dict[int, list[Slot]] = {m.id: [] for m in moments}
    for slot in slots:
        by_moment[slot.moment_id].append(slot)
    return [MomentSlots(moment=m, slots=by_moment[m.id]) for m in moments]
