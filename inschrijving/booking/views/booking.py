"""Booking a slot: the home page, choosing an hour, the form (also on behalf of a client), the confirmation."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    url_for,
)
from sqlalchemy.orm import joinedload

from inschrijving.booking import queries
from inschrijving.booking.forms import (
    BookingForm,
    ClientBookingForm,
    ResendForm,
)
from inschrijving.booking.services import lifecycle, links, notices, tokens
from inschrijving.booking.services.base import (
    BookingClosed,
    DuplicateContact,
    SlotFull,
    SlotNotFound,
)
from inschrijving.booking.services.content import checklist
from inschrijving.booking.views.blueprint import (
    _bookable_moment_or_404,
    _booking_or_404,
    bp,
    public_post_limit,
)
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.models import BookingClosedReason, MomentKind, RegistrationMoment, Slot


@bp.route("/")
def home():
    """Show what the group registration is and the next moments with free places."""
    moments = queries.list_bookable_moments(now=utcnow())
    return render_template("booking/home.html", moments=moments, checklist=checklist())


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
            return client_duplicate_page(exc.existing.moment, reached_directly=form.reached_directly)
        if isinstance(exc, DuplicateContact):
            return duplicate_page(exc.existing.moment, phone=form.phone_e164,
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


def client_duplicate_page(moment: RegistrationMoment, *, reached_directly: bool):
    """A client who holds a booking for the moment already. Says nothing of who booked it, or when."""
    return render_template("booking/client_duplicate.html", moment=moment, reached_directly=reached_directly,
                           woonclub_phone=current_app.config.get("WOONCLUB_PHONE")), 409


def duplicate_page(moment: RegistrationMoment, *, phone: str | None, email: str | None,
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


@bp.route("/afspraak/<token>/bevestigd")
def confirmation(token: str):
    """Show the new booking: reference, time, place, what to bring, calendar file, letter, manage link."""
    booking = _booking_or_404(token, own_language=False)  # just booked: stay in the page's language
    if booking.moment.is_info:
        return redirect(url_for("professionals.registered", token=token))
    template = "booking/confirmation_for_client.html" if booking.is_booked_for_someone_else \
        else "booking/confirmation.html"
    return render_template(template, booking=booking, token=token, checklist=checklist(),
                           manage_link=links.manage_url(token), by_sms=notices.wants_sms(booking),
                           by_email=bool(booking.email) and notices.wants_email(booking))
