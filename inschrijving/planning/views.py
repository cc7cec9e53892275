"""Staff pages for planning moments and running the day."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import record_audit
from inschrijving.booking import services as booking_services
from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning import queries, services
from inschrijving.planning.forms import (
    CancelForm,
    CapacityForm,
    MomentForm,
    MoveForm,
    SeriesForm,
    StaffForm,
    WalkInForm,
)
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.rendering.ical import CalendarEvent, moments_to_ical
from inschrijving.web import client_ip, guard_blueprint, role_required

bp = Blueprint("planning", __name__, url_prefix="/planning")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)

# The calendar feed is fetched by calendar apps without a login; the secret token is the credential.
feed_bp = Blueprint("planning_feed", __name__, url_prefix="/planning")

coordinator_only = role_required(Role.COORDINATOR)


def _audit(action: str, object_type: str, object_id: int, **detail) -> None:
    record_audit(
        actor=current_user, action=action, object_type=object_type, object_id=object_id, detail=detail, ip=client_ip()
    )


def _moment_or_404(moment_id: int) -> RegistrationMoment:
    moment = queries.get_moment_with_slots(moment_id)
    if moment is None:
        abort(404)
    return moment


def slot_label(slot: Slot) -> str:
    return _(
        "%(start)s-%(end)s (%(booked)s van %(capacity)s bezet)",
        start=format_time(slot.starts_at, "HH:mm"),
        end=format_time(slot.ends_at, "HH:mm"),
        booked=slot.booked,
        capacity=slot.capacity,
    )


def dossier_start_url(booking_id: int) -> str | None:
    """The link to start a dossier from a booking, or None while the dossiers domain has no such page."""
    try:
        return url_for("dossiers.start", booking_id=booking_id)
    except BuildError:
        return None


def plan_from_form(form: MomentForm, *, now) -> services.MomentPlan | None:
    """Turn a valid form into a checked plan, or put the rule's message next to the field it concerns."""
    try:
        return services.plan_moment(
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
    except services.InvalidBlocks as exc:
        form.blocks.errors.append(str(exc))
    except services.NoSlots:
        form.slot_minutes.errors.append(_("Met deze lengte past er geen enkel slot in de blokken."))
    except services.InvalidBookingWindow as exc:
        form.booking_closes_at.errors.append(str(exc))
    return None


@bp.route("/")
def index():
    """List upcoming and past moments with their seat totals, and offer the personal calendar feed."""
    today = utcnow().astimezone(services.BRUSSELS).date()
    feed_url = (
        url_for("planning_feed.staff_feed", token=current_user.calendar_token, _external=True)
        if current_user.calendar_token
        else None
    )
    return render_template(
        "planning/index.html",
        upcoming=queries.list_moment_rows(upcoming=True, today=today),
        past=queries.list_moment_rows(upcoming=False, today=today),
        feed_url=feed_url,
    )


@bp.route("/agenda/nieuwe-link", methods=["POST"])
def renew_feed():
    """Replace the current user's calendar link, e.g. after it was shared by mistake."""
    services.renew_calendar_token(current_user)
    _audit("user.calendar_token_renewed", "user", current_user.id)
    db.session.commit()
    flash(_("U heeft een nieuwe agendalink. De oude link werkt niet meer."), "success")
    return redirect(url_for(".index", _anchor="agenda"))


@bp.route("/nieuw", methods=["GET", "POST"])
@coordinator_only
def new():
    """Plan a new moment: first a preview of the slots, then save it as a draft."""
    form = MomentForm()
    plan = None
    if form.validate_on_submit():
        plan = plan_from_form(form, now=utcnow())
        if plan is not None and request.form.get("action") == "save":
            moment = services.create_moment(plan, actor=current_user)
            _audit("moment.create", "moment", moment.id, held_on=moment.held_on.isoformat())
            db.session.commit()
            flash(_("Het moment is bewaard als ontwerp. Publiceer het wanneer alles klopt."), "success")
            return redirect(url_for(".detail", moment_id=moment.id))
    return render_template("planning/new.html", form=form, plan=plan)


@bp.route("/<int:moment_id>")
def detail(moment_id: int):
    """Show a moment with its slots, capacities, staff and the actions that fit its status."""
    moment = _moment_or_404(moment_id)
    staff_users = db.session.scalars(
        db.select(User)
        .where(User.role.in_((Role.COORDINATOR, Role.VOLUNTEER)), User.is_enabled.is_(True))
        .order_by(User.name)
    ).all()
    staff_form = StaffForm(users=staff_users, user_ids=[u.id for u in moment.staff])
    return render_template(
        "planning/detail.html", moment=moment, staff_form=staff_form, cancel_form=CancelForm(), series_form=SeriesForm()
    )


@bp.route("/<int:moment_id>/publiceren", methods=["POST"])
@coordinator_only
def publish(moment_id: int):
    """Publish a moment so candidates can book it within its window."""
    return _change_status(moment_id, services.publish_moment, "moment.publish", _("Het moment is gepubliceerd."))


@bp.route("/<int:moment_id>/sluiten", methods=["POST"])
@coordinator_only
def close(moment_id: int):
    """Close a moment for new bookings."""
    return _change_status(moment_id, services.close_moment, "moment.close", _("Het moment is gesloten."))


def _change_status(moment_id: int, change, action: str, message: str):
    moment = _moment_or_404(moment_id)
    try:
        change(moment)
    except services.WrongStatus:
        flash(_("Dat kan niet in deze fase van het moment."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    _audit(action, "moment", moment.id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/annuleren", methods=["POST"])
@coordinator_only
def cancel(moment_id: int):
    """Cancel a moment and every booking in it; each candidate with e-mail gets a message."""
    moment = _moment_or_404(moment_id)
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_("Vink aan dat u dit moment echt wilt annuleren."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    try:
        cancelled = services.cancel_moment(moment, now=utcnow())
    except services.WrongStatus:
        flash(_("Dit moment is al geannuleerd."), "error")
        return redirect(url_for(".detail", moment_id=moment.id))
    _audit("moment.cancel", "moment", moment.id, bookings=len(cancelled))
    db.session.commit()
    flash(_("Het moment is geannuleerd. %(count)s afspraken zijn geannuleerd.", count=len(cancelled)), "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/medewerkers", methods=["POST"])
@coordinator_only
def staff(moment_id: int):
    """Choose which volunteers staff the moment."""
    moment = _moment_or_404(moment_id)
    users = db.session.scalars(db.select(User).where(User.role.in_((Role.COORDINATOR, Role.VOLUNTEER)))).all()
    form = StaffForm(users=users)
    if form.validate_on_submit():
        try:
            chosen = services.set_staff(moment, form.user_ids.data)
        except services.PlanningError:
            flash(_("Kies alleen actieve medewerkers."), "error")
        else:
            _audit("moment.staff", "moment", moment.id, user_ids=[u.id for u in chosen])
            db.session.commit()
            flash(_("De ploeg is bewaard."), "success")
    return redirect(url_for(".detail", moment_id=moment.id))


@bp.route("/<int:moment_id>/reeks", methods=["GET", "POST"])
@coordinator_only
def series(moment_id: int):
    """Plan the next moments every two months from this one, as drafts."""
    moment = _moment_or_404(moment_id)
    form = SeriesForm()
    dates = services.series_dates(moment.held_on, form.count.data or 3)
    if form.validate_on_submit():
        created = services.plan_series(moment, count=form.count.data, actor=current_user, now=utcnow())
        for new_moment in created:
            _audit("moment.create", "moment", new_moment.id, series_of=moment.id)
        db.session.commit()
        flash(_("%(count)s nieuwe momenten staan klaar als ontwerp.", count=len(created)), "success")
        return redirect(url_for(".index"))
    return render_template("planning/series.html", moment=moment, form=form, dates=dates)


@bp.route("/<int:moment_id>/dag")
def day(moment_id: int):
    """Show the day list: per slot who is coming, with check-in, no-show and walk-ins."""
    moment = _moment_or_404(moment_id)
    # Commit the audit first: a commit expires loaded rows, and reloading them one by one costs a query each.
    _audit("moment.day_list_view", "moment", moment.id)
    db.session.commit()
    day_slots = queries.day_list(moment)
    form = WalkInForm(slots=[(s.id, slot_label(s)) for s in moment.slots])
    return render_template(
        "planning/day.html", moment=moment, day_slots=day_slots, form=form, dossier_start_url=dossier_start_url
    )


_ATTENDANCE = {
    "aanwezig": (services.check_in, "booking.check_in"),
    "niet-gekomen": (services.mark_no_show, "booking.no_show"),
    "ongedaan": (services.undo_attendance, "booking.undo_attendance"),
}


@bp.route("/<int:moment_id>/dag/<int:booking_id>/<any(aanwezig, 'niet-gekomen', ongedaan):what>", methods=["POST"])
def attendance(moment_id: int, booking_id: int, what: str):
    """Check a candidate in, mark a no-show, or undo either."""
    booking = db.get_or_404(Booking, booking_id)
    if booking.moment_id != moment_id:
        abort(404)
    change, action = _ATTENDANCE[what]
    try:
        change(booking, now=utcnow())
    except services.SeatTaken:
        flash(_("Dit slot is intussen vol. Kies een ander slot of vraag een coördinator."), "error")
    except services.WrongStatus:
        flash(_("Dat kan niet meer voor deze afspraak."), "error")
    else:
        _audit(action, "booking", booking.id)
        db.session.commit()
    return redirect(url_for(".day", moment_id=moment_id, _anchor=f"slot-{booking.slot_id}"))


@bp.route("/<int:moment_id>/dag/walk-in", methods=["POST"])
def walk_in(moment_id: int):
    """Seat someone who came without a booking; over capacity only by a coordinator's explicit choice."""
    moment = _moment_or_404(moment_id)
    form = WalkInForm(slots=[(s.id, slot_label(s)) for s in moment.slots])
    if form.validate_on_submit():
        over = form.over_capacity.data and current_user.role == Role.COORDINATOR
        slot = next(s for s in moment.slots if s.id == form.slot_id.data)
        try:
            booking = services.add_walk_in(
                slot,
                contact_name=form.contact_name.data,
                language=form.language.data,
                household_size=form.household_size.data,
                needs_interpreter=form.needs_interpreter.data,
                now=utcnow(),
                over_capacity=over,
            )
        except booking_services.SlotFull:
            form.slot_id.errors.append(_("Dit slot is vol. Kies een ander slot."))
        except services.WrongStatus:
            form.slot_id.errors.append(_("Dit moment neemt geen mensen meer aan."))
        else:
            if over:
                _audit("slot.capacity_raised_for_walk_in", "slot", slot.id, booking_id=booking.id)
            _audit("booking.walk_in", "booking", booking.id)
            db.session.commit()
            flash(_("%(name)s is toegevoegd en aangemeld.", name=booking.contact_name), "success")
            return redirect(url_for(".day", moment_id=moment.id, _anchor=f"slot-{slot.id}"))
    return render_template(
        "planning/day.html",
        moment=moment,
        day_slots=queries.day_list(moment),
        form=form,
        dossier_start_url=dossier_start_url,
    ), 400


@bp.route("/<int:moment_id>/capaciteit", methods=["GET", "POST"])
def capacity(moment_id: int):
    """Change the seats of one or all slots; if bookings no longer fit, show who must move and where to."""
    moment = _moment_or_404(moment_id)
    # After a move the pending change comes back in the query string, so the coordinator sees what is left.
    pending_slot, pending_capacity = request.args.get("slot_id", type=int), request.args.get("capacity", type=int)
    form = CapacityForm(
        slots=[(s.id, slot_label(s)) for s in moment.slots], slot_id=pending_slot, capacity=pending_capacity
    )
    refusal = None
    known = {0, *(s.id for s in moment.slots)}
    if request.method == "GET" and pending_slot in known and pending_capacity is not None and pending_capacity >= 0:
        changes = _capacity_changes(moment, form)
        shortfalls = services.find_shortfalls(moment, changes)
        if shortfalls:
            refusal = services.CapacityBelowBookings(shortfalls, services.free_slots_after(moment, changes))
        else:
            flash(_("Iedereen past nu. Kies 'Aanpassen' om de capaciteit te verlagen."), "success")
    if form.validate_on_submit():
        changes = _capacity_changes(moment, form)
        try:
            services.change_capacity(moment, changes)
        except services.CapacityBelowBookings as exc:
            db.session.rollback()
            refusal = exc
            moment = _moment_or_404(moment_id)
        else:
            _audit("slot.capacity_change", "moment", moment.id, changes={str(k): v for k, v in changes.items()})
            db.session.commit()
            flash(_("De capaciteit is aangepast."), "success")
            return redirect(url_for(".capacity", moment_id=moment.id))
    return _render_capacity(moment, form, refusal)


def _capacity_changes(moment: RegistrationMoment, form: CapacityForm) -> dict[int, int]:
    chosen = [s.id for s in moment.slots] if form.slot_id.data == 0 else [form.slot_id.data]
    return dict.fromkeys(chosen, form.capacity.data)


def _render_capacity(moment: RegistrationMoment, form: CapacityForm, refusal):
    free = refusal.free_slots if refusal else services.free_slots_after(moment)
    move_form = MoveForm(slots=[(s.id, slot_label(s)) for s in free])
    status = 409 if refusal and request.method == "POST" else 200
    return render_template(
        "planning/capacity.html", moment=moment, form=form, refusal=refusal, move_form=move_form, free_slots=free
    ), status


@bp.route("/<int:moment_id>/capaciteit/verplaats", methods=["POST"])
def move(moment_id: int):
    """Move one booking to another slot of the same moment, from the capacity screen."""
    moment = _moment_or_404(moment_id)
    form = MoveForm(slots=[(s.id, slot_label(s)) for s in moment.slots])
    if form.validate_on_submit():
        booking = db.get_or_404(Booking, form.booking_id.data)
        target = next(s for s in moment.slots if s.id == form.slot_id.data)
        try:
            services.move_booking_to_slot(booking, target, now=utcnow())
        except booking_services.SlotFull:
            flash(_("Dat slot is intussen vol. Kies een ander slot."), "error")
        except services.NotMovable:
            flash(_("Deze afspraak kan niet naar dat slot."), "error")
        else:
            _audit("booking.move_by_staff", "booking", booking.id, slot_id=target.id)
            db.session.commit()
            flash(_("%(name)s is verplaatst.", name=booking.contact_name), "success")
    else:
        flash(_("Kies een slot om naar te verplaatsen."), "error")
    pending = {k: request.form[k] for k in ("pending_slot_id", "pending_capacity") if request.form.get(k, "").isdigit()}
    return redirect(
        url_for(
            ".capacity",
            moment_id=moment.id,
            slot_id=pending.get("pending_slot_id"),
            capacity=pending.get("pending_capacity"),
        )
    )


@bp.route("/<int:moment_id>/statistiek")
def moment_statistics(moment_id: int):
    """Show what happened at one moment: booked, came, no-show, cancelled, waiting."""
    moment = _moment_or_404(moment_id)
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
    user = services.get_feed_user(token)
    if user is None:
        abort(404)
    host = request.host.split(":")[0]
    stamp = utcnow()
    events = [
        CalendarEvent(
            uid=f"moment-{m.id}@{host}",
            sequence=0,
            starts_at=m.slots[0].starts_at,
            ends_at=m.slots[-1].ends_at,
            summary=_("Groepsinschrijving: %(place)s", place=m.location_name),
            location=f"{m.location_name}, {m.address}",
            description=_("%(slots)s slots, %(desks)s tafels.", slots=len(m.slots), desks=m.desks),
            stamp=stamp,
            url=url_for("planning.detail", moment_id=m.id, _external=True),
        )
        for m in services.list_feed_moments(user)
        if m.slots
    ]
    body = moments_to_ical(events, calendar_name=_("Groepsinschrijving – %(name)s", name=user.name))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=groepsinschrijving.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
