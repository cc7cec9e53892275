"""Waiting-list rules: join, hold a freed seat for the first in line, expire, next-moment notices.

Claiming an offer is a transition of a booking, so it lives with the others in `lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from inschrijving.booking.models import Booking, WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import notices, seats
from inschrijving.booking.services.base import AlreadyWaiting, ContactDetails, SlotFull, WaitlistError
from inschrijving.extensions import db
from inschrijving.notifications import sms
from inschrijving.planning.models import MomentStatus, RegistrationMoment, Slot
from inschrijving.tokens import new_token


@dataclass(frozen=True)
class Offer:
    entry: WaitlistEntry
    token: str


def join_waitlist(moment: RegistrationMoment | None, *, details: ContactDetails, now: datetime,
                  replaces: Booking | None = None) -> WaitlistEntry:
    """Put a candidate on a moment's waiting list, or (moment None) on the list for the next moment.

    `replaces`: the booking new opening hours unseated, which a claim of the offer makes again. A client
    reached through their booker (`details.client_key`) is already waiting only as that client: the booker's
    work contact is the channel of several clients.
    """
    if moment is None and not details.email:
        raise WaitlistError("the news of a new date goes by e-mail")
    if not details.email and not sms.is_mobile(details.phone):
        # Offers expire within hours; only an SMS or an e-mail reaches people that fast without staff calling round.
        raise WaitlistError("a mobile number or an e-mail address is needed")
    moment_id = moment.id if moment is not None else None
    if details.client_key:
        same_person = WaitlistEntry.client_key == details.client_key
    else:
        same_person = sa.and_(WaitlistEntry.client_key.is_(None), sa.or_(*[
            column == value for column, value in ((WaitlistEntry.email, details.email),
                                                  (WaitlistEntry.phone, details.phone)) if value]))
    already = db.session.scalar(
        sa.select(WaitlistEntry.id).where(
            WaitlistEntry.moment_id.is_(None) if moment_id is None else WaitlistEntry.moment_id == moment_id,
            WaitlistEntry.status.in_((WaitlistStatus.WAITING, WaitlistStatus.OFFERED)),
            same_person,
        )
    )
    if already:
        raise AlreadyWaiting(already)
    entry = WaitlistEntry(
        moment_id=moment_id,
        status=WaitlistStatus.WAITING,
        contact_name=details.contact_name,
        phone=details.phone,
        email=details.email,
        language=details.language,
        household_size=details.household_size,
        organisation=details.organisation,
        seats=details.seats,
        client_key=details.client_key,
        replaces_booking=replaces,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def offer_freed_seat(slot: Slot, *, now: datetime) -> Offer | None:
    """Hold a just-freed seat for the first person waiting for its moment and send them an offer.

    The seat is taken with take_seat, so nobody else can book it while the offer runs. Each entry is
    claimed with a conditional UPDATE, so two seats freed at once never go to the same person. A
    moment that is not published (closed, cancelled) and a slot that has started offer nothing.

    An info moment's entry waits for the seats of all its attendees, taken at once (all or none): the
    first in line whose group fits gets the offer, and the offers go on while seats are free (a cancelled
    registration frees several). Returns the first offer made.
    """
    moment = slot.moment
    if moment.status != MomentStatus.PUBLISHED or slot.starts_at <= now:
        return None
    hours = current_app.config["WAITLIST_OFFER_HOURS"]
    expires_at = min(now + timedelta(hours=hours), slot.starts_at)
    candidates = db.session.execute(
        sa.select(WaitlistEntry.id, WaitlistEntry.seats)
        .where(WaitlistEntry.moment_id == moment.id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .limit(20)
    ).all()
    offers: list[Offer] = []
    for entry_id, wanted in candidates:
        token, token_hash = new_token()
        claimed = db.session.execute(
            sa.update(WaitlistEntry)
            .where(WaitlistEntry.id == entry_id, WaitlistEntry.status == WaitlistStatus.WAITING)
            .values(
                status=WaitlistStatus.OFFERED,
                offered_slot_id=slot.id,
                offer_token_hash=token_hash,
                offer_expires_at=expires_at,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        try:
            with db.session.begin_nested():
                seats.take_seat(slot.id, wanted)
        except SlotFull:
            # Someone booked the freed seat first (or, at an info moment, this group does not fit); they keep waiting.
            _reset_entry(entry_id)
            if moment.is_info and wanted > 1:
                continue
            break
        entry = db.session.get(WaitlistEntry, entry_id)
        db.session.refresh(entry)
        notices.queue_offer(entry, token, now=now)
        offers.append(Offer(entry=entry, token=token))
        if not moment.is_info:
            break
    return offers[0] if offers else None


def _reset_entry(entry_id: int) -> None:
    db.session.execute(
        sa.update(WaitlistEntry)
        .where(WaitlistEntry.id == entry_id)
        .values(status=WaitlistStatus.WAITING, offered_slot_id=None, offer_token_hash=None, offer_expires_at=None)
        .execution_options(synchronize_session=False)
    )


def expire_offers(*, now: datetime) -> int:
    """Release the seats of unclaimed offers and pass each one to the next person waiting."""
    expired_ids = db.session.scalars(
        sa.select(WaitlistEntry.id).where(
            WaitlistEntry.status == WaitlistStatus.OFFERED, WaitlistEntry.offer_expires_at <= now
        )
    ).all()
    count = 0
    for entry_id in expired_ids:
        entry = db.session.get(WaitlistEntry, entry_id)
        done = db.session.execute(
            sa.update(WaitlistEntry)
            .where(WaitlistEntry.id == entry_id, WaitlistEntry.status == WaitlistStatus.OFFERED)
            .values(status=WaitlistStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            continue  # claimed or expired by a parallel run
        db.session.refresh(entry)
        slot = entry.offered_slot
        if slot is None:
            continue
        seats.release_seat(slot.id, entry.seats)
        offer_freed_seat(slot, now=now)
        count += 1
    return count


def notify_next_moment_subscribers(moment: RegistrationMoment, now: datetime) -> int:
    """E-mail everyone who asked to hear about the next moment; each hears once. Returns how many."""
    entries = db.session.scalars(
        sa.select(WaitlistEntry)
        .where(WaitlistEntry.moment_id.is_(None), WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    ).all()
    count = 0
    for entry in entries:
        done = db.session.execute(
            sa.update(WaitlistEntry)
            .where(WaitlistEntry.id == entry.id, WaitlistEntry.status == WaitlistStatus.WAITING)
            .values(status=WaitlistStatus.NOTIFIED)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            continue
        db.session.refresh(entry)
        notices.queue_next_moment(entry, moment)
        count += 1
    return count


def close_moment_entries(moment: RegistrationMoment) -> None:
    """Close the waiting list of a cancelled moment: nobody waits for, or holds a seat at, a day that is off."""
    db.session.execute(
        sa.update(WaitlistEntry)
        .where(
            WaitlistEntry.moment_id == moment.id,
            WaitlistEntry.status.in_((WaitlistStatus.WAITING, WaitlistStatus.OFFERED)),
        )
        .values(status=WaitlistStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
