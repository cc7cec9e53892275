"""Fewer (or more) seats: change a slot's capacity, and first move who no longer fits.

The refusal names candidates with their phone numbers, so showing it is audited; like the day list,
the page renders first and commits last.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.booking.models import Booking
from inschrijving.booking.services import lifecycle
from inschrijving.booking.services.base import NotMovable, SlotFull
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.forms import CapacityForm, MoveForm
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.services import capacity as capacity_services
from inschrijving.planning.services.base import CapacityBelowBookings
from inschrijving.planning.views.blueprint import bp, coordinator_only, moment_or_404, slot_choices
from inschrijving.web import client_ip


@bp.route("/<int:moment_id>/capaciteit", methods=["GET", "POST"])
@coordinator_only
def capacity(moment_id: int):
    """Change the seats of one or all slots; if bookings no longer fit, show who must move and where to."""
    moment = moment_or_404(moment_id)
    if not moment.has_desk_slots:  # an info session: its seats are the attendees, set on its own page
        return redirect(url_for(".detail", moment_id=moment.id))
    # After a move the pending change comes back in the query string, so the coordinator sees what is left.
    form = CapacityForm(slots=slot_choices(moment.slots), slot_id=request.args.get("slot_id", type=int),
                        capacity=request.args.get("capacity", type=int))
    if form.validate_on_submit():
        try:
            capacity_services.change_capacity(moment, form.changes(), actor=current_user, ip=client_ip(),
                                              now=utcnow())
        except CapacityBelowBookings:
            # The rollback expired every loaded row: load the moment and who must move again, in a few queries.
            db.session.rollback()
            moment = moment_or_404(moment_id)
        else:
            db.session.commit()
            flash(_("De capaciteit is aangepast."), "success")
            return redirect(url_for(".capacity", moment_id=moment.id))
    elif request.method == "POST" or not form.has_pending_change():
        return _capacity_page(moment, form, refusal=None)
    return _review(moment, form)


def _review(moment: RegistrationMoment, form: CapacityForm):
    refusal = capacity_services.review_shortfalls(moment, form.changes(), actor=current_user, ip=client_ip())
    if refusal is None:
        flash(_("Iedereen past nu. Kies 'Aanpassen' om de capaciteit te verlagen."), "success")
    page = _capacity_page(moment, form, refusal=refusal)
    db.session.commit()
    return page, 409 if refusal and request.method == "POST" else 200


def _capacity_page(moment: RegistrationMoment, form: CapacityForm, *, refusal: CapacityBelowBookings | None):
    free = refusal.free_slots if refusal else capacity_services.free_slots_after(moment)
    return render_template("planning/capacity.html", moment=moment, form=form, refusal=refusal,
                           move_form=MoveForm(slots=slot_choices(free)), free_slots=free)


@bp.route("/<int:moment_id>/capaciteit/verplaats", methods=["POST"])
@coordinator_only
def move(moment_id: int):
    """Move one booking to another slot of the same moment, from the capacity screen."""
    moment = moment_or_404(moment_id)
    form = MoveForm(slots=slot_choices(moment.slots))
    if form.validate_on_submit():
        booking = db.get_or_404(Booking, form.booking_id.data)
        target = next(s for s in moment.slots if s.id == form.slot_id.data)
        try:
            lifecycle.move_by_staff(booking, target=target, actor=current_user, ip=client_ip(), now=utcnow())
        except SlotFull:
            flash(_("Dat slot is intussen vol. Kies een ander slot."), "error")
        except NotMovable:
            flash(_("Deze afspraak kan niet naar dat slot."), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is verplaatst.", name=booking.contact_name), "success")
    else:
        flash(_("Kies een slot om naar te verplaatsen."), "error")
    pending = {k: request.form[k] for k in ("pending_slot_id", "pending_capacity") if request.form.get(k, "").isdigit()}
    return redirect(url_for(".capacity", moment_id=moment.id, slot_id=pending.get("pending_slot_id"),
                            capacity=pending.get("pending_capacity")))
