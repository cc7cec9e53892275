"""Planning moments: overview, create with preview, detail, publish/close/cancel, team and series."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications import queries as notification_queries
from inschrijving.planning.forms import CancelForm, EditMomentForm, MomentForm, SeriesForm, StaffForm
from inschrijving.planning.queries import moments as moment_queries
from inschrijving.planning.services import editing
from inschrijving.planning.services import moments as moment_services
from inschrijving.planning.services import staff as staff_services
from inschrijving.planning.services.base import (
    BRUSSELS,
    InvalidBlocks,
    InvalidBookingWindow,
    MomentPlan,
    NoSlots,
    PlanningError,
    WrongStatus,
)
from inschrijving.planning.views.blueprint import bp, coordinator_only, moment_or_404
from inschrijving.web import client_ip, moment_scope_for_current_user


def plan_from_form(form: MomentForm, *, now) -> MomentPlan | None:
    """Turn a valid form into a checked plan, or put the rule's message next to the field it concerns."""
    try:
        return moment_services.plan_moment(
            kind=form.kind.data,
            held_on=form.held_on.data,
            title=form.title.data,
            location_name=form.location_name.data,
            address=form.address.data,
            place_notes=form.place_notes(),
            blocks=form.block_times(),
            slot_minutes=form.slot_minutes.data,
            desks=form.desks.data,
            now=now,
            booking_opens_at=form.as_brussels(form.booking_opens_at.data),
            booking_closes_at=form.as_brussels(form.booking_closes_at.data),
        )
    except InvalidBlocks as exc:
        form.blocks.errors.append(str(exc))
    except NoSlots:
        form.slot_minutes.errors.append(_("Met deze lengte past er geen enkel slot in de blokken."))
    except InvalidBookingWindow as exc:
        form.booking_closes_at.errors.append(str(exc))
    return None



def edit_from_form(form: EditMomentForm, moment, *, now) -> editing.MomentEdit | None:
    """Turn a valid edit form into a checked change, or put the rule's message next to the field it concerns."""
    try:
        return editing.plan_edit(
            moment,
            location_name=form.location_name.data,
            address=form.address.data,
            place_notes=form.place_notes(),
            blocks=form.block_times(),
            slot_minutes=form.slot_minutes.data,
            booking_opens_at=form.as_brussels(form.booking_opens_at.data),
            booking_closes_at=form.as_brussels(form.booking_closes_at.data),
            now=now,
        )
    except (InvalidBlocks, editing.SeatHeldForOffer) as exc:
        form.blocks.errors.append(str(exc))
    except NoSlots:
        form.slot_minutes.errors.append(_("Met deze lengte past er geen enkel slot in de blokken."))
    except InvalidBookingWindow as exc:
        form.booking_closes_at.errors.append(str(exc))
    return None


@bp.route("/")
def index():
    """List upcoming and past moments with their seat totals, and offer the personal calendar feed."""
    today = utcnow().astimezone(BRUSSELS).date()
    feed_url = (
        url_for("planning_feed.staff_feed", token=current_user.calendar_token, _external=True)
        if current_user.calendar_token
        else None
    )
    scope = moment_scope_for_current_user()  # a volunteer sees the moments they staff
    upcoming = moment_queries.list_moment_rows(upcoming=True, today=today, scope=scope)
    past = moment_queries.get_past_page(request.args.get("voorbij", 1, type=int), today=today, scope=scope)
    return render_template(
        "planning/index.html",
        upcoming=upcoming,
        past=past.rows,
        past_page=past.number,
        more_past=past.has_older,
        feed_url=feed_url,
        outbox_status=notification_queries.outbox_status(utcnow()),  # issue 18 (msg): the status line
        missing_limits=moment_queries.years_missing_limits(upcoming, today=today, user=current_user),
    )


@bp.route("/agenda/nieuwe-link", methods=["POST"])
def renew_feed():
    """Replace the current user's calendar link, e.g. after it was shared by mistake."""
    staff_services.renew_calendar_token(current_user, ip=client_ip())
    db.session.commit()
    flash(_("U heeft een nieuwe agendalink. De oude link werkt niet meer."), "success")
    return redirect(url_for(".index", _anchor="agenda"))


@bp.route("/nieuw", methods=["GET", "POST"])
@coordinator_only
def new():
    """Plan a new moment: first a preview of the slots, then save it as a draft."""
    last = moment_queries.get_last_moment()
    form = MomentForm(data=MomentForm.values_of(last, with_window=False) if last else None)
    plan = None
    if form.validate_on_submit():
        plan = plan_from_form(form, now=utcnow())
        if plan is not None and request.form.get("action") == "save":
            moment = moment_services.create_moment(plan, actor=current_user, ip=client_ip())
            db.session.commit()
            flash(_("Het moment is bewaard als ontwerp. Publiceer het wanneer alles klopt."), "success")
            return redirect(url_for(".detail", moment_id=moment.id))
    return render_template("planning/new.html", form=form, plan=plan)


@bp.route("/<int:moment_id>/bewerken", methods=["GET", "POST"])
@coordinator_only
def edit(moment_id: int):
    """Change place, notes, booking window or opening hours; a change that moves people is shown first."""
    moment = moment_or_404(moment_id)
    if not moment.can_edit:
        flash(_("Dat kan niet in deze fase van het moment."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    form = EditMomentForm(data=MomentForm.values_of(moment, with_window=True))
    change = form.validate_on_submit() and edit_from_form(form, moment, now=utcnow())
    if change and request.form.get("action") == "save":
        try:
            editing.apply_edit(change, actor=current_user, ip=client_ip(), now=utcnow(), confirmed=form.confirmed.data)
        except editing.EditChanged:
            flash(_("Deze wijziging verplaatst afspraken. Kijk hieronder wie, en bevestig dan."), "error")
        else:
            db.session.commit()
            flash(_("Het moment is gewijzigd."), "success")
            return redirect(url_for(".detail", moment_id=moment.id))
    if change:
        editing.review_edit(change, actor=current_user, ip=client_ip())
        db.session.commit()
    return render_template("planning/edit.html", form=form, moment=moment, change=change or None)


@bp.route("/<int:moment_id>")
def detail(moment_id: int):
    """Show a moment with its slots, capacities, staff and the actions that fit its status."""
    moment = moment_or_404(moment_id)
    if moment.is_info:  # one session with registrations (planning/views/info_moments.py)
        return redirect(url_for(".info_detail", moment_id=moment.id))
    staff_form = StaffForm(users=moment_queries.list_staff_users(enabled_only=True),
                           user_ids=[u.id for u in moment.staff])
    return render_template(
        "planning/detail.html", moment=moment, staff_form=staff_form, cancel_form=CancelForm(), series_form=SeriesForm()
    )


@bp.route("/<int:moment_id>/publiceren", methods=["POST"])
@coordinator_only
def publish(moment_id: int):
    """Publish a moment so candidates can book it within its window."""
    return _change_status(
        moment_id,
        lambda moment: moment_services.publish_moment(moment, actor=current_user, ip=client_ip(), now=utcnow()),
        _("Het moment is gepubliceerd."),
    )


@bp.route("/<int:moment_id>/sluiten", methods=["POST"])
@coordinator_only
def close(moment_id: int):
    """Close a moment for new bookings."""
    return _change_status(
        moment_id,
        lambda moment: moment_services.close_moment(moment, actor=current_user, ip=client_ip()),
        _("Het moment is gesloten."),
    )


def _change_status(moment_id: int, change, message: str):
    moment = moment_or_404(moment_id)
    try:
        change(moment)
    except WrongStatus:
        flash(_("Dat kan niet in deze fase van het moment."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/annuleren", methods=["POST"])
@coordinator_only
def cancel(moment_id: int):
    """Cancel a moment and every booking in it; each candidate with e-mail gets a message."""
    moment = moment_or_404(moment_id)
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_("Vink aan dat u dit moment echt wilt annuleren."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    try:
        cancelled = moment_services.cancel_moment(moment, actor=current_user, ip=client_ip(), now=utcnow())
    except WrongStatus:
        flash(_("Dit moment is al geannuleerd."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    db.session.commit()
    flash(_("Het moment is geannuleerd. %(count)s afspraken zijn geannuleerd.", count=len(cancelled)), "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/medewerkers", methods=["POST"])
@coordinator_only
def staff(moment_id: int):
    """Choose which volunteers staff the moment."""
    moment = moment_or_404(moment_id)
    form = StaffForm(users=moment_queries.list_staff_users(enabled_only=False))
    if form.validate_on_submit():
        try:
            staff_services.set_staff(moment, form.user_ids.data, actor=current_user, ip=client_ip())
        except PlanningError:
            flash(_("Kies alleen actieve medewerkers."), "error")
        else:
            db.session.commit()
            flash(_("De ploeg is bewaard."), "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/reeks", methods=["GET", "POST"])
@coordinator_only
def series(moment_id: int):
    """Plan the next moments every two months from this one, as drafts."""
    moment = moment_or_404(moment_id)
    form = SeriesForm()
    dates = moment_services.series_dates(moment.held_on, form.count.data or 3)
    if form.validate_on_submit():
        created = moment_services.plan_series(moment, count=form.count.data, actor=current_user, ip=client_ip(),
                                      now=utcnow())
        db.session.commit()
        flash(_("%(count)s nieuwe momenten staan klaar als ontwerp.", count=len(created)), "success")
        return redirect(url_for(".index"))
    return render_template("planning/series.html", moment=moment, form=form, dates=dates)
