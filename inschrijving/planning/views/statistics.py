"""Statistics per moment and over time, and the staff calendar feed."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, g, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from inschrijving.db_types import utcnow
from inschrijving.planning import queries
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.services import staff as staff_services
from inschrijving.planning.views.blueprint import bp, feed_bp, moment_or_404
from inschrijving.rendering.ical import CalendarEvent, moments_to_ical


@bp.route("/<int:moment_id>/statistiek")
def moment_statistics(moment_id: int):
    """Show what happened at one moment: booked, came, no-show, cancelled, waiting."""
    moment = moment_or_404(moment_id)
    stats = queries.moment_stats([moment])
    chart = queries.bar_chart(stats, [format_date(moment.held_on, "d MMM y")])
    return render_template("planning/statistics.html", moment=moment, stats=stats, chart=chart)


@bp.route("/statistiek")
def statistics():
    """Show the same counts for every moment over time, as a table and a bar chart."""
    stats = queries.moment_stats(queries.list_stat_moments())
    chart = queries.bar_chart(stats, [format_date(s.moment.held_on, "d MMM yy") for s in stats])
    return render_template("planning/statistics.html", moment=None, stats=stats, chart=chart)


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
