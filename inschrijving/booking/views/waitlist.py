"""The waiting list: joining it, and claiming a seat held for you."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from inschrijving.booking import queries
from inschrijving.booking.forms import (
    ClaimForm,
    WaitlistForm,
)
from inschrijving.booking.services import lifecycle, waitlist
from inschrijving.booking.services.base import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingError,
)
from inschrijving.booking.views.blueprint import (
    _bookable_moment_or_404,
    bp,
    public_post_limit,
)
from inschrijving.booking.views.booking import duplicate_page
from inschrijving.db_types import utcnow
from inschrijving.extensions import db


@bp.route("/wachtlijst/<int:moment_id>", methods=["GET", "POST"])
@bp.route("/wachtlijst/volgende", methods=["GET", "POST"], defaults={"moment_id": None})
@public_post_limit
def join_waitlist(moment_id: int | None):
    """Put a candidate on a full moment's waiting list, or on the list for the next moment."""
    moment = _bookable_moment_or_404(moment_id) if moment_id is not None else None
    form = WaitlistForm(for_next_moment=moment is None)
    if form.validate_on_submit():
        try:
            waitlist.join_waitlist(moment, details=form.details(), now=utcnow())
        except AlreadyWaiting:
            db.session.rollback()
            flash(_("U staat al op deze wachtlijst. U hoeft niets meer te doen."), "success")
        else:
            db.session.commit()
        return render_template("booking/waitlist_done.html", moment=moment)
    return render_template("booking/waitlist.html", moment=moment, form=form)


@bp.route("/aanbod/<token>", methods=["GET", "POST"])
@public_post_limit
def claim(token: str):
    """Let the first person waiting take the seat held for them, until the offer expires."""
    entry = queries.get_offer_by_token(token, now=utcnow())
    if entry is None:
        return render_template("booking/offer_gone.html"), 404
    if entry.offered_slot.moment.is_info:
        # Seats at an info moment held for a professional: their claim page, in their words (also from an SMS link).
        return redirect(url_for("professionals.claim", token=token))
    form = ClaimForm()
    if form.validate_on_submit():
        moment, phone, email = entry.offered_slot.moment, entry.phone, entry.email
        try:
            issued = lifecycle.claim_offer(token, now=utcnow(), needs_interpreter=bool(form.needs_interpreter.data),
                                           interpreter_language=form.interpreter_language.data,
                                           assistance_note=form.assistance_note.data)
        except AlreadyBooked:
            db.session.commit()  # the offer is closed and its seat passed on to the next person waiting
            return duplicate_page(moment, phone=phone, email=email, seat_passed_on=True)
        except BookingError:
            db.session.rollback()
            return render_template("booking/offer_gone.html"), 409
        db.session.commit()
        return redirect(url_for(".confirmation", token=issued.token))
    return render_template("booking/claim.html", entry=entry, slot=entry.offered_slot, form=form,
                           expires_at=entry.offer_expires_at)
