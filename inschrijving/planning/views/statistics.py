"""Statistics per moment and over time, and the staff calendar feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Response, abort, g, render_template, request, url_for
from flask_babel import format_date, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inschrijving.booking.models import BookedBy
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.db_types import utcnow
from inschrijving.planning.forms import PeriodForm
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.queries import statistics as statistics_queries
from inschrijving.planning.services import staff as staff_services
from inschrijving.planning.views.blueprint import bp, feed_bp, moment_or_404
from inschrijving.rendering.ical import CalendarEvent, moments_to_ical
from inschrijving.rendering.xlsx_tables import Table, tables_to_xlsx

DEFAULT_PERIOD_DAYS = 365
BOOKED_BY_LABELS = {
    BookedBy.SELF: _l("de kandidaat zelf"),
    BookedBy.SOCIAL_WORKER: _l("een sociaal werker"),
    BookedBy.VOLUNTEER: _l("een vrijwilliger"),
}


@bp.route("/<int:moment_id>/statistiek")
def moment_statistics(moment_id: int):
    """Show what happened at one moment: bookings, arrivals, cancellations, waiting list, dossiers and who came."""
    moment = moment_or_404(moment_id)
    if not moment.takes_dossiers:
        abort(404)  # an info moment's figures are on its overview and in the season's info table
    return _statistics_page(statistics_queries.season_stats([moment]), moment=moment, form=None)


@bp.route("/statistiek")
def statistics():
    """Show the season at a glance: every moment of a period, their totals and what the households chose."""
    form = PeriodForm(request.args)
    since, until = _period(form)
    season = statistics_queries.season_stats(statistics_queries.list_season_moments(since=since, until=until))
    return _statistics_page(season, moment=None, form=form)


@bp.route("/statistiek.xlsx")
def statistics_xlsx():
    """The same figures as a spreadsheet, one sheet per table."""
    since, until = _period(PeriodForm(request.args))
    season = statistics_queries.season_stats(statistics_queries.list_season_moments(since=since, until=until))
    return Response(tables_to_xlsx(season_tables(season)), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="statistiek.xlsx"',
    })


def _period(form: PeriodForm) -> tuple[date | None, date | None]:
    """The asked period; without one, the last twelve months and what is planned (a season, whatever the history)."""
    if request.args and form.validate():
        return form.since.data, form.until.data
    form.since.data = utcnow().date() - timedelta(days=DEFAULT_PERIOD_DAYS)
    return form.since.data, None


def _statistics_page(season: statistics_queries.SeasonStats, *, moment: RegistrationMoment | None,
                     form: PeriodForm | None):
    labels = [format_date(s.moment.held_on, "d MMM yy") for s in season.moments]
    return render_template(
        "planning/statistics.html", moment=moment, form=form, season=season, stats=season.moments,
        chart=statistics_queries.bar_chart(season.moments, labels), breakdowns=breakdowns(season),
        export_args={k: v for k, v in request.args.items() if k in ("since", "until") and v},
        percent=lambda share: format_percent(share) if share is not None else "—",
    )


def breakdowns(
    season: statistics_queries.SeasonStats,
) -> list[tuple[str, str, list[tuple[str, int]], statistics_queries.HChart]]:
    """(title, first column, rows, chart) for each "what did the households choose" table."""
    tables = [
        (_("Gekozen verhuurders"), _("Verhuurder"), season.by_landlord),
        (_("Gewenste gemeenten"), _("Gemeente"), season.by_municipality),
        (_("Talen"), _("Taal"), [(LANGUAGE_NAMES.get(code, code), n) for code, n in season.by_language]),
        (_("Wie boekte"), _("Geboekt door"), [(str(BOOKED_BY_LABELS.get(by, by)), n) for by, n in season.by_booked_by]),
    ]
    return [(title, column, rows, statistics_queries.hbar_chart(rows)) for title, column, rows in tables]


def season_tables(season: statistics_queries.SeasonStats) -> list[Table]:
    """The statistics page's tables as spreadsheet tables (numbers as numbers, dates as dates)."""
    header = [_("Datum"), _("Plaats"), _("Geboekt"), _("Gekomen"), _("Niet gekomen"), _("Niet gekomen (aandeel)"),
              _("Geannuleerd"), _("Wachtlijst"), _("Zonder afspraak"), _("Dossiers gestart"),
              _("Dossiers afgerond")]

    def counts(row: statistics_queries.MomentStats) -> list:
        rate = round(row.no_show_rate, 4) if row.no_show_rate is not None else None
        return [row.booked, row.came, row.no_show, rate, row.cancelled, row.waiting, row.walk_ins,
                row.dossiers_started, row.dossiers_completed]

    moments = [[r.moment.held_on, r.moment.location_name, *counts(r)] for r in season.moments]
    tables = [Table(_("Momenten"), header, [*moments, [_("Totaal"), "", *counts(season.totals)]])]
    tables += [Table(title, [column, _("Aantal")], rows) for title, column, rows, _chart in breakdowns(season)]
    tables.append(Table(_("Tolken"), [_("Heeft een tolk nodig"), _("Aantal")], [[_("ja"), season.interpreters]]))
    tables.append(Table(_("Infomomenten"), [_("Datum"), _("Plaats"), _("Inschrijvingen"), _("Deelnemers"),
                                            _("Organisaties"), _("Niet gekomen")],
                        [[i.moment.held_on, i.moment.location_name, i.registrations, i.attendees, i.organisations,
                          i.no_show_attendees] for i in season.info]))
    return tables


@feed_bp.route("/agenda/<token>.ics")
def staff_feed(token: str):
    """Serve a staff member's calendar of the moments they staff (coordinators: every published moment)."""
    # Staff pages speak Dutch whatever the calendar app's Accept-Language says.
    g.staff_page = True
    user = staff_services.get_feed_user(token)
    if user is None:
        abort(404)
    stamp = utcnow()
    events = [_feed_event(m, stamp=stamp) for m in staff_services.list_feed_moments(user) if m.slots]
    body = moments_to_ical(events, calendar_name=_("Groepsinschrijving – %(name)s", name=user.name))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": "inline; filename=groepsinschrijving.ics",
        "Cache-Control": "private, max-age=300",
    })


def _feed_event(moment: RegistrationMoment, *, stamp: datetime) -> CalendarEvent:
    """One moment as a feed event, from its first slot to the end of its last (its UID never changes)."""
    return CalendarEvent(
        uid=f"moment-{moment.id}@{request.host.split(':')[0]}",
        sequence=0,
        starts_at=moment.slots[0].starts_at,
        ends_at=moment.slots[-1].ends_at,
        summary=_("Groepsinschrijving: %(place)s", place=moment.location_name),
        location=f"{moment.location_name}, {moment.address}",
        description=_("%(slots)s slots, %(desks)s tafels.", slots=len(moment.slots), desks=moment.desks),
        stamp=stamp,
        url=url_for("planning.detail", moment_id=moment.id, _external=True),
    )
