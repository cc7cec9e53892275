"""Constants, exceptions and plain result types shared by the planning services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from inschrijving.booking.models import Booking
from inschrijving.planning.models import MomentKind, Slot

BRUSSELS = ZoneInfo("Europe/Brussels")
SERIES_EVERY_MONTHS = 2
MAX_SERIES_COUNT = 12
BOOKING_CLOSES_WORKING_DAYS = 2
BOOKING_CLOSES_AT = time(12)


class PlanningError(Exception):
    """Base class for planning rule violations."""


class InvalidBlocks(PlanningError):
    """The opening blocks are empty, reversed or overlap."""


class NoSlots(PlanningError):
    """The blocks are shorter than one slot."""


class InvalidBookingWindow(PlanningError):
    """The booking window closes before it opens, or after the moment starts."""


class WrongStatus(PlanningError):
    """The moment is not in a state that allows this action."""


class CapacityBelowBookings(PlanningError):
    """A slot would hold fewer seats than it has live bookings; nothing was changed."""

    def __init__(self, shortfalls: list[Shortfall], free_slots: list[Slot]):
        super().__init__(f"{len(shortfalls)} slot(s) over capacity")
        self.shortfalls = shortfalls
        self.free_slots = free_slots


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: datetime
    ends_at: datetime
    capacity: int


@dataclass(frozen=True)
class MomentPlan:
    """A moment as the coordinator described it, checked, with its slots, before anything is saved."""

    kind: MomentKind
    held_on: date
    title: str | None
    location_name: str
    address: str
    place_notes: dict[str, str]
    blocks: list[tuple[time, time]]
    slot_minutes: int
    desks: int
    booking_opens_at: datetime
    booking_closes_at: datetime
    slots: list[PlannedSlot] = field(default_factory=list)
    # (block start, block end, minutes at the end of the block that hold no whole slot)
    remainders: list[tuple[time, time, int]] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(s.capacity for s in self.slots)


@dataclass
class Shortfall:
    slot: Slot
    new_capacity: int
    must_move: list[Booking]
    # Seats held for open waiting-list offers: they free up when the offer is claimed elsewhere or expires.
    held_offers: int = 0
