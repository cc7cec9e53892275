"""Read side of planning: overviews, the day list and statistics, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from inschrijving import contact
from inschrijving.accounts.models import Role, User
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.dossiers.models import ChoiceStatus, Dossier, DossierStatus, LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.planning.models import MomentStatus, RegistrationMoment, Slot


@dataclass
class MomentRow:
    moment: RegistrationMoment
    slots: int = 0
    capacity: int = 0
    booked: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


@dataclass
class MomentStats:
    moment: RegistrationMoment
    booked: int = 0
    came: int = 0
    no_show: int = 0
    cancelled: int = 0
    waiting: int = 0


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


def readable_phone(phone: str | None) -> str:
    if not phone:
        return ""
    try:
        return contact.normalise_phone(phone, readable=True)
    except ValueError:
        return phone


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


def list_moment_rows(*, upcoming: bool, today: date) -> list[MomentRow]:
    """Moments with their seat totals: upcoming soonest first, past most recent first. Two queries."""
    stmt = sa.select(RegistrationMoment)
    if upcoming:
        stmt = stmt.where(RegistrationMoment.held_on >= today).order_by(RegistrationMoment.held_on)
    else:
        stmt = stmt.where(RegistrationMoment.held_on < today).order_by(RegistrationMoment.held_on.desc())
    moments = db.session.scalars(stmt).all()
    rows = {m.id: MomentRow(m) for m in moments}
    if rows:
        totals = db.session.execute(
            sa.select(
                Slot.moment_id, sa.func.count(Slot.id), sa.func.sum(Slot.capacity), sa.func.sum(Slot.booked)
            )
            .where(Slot.moment_id.in_(rows))
            .group_by(Slot.moment_id)
        )
        for moment_id, count, capacity, booked in totals:
            row = rows[moment_id]
            row.slots, row.capacity, row.booked = count, capacity or 0, booked or 0
    return list(rows.values())


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


def moment_stats(moments: list[RegistrationMoment]) -> list[MomentStats]:
    """Booked (not cancelled), came, no-show, cancelled and waiting-list size per moment. Two queries."""
    stats = {m.id: MomentStats(m) for m in moments}
    if not stats:
        return []
    counts = db.session.execute(
        sa.select(Booking.moment_id, Booking.status, sa.func.count(Booking.id))
        .where(Booking.moment_id.in_(stats))
        .group_by(Booking.moment_id, Booking.status)
    )
    for moment_id, status, count in counts:
        row = stats[moment_id]
        if status == BookingStatus.CANCELLED:
            row.cancelled += count
        else:
            row.booked += count
            if status == BookingStatus.CHECKED_IN:
                row.came += count
            elif status == BookingStatus.NO_SHOW:
                row.no_show += count
    waiting = db.session.execute(
        sa.select(WaitlistEntry.moment_id, sa.func.count(WaitlistEntry.id))
        .where(WaitlistEntry.moment_id.in_(stats))
        .group_by(WaitlistEntry.moment_id)
    )
    for moment_id, count in waiting:
        stats[moment_id].waiting = count
    return list(stats.values())


def list_stat_moments() -> list[RegistrationMoment]:
    """Moments worth counting (not drafts), oldest first, for the over-time view."""
    return list(
        db.session.scalars(
            sa.select(RegistrationMoment)
            .where(RegistrationMoment.status != MomentStatus.DRAFT)
            .order_by(RegistrationMoment.held_on)
        )
    )


def list_staff_users(*, enabled_only: bool) -> list[User]:
    """Coordinators and volunteers, who can staff a moment, by name (the team form; it checks the disabled)."""
    stmt = sa.select(User).where(User.role.in_((Role.COORDINATOR, Role.VOLUNTEER))).order_by(User.name)
    if enabled_only:
        stmt = stmt.where(User.is_enabled.is_(True))
    return list(db.session.scalars(stmt))


def get_moment_with_slots(moment_id: int) -> RegistrationMoment | None:
    return db.session.scalar(
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.id == moment_id)
        .options(selectinload(RegistrationMoment.slots), selectinload(RegistrationMoment.blocks))
    )


# Series shown in the charts, with their SVG fill colours (presentation attributes pass the CSP).
CHART_SERIES = (
    ("booked", "#0b4f8a"),
    ("came", "#1d6b35"),
    ("no_show", "#8a4b00"),
    ("cancelled", "#b3261e"),
    ("waiting", "#6b5fa8"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    value: int
    series: str


@dataclass(frozen=True)
class ChartGroup:
    label: str
    x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    maximum: int
    groups: list[ChartGroup]
    ticks: list[Tick]


def bar_chart(stats: list[MomentStats], labels: list[str], *, height: int = 260) -> Chart:
    """Lay out grouped bars per moment with a labelled scale; the template only draws what is computed here."""
    bar_width, gap, left, top, bottom = 20, 24, 44, 14, 40
    group_width = bar_width * len(CHART_SERIES) + gap
    maximum = max((getattr(s, name) for s in stats for name, _c in CHART_SERIES), default=0) or 1
    plot = height - top - bottom
    baseline = top + plot
    groups = []
    for index, (row, label) in enumerate(zip(stats, labels, strict=True)):
        x0 = left + gap / 2 + index * group_width
        bars = []
        for position, (name, colour) in enumerate(CHART_SERIES):
            value = getattr(row, name)
            bar_height = round(plot * value / maximum, 1)
            bars.append(
                Bar(x0 + position * bar_width, round(baseline - bar_height, 1), bar_width - 3, bar_height, colour,
                    value, name)
            )
        groups.append(ChartGroup(label, x0, bars))
    ticks = [Tick(round(baseline - plot * v / maximum, 1), v) for v in sorted({0, maximum // 2, maximum})]
    width = max(left + len(stats) * group_width + gap // 2, 240)
    return Chart(width, height, left, baseline, maximum, groups, ticks)
