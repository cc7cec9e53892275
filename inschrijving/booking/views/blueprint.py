"""The public blueprint, its rate limit and the helpers its pages share (a bookable moment, a booking by its link)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    session,
)

from inschrijving.booking import queries
from inschrijving.booking.models import Booking
from inschrijving.booking.services import worker_access
from inschrijving.booking.services.content import checklist
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.extensions import db, limiter
from inschrijving.planning.models import MomentKind, RegistrationMoment
from inschrijving.web import use_page_language

bp = Blueprint("booking", __name__)


# Per client, for POSTs only: reading pages stays free, hammering the booking form does not.
public_post_limit = limiter.limit(lambda: current_app.config["RATELIMIT_PUBLIC_POST"], methods=["POST"])


@bp.after_request
def keep_private_pages_out_of_caches(response: Response) -> Response:
    # Pages behind a manage or offer link show personal data: no shared or back-button cache.
    if request.view_args and "token" in request.view_args:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global("what_to_bring")
def what_to_bring() -> list[str]:
    # For e-mails, which the outbox renders later in the candidate's language.
    return checklist()


def _bookable_moment_or_404(moment_id: int) -> RegistrationMoment:
    moment = db.session.get(RegistrationMoment, moment_id)
    if moment is None or moment.kind != MomentKind.REGISTRATION:
        abort(404)
    return moment


def _booking_or_404(token: str, *, own_language: bool = True) -> Booking:
    """The booking behind a manage link, or behind a worker's list link (`worker_access`): the same pages."""
    by_worker = worker_access.is_access_token(token)
    booking = worker_access.booking_for_access(token) if by_worker else queries.get_booking_by_token(token)
    if booking is None:
        abort(Response(render_template("booking/unknown_link.html"), 404))
    if own_language and not by_worker:
        # The worker reads on in the language they chose; the client's pages speak the client's language.
        _speak_the_bookings_language(booking)
    return booking


def _speak_the_bookings_language(booking: Booking) -> None:
    # A booking's pages speak the language the candidate chose when booking (the link may be opened on
    # someone else's phone), until they pick another one on these pages: that choice is kept for this booking.
    asked = request.args.get("lang")
    if asked in LANGUAGE_NAMES:
        session["booking_language"] = [booking.reference, asked]
        return
    remembered = session.get("booking_language")
    chosen = remembered[1] if isinstance(remembered, list) and remembered[:1] == [booking.reference] else None
    use_page_language(chosen if chosen in LANGUAGE_NAMES else booking.language)
