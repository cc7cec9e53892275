"""Public pages for professionals: info moments (list, register, confirmation, manage, waiting list) and
the social worker's list of the bookings they made."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from inschrijving.booking import queries as booking_queries
from inschrijving.booking.models import Booking
from inschrijving.booking.services import links, waitlist, worker_access
from inschrijving.booking.services.base import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingError,
    BookingNotChangeable,
    SlotFull,
)
from inschrijving.db_types import utcnow
from inschrijving.extensions import db, limiter
from inschrijving.professionals import queries
from inschrijving.professionals.forms import (
    AttendeesForm,
    CancelForm,
    InfoClaimForm,
    InfoRegistrationForm,
    InfoWaitlistForm,
    WorkerLinkForm,
)
from inschrijving.professionals.services import registration, worker_links

bp = Blueprint("professionals", __name__, url_prefix="/hulpverleners")

public_post_limit = limiter.limit(lambda: current_app.config["RATELIMIT_PUBLIC_POST"], methods=["POST"])


@bp.after_request
def keep_private_pages_out_of_caches(response: Response) -> Response:
    if request.view_args and "token" in request.view_args:
        response.headers["Cache-Control"] = "no-store"
    return response


def _language() -> str:
    return str(get_locale() or "nl")


@bp.route("/")
def index():
    """What info moments are, and the upcoming ones with their seats left."""
    return render_template("professionals/index.html", sessions=queries.list_upcoming_info_moments(now=utcnow()),
                           language=_language())


def _session_or_404(moment_id: int) -> queries.InfoSession:
    session = queries.get_info_session(moment_id)
    if session is None:
        abort(404)
    return session


@bp.route("/<int:moment_id>", methods=["GET", "POST"])
@public_post_limit
def register(moment_id: int):
    """The registration form; a full or closed info moment says why and offers what can be had instead."""
    session = _session_or_404(moment_id)
    if not session.takes_registrations(utcnow()):
        return _unavailable(session)
    form = InfoRegistrationForm()
    if not form.validate_on_submit():
        return _register_page(session, form)
    outcome = registration.submit(session.slot.id, details=form.details(), now=utcnow())
    db.session.commit()
    if outcome.received:
        return redirect(url_for(".received", moment_id=moment_id))
    if outcome.seats_left == 0:
        return _unavailable(session, status=409)
    form.attendees.errors.append(_seats_left_message(outcome.seats_left))
    return _register_page(session, form, 409)


def _register_page(session: queries.InfoSession, form: InfoRegistrationForm, status: int = 200):
    return render_template("professionals/register.html", session=session, form=form, language=_language()), status


def _seats_left_message(left: int) -> str:
    return ngettext("Er is nog %(num)d plaats. Kom met minder deelnemers, of schrijf u in voor een ander infomoment.",
                    "Er zijn nog %(num)d plaatsen. Kom met minder deelnemers, of schrijf u in voor een ander "
                    "infomoment.", left)


def _unavailable(session: queries.InfoSession, *, status: int = 200):
    now = utcnow()
    db.session.refresh(session.slot)  # a registration that just failed read the seats as they are now
    return render_template("professionals/full.html", session=session, reason=session.closed_reason(now),
                           language=_language(),
                           next_session=queries.next_info_session_with_seats(session.moment, now=now)), status


@bp.route("/<int:moment_id>/ontvangen")
def received(moment_id: int):
    """After the form: the same page for a new registration and for an address registered already."""
    return render_template("professionals/received.html", session=_session_or_404(moment_id), language=_language())


def _registration_or_404(token: str) -> Booking:
    booking = booking_queries.get_booking_by_token(token)
    if booking is None or not booking.moment.is_info:
        abort(404)
    return booking


@bp.route("/inschrijving/<token>/bevestigd")
def registered(token: str):
    """The confirmation: reference, when and where, attendees, calendar file and the manage link."""
    booking = _registration_or_404(token)
    return render_template("professionals/registered.html", booking=booking, token=token, language=_language(),
                           manage_link=links.manage_url(token))


@bp.route("/inschrijving/<token>", methods=["GET", "POST"])
@public_post_limit
def manage(token: str):
    """Change the number of attendees, or cancel, while the info moment has not started."""
    booking = _registration_or_404(token)
    now = utcnow()
    form = AttendeesForm(attendees=booking.seats)
    if form.validate_on_submit():
        try:
            registration.change_attendees(booking, form.attendees.data, now=now)
        except SlotFull:
            db.session.rollback()
            form.attendees.errors.append(_("Zoveel plaatsen zijn er niet meer vrij."))
        except BookingError:
            db.session.rollback()
            form.attendees.errors.append(_("Deze inschrijving kunt u niet meer veranderen."))
        else:
            db.session.commit()
            flash(_("Het aantal deelnemers is aangepast."), "success")
            return redirect(url_for(".manage", token=token))
    return render_template("professionals/manage.html", booking=booking, token=token, form=form,
                           cancel_form=CancelForm(),
                           refused=booking.change_refused_reason(now), language=_language()), \
        409 if form.errors else 200


@bp.route("/inschrijving/<token>/annuleren", methods=["POST"])
@public_post_limit
def cancel(token: str):
    booking = _registration_or_404(token)
    if CancelForm().validate_on_submit():
        try:
            registration.cancel(booking, now=utcnow())
        except BookingNotChangeable:
            db.session.rollback()
            flash(_("Deze inschrijving kunt u niet meer veranderen."), "error")
        else:
            db.session.commit()
            flash(_("Uw inschrijving is geannuleerd."), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/<int:moment_id>/wachtlijst", methods=["GET", "POST"])
@public_post_limit
def join_waitlist(moment_id: int):
    """Wait for a seat at a full info moment: the first freed seat is held for the first in line."""
    session = _session_or_404(moment_id)
    form = InfoWaitlistForm()
    if form.validate_on_submit():
        try:
            waitlist.join_waitlist(session.moment, details=form.details(), now=utcnow())
        except AlreadyWaiting:
            db.session.rollback()
        else:
            db.session.commit()
        return render_template("professionals/waitlist_done.html", session=session, language=_language())
    return render_template("professionals/waitlist.html", session=session, form=form, language=_language())


@bp.route("/aanbod/<token>", methods=["GET", "POST"])
@public_post_limit
def claim(token: str):
    """Take the seats held for a professional from the info moment's waiting list, until the offer expires."""
    entry = booking_queries.get_offer_by_token(token, now=utcnow())
    if entry is None or not entry.offered_slot.moment.is_info:
        return render_template("professionals/offer_gone.html"), 404
    form = InfoClaimForm()
    if form.validate_on_submit():
        try:
            issued = registration.claim_offer(token, now=utcnow(), remark=form.remark.data)
        except AlreadyBooked:
            db.session.commit()  # the offer is closed and its seats passed on to the next one waiting
            return render_template("professionals/offer_gone.html", already_registered=True), 409
        except BookingError:
            db.session.rollback()
            return render_template("professionals/offer_gone.html"), 409
        db.session.commit()
        return redirect(url_for(".registered", token=issued.token))
    return render_template("professionals/claim.html", entry=entry, form=form, language=_language(),
                           session=queries.InfoSession(entry.offered_slot.moment, entry.offered_slot))


@bp.route("/mijn-afspraken", methods=["GET", "POST"])
@public_post_limit
def worker_link():
    """Ask for the link to the bookings you made for clients; the same answer whether or not there are any."""
    form = WorkerLinkForm()
    if form.validate_on_submit():
        worker_links.send_worker_link(form.email_normalised, language=_language(), now=utcnow())
        db.session.commit()
        return render_template("professionals/worker_link_sent.html", days=worker_access.LINK_DAYS)
    return render_template("professionals/worker_link.html", form=form)


@bp.route("/mijn-afspraken/<token>")
def worker_bookings(token: str):
    """The upcoming bookings made with this work e-mail, each opening its pages through this link."""
    email = worker_access.email_from_token(token)
    if email is None:
        return render_template("professionals/worker_link_gone.html"), 404
    bookings = queries.list_worker_bookings(email, now=utcnow())
    return render_template("professionals/worker_bookings.html", bookings=bookings,
                           access={b.id: worker_access.access_token(token, b) for b in bookings})
