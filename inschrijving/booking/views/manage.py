"""The private manage link: the booking, correcting details, SMS opt-out, calendar, letter, move and cancel."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from inschrijving.accounts.services.audit import Actor
from inschrijving.booking import queries
from inschrijving.booking.forms import (
    ClientDetailsForm,
    ConfirmForm,
    DetailsForm,
    MoveForm,
)
from inschrijving.booking.models import Booking
from inschrijving.booking.services import (
    calendar_files,
    details,
    letter_links,
    lifecycle,
    notices,
    worker_access,
)
from inschrijving.booking.services.base import (
    BookingClosed,
    BookingError,
    BookingNotChangeable,
    DuplicateClient,
    DuplicateContact,
    SameSlot,
    SlotFull,
)
from inschrijving.booking.services.content import checklist
from inschrijving.booking.services.letter import letter_pdf
from inschrijving.booking.views.blueprint import (
    _booking_or_404,
    bp,
    public_post_limit,
)
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.planning.models import Slot
from inschrijving.rendering.ical import booking_method
from inschrijving.web import client_ip


@bp.route("/afspraak/<token>")
def manage(token: str):
    """Show the booking behind a manage link, with ways to move or cancel it and how its dossier is doing."""
    booking = _booking_or_404(token)
    if booking.moment.is_info:
        return redirect(url_for("professionals.manage", token=token))
    return _manage_page(booking, token, _details_form(booking, token, obj=booking))


def _details_form(booking: Booking, token: str, obj: Booking | None = None) -> DetailsForm:
    # Opened from the worker's list, the form asks the worker about the client (in the third person).
    if worker_access.is_access_token(token):
        return ClientDetailsForm(obj=obj, booking=booking)
    return DetailsForm(obj=obj)


def _manage_page(booking: Booking, token: str, form: DetailsForm, status: int = 200):
    return render_template("booking/manage.html", booking=booking, token=token, checklist=checklist(),
                           can_change=booking.candidate_can_change(utcnow()), form=form,
                           dossier_progress=queries.get_dossier_progress(booking.id),
                           worker_list=worker_access.list_token_of(token),
                           # A cancelled booking gets no more SMS, so there is nothing to stop.
                           sms_form=ConfirmForm() if notices.wants_sms(booking) and not booking.is_cancelled
                           else None), status


@bp.route("/afspraak/<token>/gegevens", methods=["POST"])
@public_post_limit
def correct_details(token: str):
    """Let the candidate correct their contact details, household size, language and interpreter need."""
    booking = _booking_or_404(token)
    form = _details_form(booking, token)
    if not form.validate_on_submit():
        return _manage_page(booking, token, form, 422)
    try:
        details.correct_details(booking, form.corrected(), actor=_candidate(token), now=utcnow())
    except DuplicateContact as exc:
        db.session.rollback()
        _refuse_duplicate(form, exc)
        return _manage_page(booking, token, form, 409)
    except BookingNotChangeable:
        abort(409)
    db.session.commit()
    flash(_("De gegevens van de kandidaat zijn aangepast.") if isinstance(form, ClientDetailsForm)
          else _("Uw gegevens zijn aangepast."), "success")
    return redirect(url_for(".manage", token=token, _anchor="main"))


def _refuse_duplicate(form: DetailsForm, exc: DuplicateContact) -> None:
    if isinstance(exc, DuplicateClient):
        form.contact_name.errors = [_("U hebt deze kandidaat al ingeschreven voor deze dag.")]
    else:
        form.phone.errors = [_("Dit telefoonnummer of e-mailadres hoort al bij een andere afspraak op die dag.")]


def _candidate(token: str) -> Actor:
    # The candidate has no account: the audit names the link as the actor (a worker's list link, or the manage link).
    label = "hulpverlener (lijstlink)" if worker_access.is_access_token(token) else "kandidaat (beheerlink)"
    return Actor(user_id=None, label=label, ip=client_ip())


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
    body = calendar_files.booking_calendar(booking, now=utcnow(), token=token)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Type": f"text/calendar; charset=utf-8; method={booking_method(booking)}",
        "Content-Disposition": f'attachment; filename="afspraak-{booking.reference}.ics"',
        "Cache-Control": "no-store",
    })


@bp.route("/afspraak/<token>/brief.pdf")
def letter(token: str):
    """Serve the printable confirmation letter, in the booking's language, with a QR code of the manage link."""
    booking = _booking_or_404(token)
    # Printed from a worker's list: the letter carries the booking's own letter link, the same on every reprint.
    client_token = letter_links.token_for_letter(booking, token)
    db.session.commit()
    return Response(letter_pdf(booking, client_token), mimetype="application/pdf", headers={
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
            flash(_moved_notice(booking, token), "success")
            return redirect(url_for(".manage", token=token))
    return render_template("booking/move.html", booking=booking, token=token, form=form, error=error,
                           can_change=booking.candidate_can_change(utcnow()),
                           worker_list=worker_access.list_token_of(token),
                           options=queries.list_moments_for_move(now=utcnow())), 409 if error else 200


def _moved_notice(booking: Booking, token: str) -> str:
    # Opened from a worker's list, the pages speak to the worker about their client.
    if worker_access.is_access_token(token):
        return _("De afspraak van %(name)s is verplaatst. De referentie blijft dezelfde.", name=booking.contact_name)
    return _("Uw afspraak is verplaatst. Uw referentie blijft dezelfde.")


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
        flash(_("De afspraak van %(name)s is geannuleerd.", name=booking.contact_name)
              if worker_access.is_access_token(token) else _("Uw afspraak is geannuleerd."), "success")
        return redirect(url_for(".manage", token=token))
    # Opened from a worker's list, the page speaks to the worker about their client.
    return render_template("booking/cancel.html", booking=booking, token=token, form=form, can_change=can_change,
                           worker_list=worker_access.list_token_of(token))
