"""Running the day: the day list, attendance, walk-ins, capacity and moves."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.booking import services as booking_services
from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning import queries, services
from inschrijving.planning.forms import CapacityForm, MoveForm, WalkInForm
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.views.common import audit, bp, coordinator_only, dossier_start_url, moment_or_404, slot_label


@bp.route("/<int:moment_id>/dag")
def day(moment_id: int):
    """Show the day list: per slot who is coming, with check-in, no-show and walk-ins."""
    moment = moment_or_404(moment_id)
    # Commit the audit first: a commit expires loaded rows, and reloading them one by one costs a query each.
    audit("moment.day_list_view", "moment", moment.id)
    db.session.commit()
    day_slots = queries.day_list(moment)
    form = WalkInForm(slots=[(s.id, slot_label(s)) for s in moment.slots])
    return render_template(
        "planning/day.html", moment=moment, day_slots=day_slots, form=form, dossier_start_url=dossier_start_url
    )


@bp.route("/<int:moment_id>/dag/<int:booking_id>/aanwezig", methods=["POST"])
def check_in(moment_id: int, booking_id: int):
    """Check a candidate in (also a no-show who turns up late)."""
    return _attendance(moment_id, booking_id, services.check_in, "booking.check_in")


@bp.route("/<int:moment_id>/dag/<int:booking_id>/niet-gekomen", methods=["POST"])
def no_show(moment_id: int, booking_id: int):
    """Mark a candidate as not come; the seat goes free."""
    return _attendance(moment_id, booking_id, services.mark_no_show, "booking.no_show")


@bp.route("/<int:moment_id>/dag/<int:booking_id>/ongedaan", methods=["POST"])
def undo_attendance(moment_id: int, booking_id: int):
    """Put a checked-in or no-show booking back to expected."""
    return _attendance(moment_id, booking_id, services.undo_attendance, "booking.undo_attendance")


def _attendance(moment_id: int, booking_id: int, change, action: str):
    booking = db.get_or_404(Booking, booking_id)
    if booking.moment_id != moment_id:
        abort(404)
    try:
        change(booking, now=utcnow())
    except services.SeatTaken:
        flash(_("Dit slot is intussen vol. Kies een ander slot of vraag een coördinator."), "error")
    except services.WrongStatus:
        flash(_("Dat kan niet meer voor deze afspraak."), "error")
    else:
        audit(action, "booking", booking.id)
        db.session.commit()
    return redirect(url_for(".day", moment_id=moment_id, _anchor=f"slot-{booking.slot_id}"))


@bp.route("/<int:moment_id>/dag/<int:booking_id>/nieuwe-link", methods=["POST"])
def reissue_link(moment_id: int, booking_id: int):
    """Revoke a candidate's manage link and show the new one once, to print or read out."""
    booking = db.get_or_404(Booking, booking_id)
    if booking.moment_id != moment_id:
        abort(404)
    try:
        token = booking_services.reissue_manage_link(booking, now=utcnow())
    except booking_services.BookingNotChangeable:
        flash(_("Deze afspraak is niet meer actief."), "error")
        return redirect(url_for(".day", moment_id=moment_id))
    audit("booking.link_reissued", "booking", booking.id)
    db.session.commit()
    response = make_response(render_template("planning/new_link.html", booking=booking, token=token))
    # The page holds a working manage link: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:moment_id>/dag/walk-in", methods=["POST"])
def walk_in(moment_id: int):
    """Seat someone who came without a booking; over capacity only by a coordinator's explicit choice."""
    moment = moment_or_404(moment_id)
    form = WalkInForm(slots=[(s.id, slot_label(s)) for s in moment.slots])
    if form.validate_on_submit():
        over = form.over_capacity.data and current_user.role == Role.COORDINATOR
        slot = next(s for s in moment.slots if s.id == form.slot_id.data)
        try:
            walk_in = services.add_walk_in(
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
            booking = walk_in.booking
            if walk_in.added_seat:
                audit("slot.capacity_raised_for_walk_in", "slot", slot.id, booking_id=booking.id)
            audit("booking.walk_in", "booking", booking.id)
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
@coordinator_only
def capacity(moment_id: int):
    """Change the seats of one or all slots; if bookings no longer fit, show who must move and where to."""
    moment = moment_or_404(moment_id)
    # After a move the pending change comes back in the query string, so the coordinator sees what is left.
    pending_slot, pending_capacity = request.args.get("slot_id", type=int), request.args.get("capacity", type=int)
    form = CapacityForm(
        slots=[(s.id, slot_label(s)) for s in moment.slots], slot_id=pending_slot, capacity=pending_capacity
    )
    refusal = None
    known = {0, *(s.id for s in moment.slots)}
    if request.method == "GET" and pending_slot in known and pending_capacity is not None and pending_capacity >= 0:
        refusal = _refusal(moment, _capacity_changes(moment, form))
        if refusal is None:
            flash(_("Iedereen past nu. Kies 'Aanpassen' om de capaciteit te verlagen."), "success")
    if form.validate_on_submit():
        changes = _capacity_changes(moment, form)
        try:
            services.change_capacity(moment, changes, now=utcnow())
        except services.CapacityBelowBookings:
            db.session.rollback()
            # The rollback expired every loaded row: load the moment and who must move again, in a few queries.
            moment = moment_or_404(moment_id)
            refusal = _refusal(moment, changes)
            if refusal is None:
                flash(_("Iedereen past nu. Kies 'Aanpassen' om de capaciteit te verlagen."), "success")
        else:
            audit("slot.capacity_change", "moment", moment.id, changes={str(k): v for k, v in changes.items()})
            db.session.commit()
            flash(_("De capaciteit is aangepast."), "success")
            return redirect(url_for(".capacity", moment_id=moment.id))
    return _render_capacity(moment, form, refusal)


def _capacity_changes(moment: RegistrationMoment, form: CapacityForm) -> dict[int, int]:
    chosen = [s.id for s in moment.slots] if form.slot_id.data == 0 else [form.slot_id.data]
    return dict.fromkeys(chosen, form.capacity.data)


def _refusal(moment: RegistrationMoment, changes: dict[int, int]) -> services.CapacityBelowBookings | None:
    shortfalls = services.find_shortfalls(moment, changes)
    if not shortfalls:
        return None
    return services.CapacityBelowBookings(shortfalls, services.free_slots_after(moment, changes))


def _render_capacity(moment: RegistrationMoment, form: CapacityForm, refusal):
    free = refusal.free_slots if refusal else services.free_slots_after(moment)
    move_form = MoveForm(slots=[(s.id, slot_label(s)) for s in free])
    status = 409 if refusal and request.method == "POST" else 200
    page = render_template(
        "planning/capacity.html", moment=moment, form=form, refusal=refusal, move_form=move_form, free_slots=free
    )
    if refusal:
        # The refusal names the candidates who must move, with their phone numbers. Committed after
        # rendering: a commit expires every loaded row, and reloading each booking would cost a query.
        audit("slot.capacity_shortfall_view", "moment", moment.id)
        db.session.commit()
    return page, status


@bp.route("/<int:moment_id>/capaciteit/verplaats", methods=["POST"])
@coordinator_only
def move(moment_id: int):
    """Move one booking to another slot of the same moment, from the capacity screen."""
    moment = moment_or_404(moment_id)
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
            audit("booking.move_by_staff", "booking", booking.id, slot_id=target.id)
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
