"""The day list of one moment: its slots and bookings, the day's counts, search and filters, in four queries."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.dossiers.enums import ChoiceStatus, DossierStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.planning.models import RegistrationMoment, Slot


@dataclass
class DaySlot:
    slot: Slot
    bookings: list[Booking] = field(default_factory=list)
    # The dossier started from a booking, by booking id, with what each chosen landlord reported.
    dossiers: dict[int, DayDossier] = field(default_factory=dict)


@dataclass
class DayDossier:
    id: int
    is_complete: bool
    choices: list[tuple[str, ChoiceStatus]] = field(default_factory=list)


# What the day list can be narrowed to: a fact of the booking (or of its dossier) per filter value.
DAY_STATUS_FILTERS = ("expected", "checked_in", "no_show", "no_dossier", "dossier_open", "dossier_complete")


@dataclass(frozen=True)
class DayFilter:
    """What the volunteer typed or chose above the day list (GET parameters, so it works without script)."""

    search: str = ""
    status: str = ""
    slot_id: int | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.search or self.status or self.slot_id)

    def keeps(self, booking: Booking, dossier: DayDossier | None) -> bool:
        if self.slot_id and booking.slot_id != self.slot_id:
            return False
        if self.status and not _has_status(booking, dossier, self.status):
            return False
        return not self.search or _matches(booking, self.search)


def _has_status(booking: Booking, dossier: DayDossier | None, status: str) -> bool:
    facts = {
        "expected": booking.is_expected,
        "checked_in": booking.is_checked_in,
        "no_show": booking.is_no_show,
        "no_dossier": dossier is None,
        "dossier_open": dossier is not None and not dossier.is_complete,
        "dossier_complete": dossier is not None and dossier.is_complete,
    }
    return facts.get(status, True)


def search_text(booking: Booking) -> str:
    """What a search matches: name, reference and phone (digits only, so "0470 12" finds "+32470 12...")."""
    phone = booking.phone or ""
    local = "0" + phone[3:] if phone.startswith("+32") else phone
    return " ".join((booking.contact_name or "", booking.reference, phone, local)).casefold()


def row_statuses(booking: Booking, dossier: DayDossier | None) -> list[str]:
    """The filter values a row matches (the page's script filters on them as the server does)."""
    return [status for status in DAY_STATUS_FILTERS if _has_status(booking, dossier, status)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _matches(booking: Booking, search: str) -> bool:
    """Every word typed is found in the name, the reference or the phone (a phone in any notation)."""
    haystack = search_text(booking)
    numbers = _digits(haystack)
    return all(
        word in haystack or (len(_digits(word)) >= 3 and _digits(word) in numbers)
        for word in search.casefold().split()
    )


@dataclass
class DayCounts:
    booked: int = 0
    checked_in: int = 0
    no_show: int = 0
    dossiers_started: int = 0
    dossiers_complete: int = 0

    @property
    def expected(self) -> int:
        return self.booked - self.checked_in - self.no_show


@dataclass
class DayList:
    slots: list[DaySlot]
    counts: DayCounts
    filter: DayFilter
    shown: int


def day_list(moment: RegistrationMoment, day_filter: DayFilter | None = None) -> DayList:
    """Every slot of the moment with the bookings that are not cancelled, in booking order, with the
    day's counts (always over every booking) and only the rows the filter keeps. Four queries, whatever the size."""
    day_filter = day_filter or DayFilter()
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.moment_id == moment.id).order_by(Slot.starts_at)
    ).all()
    by_slot = {s.id: DaySlot(s) for s in slots}
    bookings = db.session.scalars(
        sa.select(Booking)
        .where(Booking.moment_id == moment.id, Booking.status != BookingStatus.CANCELLED)
        .order_by(Booking.created_at, Booking.id)
    ).all()
    dossiers = _dossiers_of(moment, {b.id for b in bookings})
    counts = DayCounts(booked=len(bookings))
    shown = 0
    for booking in bookings:
        dossier = dossiers.get(booking.id)
        counts.checked_in += booking.is_checked_in
        counts.no_show += booking.is_no_show
        counts.dossiers_started += dossier is not None
        counts.dossiers_complete += dossier is not None and dossier.is_complete
        if day_filter.keeps(booking, dossier):
            shown += 1
            by_slot[booking.slot_id].bookings.append(booking)
            if dossier is not None:
                by_slot[booking.slot_id].dossiers[booking.id] = dossier
    kept = [s for s in by_slot.values() if not day_filter.slot_id or s.slot.id == day_filter.slot_id]
    return DayList(kept, counts, day_filter, shown)


def _dossiers_of(moment: RegistrationMoment, booking_ids: set[int]) -> dict[int, DayDossier]:
    """Each booking's dossier with its landlord statuses, by booking id. Two queries."""
    rows = db.session.execute(
        sa.select(Dossier.id, Dossier.booking_id, Dossier.status).where(
            Dossier.moment_id == moment.id, Dossier.booking_id.is_not(None)
        )
    ).all()
    found: dict[int, DayDossier] = {}
    by_booking: dict[int, DayDossier] = {}
    for dossier_id, booking_id, status in rows:
        if booking_id in booking_ids:
            found[dossier_id] = by_booking[booking_id] = DayDossier(dossier_id, status == DossierStatus.COMPLETE)
    choices = db.session.execute(
        sa.select(LandlordChoice.dossier_id, Landlord.name, LandlordChoice.status)
        .join(Landlord, Landlord.id == LandlordChoice.landlord_id)
        .where(LandlordChoice.dossier_id.in_(found))
        .order_by(Landlord.name)
    ).all()
    for dossier_id, landlord_name, status in choices:
        found[dossier_id].choices.append((landlord_name, status))
    return by_booking
