"""The season at a glance: statistics per moment and period, info moments apart, and the charts drawn from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier, Preferences, preference_municipalities
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment
from inschrijving.professionals import queries as professional_queries


@dataclass
class MomentStats:
    moment: RegistrationMoment | None  # None for the totals of a period
    booked: int = 0
    came: int = 0
    no_show: int = 0
    cancelled: int = 0
    waiting: int = 0
    walk_ins: int = 0
    dossiers_started: int = 0
    dossiers_completed: int = 0

    @property
    def no_show_rate(self) -> float | None:
        """No-shows as a share of the bookings that were not cancelled (None without any)."""
        return self.no_show / self.booked if self.booked else None


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


SEASON_COUNTS = ("booked", "came", "no_show", "cancelled", "waiting", "walk_ins", "dossiers_started",
                 "dossiers_completed")


@dataclass
class InfoMomentStats:
    """An info moment for professionals: registrations, attendees and organisations reached."""

    moment: RegistrationMoment
    registrations: int = 0
    attendees: int = 0
    organisations: int = 0
    no_show_attendees: int = 0


@dataclass
class SeasonStats:
    """Everything the statistics page and its XLSX show for a period, counted in a fixed number of queries."""

    moments: list[MomentStats]
    totals: MomentStats
    by_landlord: list[tuple[str, int]] = field(default_factory=list)
    by_municipality: list[tuple[str, int]] = field(default_factory=list)
    by_language: list[tuple[str, int]] = field(default_factory=list)
    interpreters: int = 0
    by_booked_by: list[tuple[str, int]] = field(default_factory=list)
    info: list[InfoMomentStats] = field(default_factory=list)


def list_season_moments(*, since: date | None = None, until: date | None = None) -> list[RegistrationMoment]:
    """Moments worth counting in a period (not drafts), oldest first, both kinds."""
    stmt = sa.select(RegistrationMoment).where(RegistrationMoment.status != MomentStatus.DRAFT)
    if since is not None:
        stmt = stmt.where(RegistrationMoment.held_on >= since)
    if until is not None:
        stmt = stmt.where(RegistrationMoment.held_on <= until)
    return list(db.session.scalars(stmt.order_by(RegistrationMoment.held_on, RegistrationMoment.id)))


def season_stats(moments: list[RegistrationMoment]) -> SeasonStats:
    """Per registration moment and for them all together: bookings, arrivals, no-shows, cancellations, waiting
    list, walk-ins, dossiers, landlords chosen, municipalities wished for, languages, interpreters and who booked.

    Info moments are counted apart (`info_moment_statistics`). Seven queries however many moments.
    """
    registration = [m for m in moments if m.kind == MomentKind.REGISTRATION]
    info = [m for m in moments if m.kind == MomentKind.INFO]
    rows = {m.id: MomentStats(m) for m in registration}
    totals = MomentStats(None)
    season = SeasonStats(list(rows.values()), totals, info=info_moment_statistics(info))
    if not rows:
        return season
    for moment_id, status, walk_in, count in db.session.execute(
        sa.select(Booking.moment_id, Booking.status, Booking.is_walk_in, sa.func.count(Booking.id))
        .where(Booking.moment_id.in_(rows))
        .group_by(Booking.moment_id, Booking.status, Booking.is_walk_in)
    ):
        row = rows[moment_id]
        if status == BookingStatus.CANCELLED:
            row.cancelled += count
            continue
        row.booked += count
        row.walk_ins += count if walk_in else 0
        row.came += count if status == BookingStatus.CHECKED_IN else 0
        row.no_show += count if status == BookingStatus.NO_SHOW else 0
    for moment_id, count in db.session.execute(
        sa.select(WaitlistEntry.moment_id, sa.func.count(WaitlistEntry.id))
        .where(WaitlistEntry.moment_id.in_(rows))
        .group_by(WaitlistEntry.moment_id)
    ):
        rows[moment_id].waiting = count
    for moment_id, status, count in db.session.execute(
        sa.select(Dossier.moment_id, Dossier.status, sa.func.count(Dossier.id))
        .where(Dossier.moment_id.in_(rows))
        .group_by(Dossier.moment_id, Dossier.status)
    ):
        rows[moment_id].dossiers_started += count
        rows[moment_id].dossiers_completed += count if status == DossierStatus.COMPLETE else 0
    for row in rows.values():
        for name in SEASON_COUNTS:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    season.by_landlord = _counted(
        sa.select(Landlord.name, sa.func.count(LandlordChoice.id))
        .join(LandlordChoice, LandlordChoice.landlord_id == Landlord.id)
        .join(Dossier, Dossier.id == LandlordChoice.dossier_id)
        .where(Dossier.moment_id.in_(rows))
        .group_by(Landlord.name)
    )
    season.by_municipality = _counted(
        sa.select(Municipality.name, sa.func.count(Dossier.id))
        .join(preference_municipalities, preference_municipalities.c.municipality_id == Municipality.id)
        .join(Preferences, Preferences.id == preference_municipalities.c.preferences_id)
        .join(Dossier, Dossier.id == Preferences.dossier_id)
        .where(Dossier.moment_id.in_(rows))
        .group_by(Municipality.name)
    )
    languages: dict[str, int] = {}
    booked_by: dict[str, int] = {}
    for language, interpreter, by, count in db.session.execute(
        sa.select(Booking.language, Booking.needs_interpreter, Booking.booked_by, sa.func.count(Booking.id))
        .where(Booking.moment_id.in_(rows), Booking.status != BookingStatus.CANCELLED)
        .group_by(Booking.language, Booking.needs_interpreter, Booking.booked_by)
    ):
        languages[language] = languages.get(language, 0) + count
        booked_by[by] = booked_by.get(by, 0) + count
        season.interpreters += count if interpreter else 0
    season.by_language = sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    season.by_booked_by = sorted(booked_by.items(), key=lambda item: (-item[1], item[0]))
    return season


def _counted(stmt: sa.Select) -> list[tuple[str, int]]:
    """(label, count) rows, most first."""
    return sorted(((label, count) for label, count in db.session.execute(stmt)), key=lambda r: (-r[1], r[0]))


def info_moment_statistics(moments: list[RegistrationMoment]) -> list[InfoMomentStats]:
    """Info moments apart: registrations, attendees, organisations reached and no-shows (one query).

    The counting rule is the professionals domain's (`professionals.queries.info_moment_totals`).
    """
    totals = professional_queries.info_moment_totals([m.id for m in moments]) if moments else {}
    return [
        InfoMomentStats(m, t.registrations, t.attendees, t.organisations, t.no_show_attendees)
        for m in moments
        for t in [totals[m.id]]
    ]


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True)
class HChart:
    """A horizontal bar chart: one bar per row, labels on the left, the value after the bar."""

    width: int
    height: int
    left: int
    bar_height: int
    bars: list[HBar]


def hbar_chart(rows: list[tuple[str, int]], *, width: int = 560, left: int = 200) -> HChart:
    """Lay out horizontal bars for (label, count) rows; the template only draws what is computed here."""
    bar_height, gap = 20, 8
    maximum = max((value for _label, value in rows), default=0) or 1
    plot = width - left - 48
    bars = [
        HBar(label, value, index * (bar_height + gap) + gap, round(plot * value / maximum, 1))
        for index, (label, value) in enumerate(rows)
    ]
    return HChart(width, len(rows) * (bar_height + gap) + gap, left, bar_height, bars)
