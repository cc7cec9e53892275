"""Public pages: the home page, booking a slot, the private manage link and the waiting list."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from inschrijving.accounts.services.audit import Actor
from inschrijving.booking import queries
from inschrijving.booking.forms import (
    BookingForm,
    ClaimForm,
    ClientBookingForm,
    ConfirmForm,
    DetailsForm,
    MoveForm,
    ResendForm,
    WaitlistForm,
)
from inschrijving.booking.models import Booking
from inschrijving.booking.services import details, lifecycle, notices, tokens, waitlist
from inschrijving.booking.services.base import (
    AlreadyBooked,
    AlreadyWaiting,
    BookingClosed,
    BookingError,
    BookingNotChangeable,
    DuplicateContact,
    SameSlot,
    SlotFull,
    SlotNotFound,
)
from inschrijving.booking.services.content import checklist
from inschrijving.booking.services.letter import letter_pdf
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.db_types import utcnow
from inschrijving.extensions import db, limiter
from inschrijving.planning.models import BookingClosedReason, MomentKind, RegistrationMoment, Slot
from inschrijving.rendering.ical import booking_method
from inschrijving.web import client_ip, use_page_language

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


@bp.route("/")
def home():
    """Show what the group registration is and the next moments with free places."""
    moments = queries.list_bookable_moments(now=utcnow())
    return render_template("booking/home.html", moments=moments, checklist=checklist())


def _bookable_moment_or_404(moment_id: int) -> RegistrationMoment:
    moment = db.session.get(RegistrationMoment, moment_id)
    if moment is None or moment.kind != MomentKind.REGISTRATION:
        abort(404)
    return moment


def _closed_page(moment: RegistrationMoment, reason: BookingClosedReason, status: int = 200):
    return render_template("booking/closed.html", moment=moment, reason=reason), status


@bp.route("/inschrijven/<int:moment_id>")
def choose_slot(moment_id: int):
    """Show the moment's slots by opening block; full slots are shown but cannot be chosen."""
    moment = _bookable_moment_or_404(moment_id)
    reason = moment.booking_closed_reason(utcnow())
    if reason is not None:
        return _closed_page(moment, reason)
    groups = queries.list_slot_groups(moment)
    all_full = all(slot.is_full for group in groups for slot in group.slots)
    return render_template("booking/choose_slot.html", moment=moment, groups=groups, all_full=all_full)


@bp.route("/inschrijven/<int:moment_id>/<int:slot_id>", methods=["GET", "POST"])
@public_post_limit
def book(moment_id: int, slot_id: int):
    """Ask the candidate's details and book the chosen slot."""
    return _book(moment_id, slot_id, BookingForm(), template="booking/book.html")


@bp.route("/inschrijven/<int:moment_id>/<int:slot_id>/voor-iemand-anders", methods=["GET", "POST"])
@public_post_limit
def book_for_client(moment_id: int, slot_id: int):
    """Book for a client (a social worker, or a volunteer on the phone): the form speaks about the client."""
    return _book(moment_id, slot_id, ClientBookingForm(), template="booking/book_for_client.html")


def _book(moment_id: int, slot_id: int, form: BookingForm, *, template: str):
    if not form.validate_on_submit():
        return _booking_form(moment_id, slot_id, form, just_filled=False, template=template)
    # The busiest write page: a valid booking reads and writes only what it must (see
    # booking.services.seats); the slot and moment are loaded as objects only to show a page.
    try:
        issued = lifecycle.book_slot(slot_id, moment_id=moment_id, details=form.details(), now=utcnow())
    except SlotNotFound:
        abort(404)
    except (BookingClosed, DuplicateContact, SlotFull) as exc:
        db.session.rollback()
        if isinstance(exc, BookingClosed):
            if exc.reason == BookingClosedReason.NOT_BOOKABLE:
                abort(404)
            return _closed_page(exc.moment, exc.reason, 409)
        if isinstance(exc, DuplicateContact) and isinstance(form, ClientBookingForm):
            return _client_duplicate_page(exc.existing.moment, form)
        if isinstance(exc, DuplicateContact):
            return _duplicate_page(exc.existing.moment, phone=form.phone_e164,
                                   email=form.email_normalised)
        return _booking_form(moment_id, slot_id, form, just_filled=True, template=template)
    db.session.commit()
    return redirect(url_for(".confirmation", token=issued.token))


def _booking_form(moment_id: int, slot_id: int, form: BookingForm, *, just_filled: bool,
                  template: str = "booking/book.html"):
    """The form page: kept values and other free hours when the slot is (or just became) full."""
    now = utcnow()
    slot = db.session.get(Slot, slot_id, options=[joinedload(Slot.moment)])
    if slot is None or slot.moment_id != moment_id or slot.moment.kind != MomentKind.REGISTRATION:
        abort(404)
    moment = slot.moment
    reason = None if just_filled else moment.booking_closed_reason(now)
    if reason is not None:
        return _closed_page(moment, reason)
    slot_full = just_filled or slot.is_full
    alternatives = queries.list_free_slots(moment.id, now=now) if slot_full else []
    return render_template(template, moment=moment, slot=slot, form=form, slot_full=slot_full,
                           alternatives=alternatives), 409 if form.is_submitted() and slot_full else 200


def _client_duplicate_page(moment: RegistrationMoment, form: ClientBookingForm):
    """A client who holds a booking for the moment already. Says nothing of who booked it, or when."""
    return render_template("booking/client_duplicate.html", moment=moment, reached_directly=form.reached_directly,
                           woonclub_phone=current_app.config.get("WOONCLUB_PHONE")), 409


def _duplicate_page(moment: RegistrationMoment, *, phone: str | None, email: str | None,
                    seat_passed_on: bool = False):
    # formdata=None: inside the booking POST, Flask-WTF would otherwise fill the hidden fields from the
    # request (the contact as typed) instead of these normalised values.
    resend = ResendForm(formdata=None, phone=phone, email=email)
    # The page says nothing about the booking found (not even whether it has an e-mail address): the
    # asker may not be the person whose phone number they typed.
    return render_template("booking/duplicate.html", moment=moment, resend=resend,
                           seat_passed_on=seat_passed_on,
                           woonclub_phone=current_app.config.get("WOONCLUB_PHONE")), 409


@bp.route("/inschrijven/<int:moment_id>/link-opnieuw", methods=["POST"])
@public_post_limit
def resend_link(moment_id: int):
    """Send a fresh manage link to the e-mail address of the booking that uses this contact."""
    moment = _bookable_moment_or_404(moment_id)
    form = ResendForm()
    if not form.validate_on_submit():
        abort(400)
    booking = queries.get_live_booking_for_contact(moment.id, phone=form.phone.data, email=form.email.data)
    if booking is not None:
        tokens.resend_manage_link(booking, now=utcnow())
    db.session.commit()
    # One answer whatever was found: the page must not tell a stranger whether this contact has a booking.
    return render_template("booking/resent.html", moment=moment,
                           woonclub_phone=current_app.config.get("WOONCLUB_PHONE"))


def _booking_or_404(token: str, *, own_language: bool = True) -> Booking:
    booking = queries.get_booking_by_token(token)
    if booking is None:
        abort(Response(render_template("booking/unknown_link.html"), 404))
    if own_language:
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


@bp.route("/afspraak/<token>/bevestigd")
def confirmation(token: str):
    """Show the new booking: reference, time, place, what to bring, calendar file, letter, manage link."""
    booking = _booking_or_404(token, own_language=False)  # just booked: stay in the page's language
    if booking.moment.is_info:
        return redirect(url_for("professionals.registered", token=token))
    template = "booking/confirmation_for_client.html" if booking.is_booked_for_someone_else \
        else "booking/confirmation.html"
    return render_template(template, booking=booking, token=token, checklist=checklist(),
                           manage_link=notices.manage_url(token), by_sms=notices.wants_sms(booking),
                           by_email=bool(booking.email) and notices.wants_email(booking))


@bp.route("/afspraak/<token>")
def manage(token: str):
    """Show the booking behind a manage link, with ways to move or cancel it and how its dossier is doing."""
    booking = _booking_or_404(token)
    if booking.moment.is_info:
        return redirect(url_for("professionals.manage", token=token))
    return _manage_page(booking, token, DetailsForm(obj=booking))


def _manage_page(booking: Booking, token: str, form: DetailsForm, status: int = 200):
    return render_template("booking/manage.html", booking=booking, token=token, checklist=checklist(),
                           can_change=booking.candidate_can_change(utcnow()), form=form,
                           dossier_progress=queries.get_dossier_progress(booking.id),
                           manage_link=notices.manage_url(token),
                           # A cancelled booking gets no more SMS, so there is nothing to stop.
                           sms_form=ConfirmForm() if notices.wants_sms(booking) and not booking.is_cancelled
                           else None), status


@bp.route("/afspraak/<token>/gegevens", methods=["POST"])
@public_post_limit
def correct_details(token: str):
    """Let the candidate correct their contact details, household size, language and interpreter need."""
    booking = _booking_or_404(token)
    form = DetailsForm()
    if not form.validate_on_submit():
        return _manage_page(booking, token, form, 422)
    try:
        details.correct_details(booking, form.corrected(), actor=_candidate(), now=utcnow())
    except DuplicateContact:
        db.session.rollback()
        form.phone.errors = [_("Dit telefoonnummer of e-mailadres hoort al bij een andere afspraak op die dag.")]
        return _manage_page(booking, token, form, 409)
    except BookingNotChangeable:
        abort(409)
    db.session.commit()
    flash(_("Uw gegevens zijn aangepast."), "success")
    return redirect(url_for(".manage", token=token, _anchor="main"))


def _candidate() -> Actor:
    # The candidate has no account: the audit names the manage link as the actor.
    return Actor(user_id=None, label="kandidaat (beheerlink)", ip=client_ip())


@bp.post("/afspraak/<token>/sms-stoppen")
@public_post_limit
def stop_sms(token: str):
    """The candidate stops SMS for this booking (issue 18); e-mail, if any, goes on."""
    booking = _booking_or_404(token)
    if ConfirmForm().validate_on_submit():
        notices.stop_sms(booking, now=utcnow())
        db.session.commit()
        flash(_("U krijgt geen sms meer over deze afspraak."), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/afspraak/<token>.ics")
def calendar_file(token: str):
    """Serve the booking's calendar file (updated on a move, a cancellation notice after cancelling)."""
    booking = _booking_or_404(token)
    body = notices.booking_calendar(booking, now=utcnow(), token=token)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Type": f"text/calendar; charset=utf-8; method={booking_method(booking)}",
        "Content-Disposition": f'attachment; filename="afspraak-{booking.reference}.ics"',
        "Cache-Control": "no-store",
    })


@bp.route("/afspraak/<token>/brief.pdf")
def letter(token: str):
    """Serve the printable confirmation letter, in the booking's language, with a QR code of the manage link."""
    booking = _booking_or_404(token)
    return Response(letter_pdf(booking, token), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="afspraak-{booking.reference}.pdf"',
        "Cache-Control": "no-store",
    })


@bp.route("/afspraak/<token>/verplaatsen", methods=["GET", "POST"])
@public_post_limit
def move(token: str):
    """Let the candidate pick another slot, of this moment or another open one."""
    booking = _booking_or_404(token)
    form = MoveForm()
    error = None
    if form.validate_on_submit():
        try:
            lifecycle.move_by_candidate(booking, new_slot=_slot_or_full(form.slot_id.data), now=utcnow())
        except BookingError as exc:
            db.session.rollback()
            error = _move_error(exc)
        else:
            db.session.commit()
            flash(_("Uw afspraak is verplaatst. Uw referentie blijft dezelfde."), "success")
            return redirect(url_for(".manage", token=token))
    return render_template("booking/move.html", booking=booking, token=token, form=form, error=error,
                           can_change=booking.candidate_can_change(utcnow()),
                           options=queries.list_moments_for_move(now=utcnow())), 409 if error else 200


def _slot_or_full(slot_id: int) -> Slot:
    # A slot that is gone by now is, to the candidate, an hour that cannot be had: "just filled".
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        raise SlotFull(slot_id)
    return slot


def _move_error(exc: BookingError) -> str:
    if isinstance(exc, SlotFull):
        return _("Dit uur is net volzet. Kies een ander uur.")
    if isinstance(exc, DuplicateContact):
        return _("U hebt op die dag al een andere afspraak.")
    if isinstance(exc, SameSlot):
        return _("Dat is uw huidige uur. Kies een ander uur.")
    if isinstance(exc, BookingClosed):
        return _("Voor die dag kunt u niet meer inschrijven. Kies een andere dag.")
    return _("Deze afspraak kunt u niet meer veranderen.")


@bp.route("/afspraak/<token>/annuleren", methods=["GET", "POST"])
@public_post_limit
def cancel(token: str):
    """Ask once more, then cancel the booking and give the seat back."""
    booking = _booking_or_404(token)
    form = ConfirmForm()
    can_change = booking.candidate_can_change(utcnow())
    if form.validate_on_submit() and can_change:
        lifecycle.cancel_by_candidate(booking, now=utcnow())
        db.session.commit()
        flash(_("Uw afspraak is geannuleerd."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("booking/cancel.html", booking=booking, token=token, form=form, can_change=can_change)


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
    form = ClaimForm()
    if form.validate_on_submit():
        moment, phone, email = entry.offered_slot.moment, entry.phone, entry.email
        try:
            issued = lifecycle.claim_offer(token, now=utcnow(), needs_interpreter=bool(form.needs_interpreter.data),
                                           interpreter_language=form.interpreter_language.data,
                                           assistance_note=form.assistance_note.data)
        except AlreadyBooked:
            db.session.commit()  # the offer is closed and its seat passed on to the next person waiting
            return _duplicate_page(moment, phone=phone, email=email, seat_passed_on=True)
        except BookingError:
            db.session.rollback()
            return render_template("booking/offer_gone.html"), 409
        db.session.commit()
        return redirect(url_for(".confirmation", token=issued.token))
    return render_template("booking/claim.html", entry=entry, slot=entry.offered_slot, form=form,
                           expires_at=entry.offer_expires_at)
