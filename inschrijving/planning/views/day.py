"""Running the day: the day list, attendance, a new manage link, and walk-ins.

A page that records a read (the day list, the new link) renders first and commits last: the audit
event and the page stand or fall together, and the rows it shows are not expired before it is drawn.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from inschrijving.booking.models import Booking
from inschrijving.booking.services import lifecycle, tokens
from inschrijving.booking.services.base import (
    BookingNotChangeable,
    MomentNotRunning,
    SeatTaken,
    SlotFull,
    WrongBookingStatus,
)
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications import queries as notification_queries
from inschrijving.planning.forms import WalkInForm
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.queries import day as day_queries
from inschrijving.planning.services import day as day_services
from inschrijving.planning.views.blueprint import bp, moment_or_404, slot_choices
from inschrijving.rendering.pdf import render_pdf
from inschrijving.web import attachment, client_ip


def _day_filter() -> day_queries.DayFilter:
    status = request.args.get("status", "")
    return day_queries.DayFilter(
        search=request.args.get("q", "").strip()[:80],
        status=status if status in day_queries.DAY_STATUS_FILTERS else "",
        slot_id=request.args.get("slot", type=int),
    )


@bp.route("/<int:moment_id>/dag")
def day(moment_id: int):
    """Show the day list: counts, search and filters, one row per booking with its next step, walk-ins on top."""
    moment = moment_or_404(moment_id)
    if moment.is_info:  # an info moment's day list is its attendance list (planning/views/info_moments.py)
        return redirect(url_for(".attendance_list", moment_id=moment.id))
    day_list = day_services.open_day_list(moment, actor=current_user, ip=client_ip(), day_filter=_day_filter())
    page = _day_page(moment, day_list, WalkInForm(slots=slot_choices(moment.slots)))
    db.session.commit()
    return page


def _day_page(moment: RegistrationMoment, day_list: day_queries.DayList, form: WalkInForm) -> str:
    # The last message to each candidate (issue 18): staff see at once whom a confirmation did not reach.
    delivery = notification_queries.delivery_status_by_booking(
        [b.id for day_slot in day_list.slots for b in day_slot.bookings])
    return render_template("planning/day.html", moment=moment, day_list=day_list, form=form, delivery=delivery,
                           may_add_seats=lifecycle.may_add_seats(current_user), **_row_helpers())


STATUS_FILTER_LABELS = {
    "expected": _l("Nog verwacht"),
    "checked_in": _l("Aanwezig"),
    "no_show": _l("Niet gekomen"),
    "no_dossier": _l("Nog geen dossier"),
    "dossier_open": _l("Dossier in opmaak"),
    "dossier_complete": _l("Dossier volledig"),
}


def _row_helpers() -> dict:
    return {
        "search_text": day_queries.search_text,
        "row_statuses": day_queries.row_statuses,
        "status_filter_labels": lambda: [(key, STATUS_FILTER_LABELS[key]) for key in day_queries.DAY_STATUS_FILTERS],
    }


@bp.route("/<int:moment_id>/dag/afdrukken")
def day_print(moment_id: int):
    """The day list on paper (for when the network fails): every booking, no buttons."""
    moment = moment_or_404(moment_id)
    day_list = day_services.open_day_list(moment, actor=current_user, ip=client_ip(), printed=True)
    page = render_template("planning/day_print.html", moment=moment, day_list=day_list, **_row_helpers())
    db.session.commit()
    return page


@bp.route("/<int:moment_id>/daglijst.pdf")
def day_pdf(moment_id: int):
    """The same printed day list as a PDF, to keep on a laptop or USB stick."""
    moment = moment_or_404(moment_id)
    day_list = day_services.open_day_list(moment, actor=current_user, ip=client_ip(), printed=True)
    pdf = render_pdf("pdf/day_list.html", moment=moment, day_list=day_list, **_row_helpers())
    response = attachment(pdf, "application/pdf", f"daglijst-{moment.held_on.isoformat()}.pdf")
    db.session.commit()
    return response


@bp.route("/<int:moment_id>/dag/<int:booking_id>/aanwezig", methods=["POST"])
def check_in(moment_id: int, booking_id: int):
    """Check a candidate in (also a no-show who turns up late); on another day than the moment's, ask first."""
    booking = _booking_of_moment_or_404(moment_id, booking_id)
    if booking.marks_attendance_on_another_day(_today()) and not request.form.get("confirmed"):
        return _confirm(booking, "check_in")
    return _attendance(moment_id, booking_id, lifecycle.check_in)


@bp.route("/<int:moment_id>/dag/<int:booking_id>/niet-gekomen", methods=["POST"])
def no_show(moment_id: int, booking_id: int):
    """Mark someone as not come after a second click (both dates shown on another day); the seat goes free."""
    if not request.form.get("confirmed"):
        return _confirm(_booking_of_moment_or_404(moment_id, booking_id), "no_show")
    return _attendance(moment_id, booking_id, lifecycle.mark_no_show)


@bp.route("/<int:moment_id>/dag/<int:booking_id>/ongedaan", methods=["POST"])
def undo_attendance(moment_id: int, booking_id: int):
    """Put a checked-in or no-show booking back to expected."""
    return _attendance(moment_id, booking_id, lifecycle.undo_attendance)


def _booking_of_moment_or_404(moment_id: int, booking_id: int) -> Booking:
    booking = db.get_or_404(Booking, booking_id)
    if booking.moment_id != moment_id:
        abort(404)
    return booking


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _confirm(booking: Booking, action: str) -> str:
    """The second click of an action that cannot simply be undone; a plain form, so it works without script."""
    today = _today()
    page = render_template("planning/day_confirm.html", booking=booking, action=action, today=today,
                           other_day=booking.marks_attendance_on_another_day(today))
    db.session.rollback()
    return page


def _attendance(moment_id: int, booking_id: int, change):
    booking = _booking_of_moment_or_404(moment_id, booking_id)
    try:
        change(booking, actor=current_user, ip=client_ip(), now=utcnow())
    except SeatTaken:
        flash(_("Dit slot is intussen vol. Kies een ander slot of vraag een coördinator."), "error")
    except WrongBookingStatus:
        flash(_("Dat kan niet meer voor deze afspraak."), "error")
    else:
        db.session.commit()
    return redirect(url_for(".day", moment_id=moment_id, _anchor=f"booking-{booking.id}"))


@bp.route("/<int:moment_id>/dag/<int:booking_id>/nieuwe-link", methods=["POST"])
def reissue_link(moment_id: int, booking_id: int):
    """Revoke a candidate's manage link and show the new one once, to print or read out."""
    booking = _booking_of_moment_or_404(moment_id, booking_id)
    if not request.form.get("confirmed"):
        return _confirm(booking, "reissue_link")
    try:
        token = tokens.reissue_manage_link(booking, actor=current_user, ip=client_ip(), now=utcnow())
    except BookingNotChangeable:
        flash(_("Deze afspraak is niet meer actief."), "error")
        return redirect(url_for(".day", moment_id=moment_id))
    response = make_response(render_template("planning/new_link.html", booking=booking, token=token))
    db.session.commit()
    # The page holds a working manage link: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:moment_id>/dag/walk-in", methods=["POST"])
def walk_in(moment_id: int):
    """Seat someone who came without a booking; over capacity only by a coordinator's explicit choice."""
    moment = moment_or_404(moment_id)
    form = WalkInForm(slots=slot_choices(moment.slots))
    if not form.validate_on_submit():
        return _day_page(moment, day_queries.day_list(moment), form), 400
    slot = next(s for s in moment.slots if s.id == form.slot_id.data)
    try:
        seated = lifecycle.add_walk_in(
            slot, contact_name=form.contact_name.data, language=form.language.data,
            household_size=form.household_size.data, needs_interpreter=form.needs_interpreter.data,
            over_capacity=form.over_capacity.data, actor=current_user, ip=client_ip(), now=utcnow(),
        )
    except (SlotFull, MomentNotRunning) as exc:
        db.session.rollback()
        form.slot_id.errors.append(_("Dit slot is vol. Kies een ander slot.") if isinstance(exc, SlotFull)
                                   else _("Dit moment neemt geen mensen meer aan."))
        return _day_page(moment, day_queries.day_list(moment), form), 400
    db.session.commit()
    flash(_("%(name)s is toegevoegd en aangemeld.", name=seated.booking.contact_name), "success")
    return redirect(url_for(".day", moment_id=moment.id, _anchor=f"slot-{slot.id}"))
