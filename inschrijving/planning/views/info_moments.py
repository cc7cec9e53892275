"""Info moments in planning: plan one as a single session, its overview (registrations and attendees) and its
attendance list on the day (check in, no-show, a walk-in professional). The moment's other pages (publish,
close, cancel, capacity, statistics) are the same as for any moment."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.booking.services import lifecycle
from inschrijving.booking.services.base import MomentNotRunning, SlotFull
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.forms import CancelForm, InfoMomentForm, InfoWalkInForm
from inschrijving.planning.services import info_moments
from inschrijving.planning.services.base import InvalidBlocks, InvalidBookingWindow
from inschrijving.planning.views.blueprint import bp, coordinator_only, moment_or_404
from inschrijving.professionals import queries as professional_queries
from inschrijving.professionals.services import attendance
from inschrijving.web import client_ip, current_actor


def _info_moment_or_404(moment_id: int):
    moment = moment_or_404(moment_id)
    if not moment.is_info or not moment.slots:
        abort(404)
    return moment


@bp.route("/infomoment/nieuw", methods=["GET", "POST"])
@coordinator_only
def new_info_moment():
    """Plan an info moment for professionals: one session, saved as a draft."""
    form = InfoMomentForm()
    if form.validate_on_submit():
        try:
            plan = info_moments.plan_info_moment(
                held_on=form.held_on.data, starts=form.starts.data, ends=form.ends.data,
                location_name=form.location_name.data, address=form.address.data, seats=form.seats.data,
                now=utcnow(), booking_opens_at=form.as_brussels(form.booking_opens_at.data),
                booking_closes_at=form.as_brussels(form.booking_closes_at.data))
        except InvalidBlocks as exc:
            form.ends.errors.append(str(exc))
        except InvalidBookingWindow as exc:
            form.booking_closes_at.errors.append(str(exc))
        else:
            moment = info_moments.create_info_moment(plan, topics=form.topics(), actor=current_user, ip=client_ip())
            db.session.commit()
            flash(_("Het infomoment is bewaard als ontwerp. Publiceer het wanneer alles klopt."), "success")
            return redirect(url_for(".info_detail", moment_id=moment.id))
    return render_template("planning/info_new.html", form=form)


@bp.route("/<int:moment_id>/infomoment")
def info_detail(moment_id: int):
    """An info moment's overview: the session, its seats, and who registered with how many attendees."""
    moment = _info_moment_or_404(moment_id)
    listing = attendance.open_attendance_list(moment, actor=current_actor())
    page = render_template("planning/info_detail.html", moment=moment, slot=moment.slots[0], listing=listing,
                           cancel_form=CancelForm())
    db.session.commit()
    return page


@bp.route("/<int:moment_id>/aanwezigheid")
def attendance_list(moment_id: int):
    """The info moment's day list: an attendance list with check-in, no-show and walk-in professionals."""
    moment = _info_moment_or_404(moment_id)
    listing = attendance.open_attendance_list(moment, actor=current_actor())
    page = _attendance_page(moment, listing, InfoWalkInForm())
    db.session.commit()
    return page


def _attendance_page(moment, listing, form):
    return render_template("planning/info_attendance.html", moment=moment, slot=moment.slots[0], listing=listing,
                           form=form, may_add_seats=lifecycle.may_add_seats(current_user))


@bp.route("/<int:moment_id>/aanwezigheid/walk-in", methods=["POST"])
def info_walk_in(moment_id: int):
    """Add a professional who came without registering, checked in at once."""
    moment = _info_moment_or_404(moment_id)
    form = InfoWalkInForm()
    if form.validate_on_submit():
        try:
            booking = attendance.add_walk_in(
                moment.slots[0], contact_name=form.contact_name.data, organisation=form.organisation.data,
                attendees=form.attendees.data, actor=current_actor(), now=utcnow(),
                may_add_seats=bool(form.over_capacity.data) and lifecycle.may_add_seats(current_user))
        except (SlotFull, MomentNotRunning) as exc:
            db.session.rollback()
            form.attendees.errors.append(_("Er zijn niet genoeg plaatsen vrij.") if isinstance(exc, SlotFull)
                                         else _("Dit moment neemt geen mensen meer aan."))
        else:
            db.session.commit()
            flash(_("%(name)s is toegevoegd en aangemeld.", name=booking.contact_name), "success")
            return redirect(url_for(".attendance_list", moment_id=moment.id))
    listing = attendance.AttendanceList(professional_queries.list_registrations(moment.id))
    return _attendance_page(moment, listing, form), 400
