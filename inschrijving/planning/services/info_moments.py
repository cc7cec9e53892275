"""Planning an info moment: one session (start, end, place, seats, topic per language), not a grid of slots.

It is stored like any moment (one opening block, one slot whose capacity is the number of seats, one
"desk"), so publishing, closing, cancelling and the capacity page work the same; the seats count
attendees (docs/planning.md, "Info moments").
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from inschrijving.accounts.models import User
from inschrijving.planning.models import MomentKind, RegistrationMoment
from inschrijving.planning.services import moments
from inschrijving.planning.services.base import InvalidBlocks, InvalidBookingWindow, MomentPlan, PlannedSlot
from inschrijving.planning.services.slots import local_instant


def plan_info_moment(*, held_on: date, starts: time, ends: time, location_name: str, address: str, seats: int,
                     now: datetime, booking_opens_at: datetime | None = None,
                     booking_closes_at: datetime | None = None) -> MomentPlan:
    """Check an info moment's session; registration closes when it starts unless told otherwise."""
    if ends <= starts:
        raise InvalidBlocks(_l("Het infomoment moet eindigen na het begin."))
    starts_at, ends_at = local_instant(held_on, starts), local_instant(held_on, ends)
    opens = booking_opens_at or now
    closes = booking_closes_at or starts_at
    if closes <= opens:
        raise InvalidBookingWindow(_l("Het inschrijven moet sluiten na het openen."))
    if closes > starts_at:
        raise InvalidBookingWindow(_l("Het inschrijven moet sluiten voor het infomoment begint."))
    return MomentPlan(
        kind=MomentKind.INFO, held_on=held_on, title=None, location_name=location_name.strip(),
        address=address.strip(), place_notes={}, blocks=[(starts, ends)],
        slot_minutes=int((ends_at - starts_at).total_seconds() // 60), desks=1,
        booking_opens_at=opens, booking_closes_at=closes,
        slots=[PlannedSlot(starts_at=starts_at, ends_at=ends_at, capacity=seats)],
    )


def create_info_moment(plan: MomentPlan, *, topics: dict[str, str], actor: User, ip: str | None) -> RegistrationMoment:
    """Save a checked info moment as a draft with its topic per language (Dutch required); audited."""
    moment = moments.create_moment(plan, actor=actor, ip=ip)
    moment.topics = {code: text.strip() for code, text in topics.items() if text and text.strip()}
    return moment
