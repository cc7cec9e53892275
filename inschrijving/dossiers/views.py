"""Staff pages for the intake: one dossier per household."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.dossiers import services
from inschrijving.dossiers.models import Dossier
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment
from inschrijving.web import guard_blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)


@bp.route("/start/<int:booking_id>", methods=["GET", "POST"])
def start(booking_id: int):
    """Open (or create) the dossier of a booking and go to its first step."""
    booking = db.get_or_404(Booking, booking_id)
    try:
        dossier = services.start_dossier(booking, actor=current_user, now=utcnow())
    except services.BookingNotLive:
        flash(_("Deze afspraak is geannuleerd. Start een dossier als walk-in."), "error")
        return redirect(request.referrer or url_for("dossiers.start_walk_in", moment_id=booking.moment_id))
    db.session.commit()
    return redirect(url_for("dossiers.show", dossier_id=dossier.id))


@bp.route("/walk-in/<int:moment_id>", methods=["GET", "POST"])
def start_walk_in(moment_id: int):
    """Ask for confirmation (GET), then open a new dossier without a booking (POST)."""
    moment = db.get_or_404(RegistrationMoment, moment_id)
    if request.method == "GET":
        return render_template("dossiers/walk_in.html", moment=moment)
    dossier = services.start_walk_in(moment, actor=current_user, now=utcnow())
    db.session.commit()
    return redirect(url_for("dossiers.show", dossier_id=dossier.id))


@bp.route("/<int:dossier_id>")
def show(dossier_id: int):
    """Show a dossier with its checklist."""
    dossier = db.get_or_404(Dossier, dossier_id)
    if dossier is None:
        abort(404)
    return render_template("dossiers/show.html", dossier=dossier)
