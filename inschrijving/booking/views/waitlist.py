"""The waiting list: joining it, and claiming a seat held for you."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from inschrijving.booking import queries
from inschrijving.booking.forms import (
    ClaimForm,
    ClientClaimForm,
    WaitlistForm,
)
from inschrijving.booking.models import WaitlistEntry
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
from inschrijving.booking.views.booking import client_duplicate_page, duplicate_page
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment


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
    form = _claim_form(entry)
    if form.validate_on_submit():
        waiting = _who_waits(entry)  # read before the claim's commit expires the entry
        try:
            issued = lifecycle.claim_offer(token, now=utcnow(), needs_interpreter=bool(form.needs_interpreter.data),
                                           interpreter_language=form.interpreter_language.data,
                                           assistance_note=form.assistance_note.data)
        except AlreadyBooked:
            db.session.commit()  # the offer is closed and its seat passed on to the next person waiting
            return _already_booked_page(**waiting)
        except BookingError:
            db.session.rollback()
            return render_template("booking/offer_gone.html"), 409
        db.session.commit()
        return redirect(url_for(".confirmation", token=issued.token))
    return render_template("booking/claim.html", entry=entry, slot=entry.offered_slot, form=form,
                           expires_at=entry.offer_expires_at, about_client=entry.is_for_client_of_booker)


def _claim_form(entry: WaitlistEntry) -> ClaimForm:
    # Filled in with what the booking the claim makes again said; to its booker, about the client.
    form_class = ClientClaimForm if entry.is_for_client_of_booker else ClaimForm
    return form_class(obj=None if request.method == "POST" else entry.replaces_booking)


def _who_waits(entry: WaitlistEntry) -> dict:
    return {"moment": entry.offered_slot.moment, "phone": entry.phone, "email": entry.email,
            "as_client": entry.client_key is not None}


def _already_booked_page(moment: RegistrationMoment, *, phone: str | None, email: str | None, as_client: bool):
    # A client their booker booked again meanwhile: the page for bookers; anyone else: "U hebt al een afspraak".
    if as_client:
        return client_duplicate_page(moment, reached_directly=False)
    return duplicate_page(moment, phone=phone, email=email, seat_passed_on=True)
