"""The e-mails a booking sends, written in the candidate's language and queued in the outbox."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from inschrijving.booking.models import Booking, WaitlistEntry
from inschrijving.booking.services.seats import BookingDraft
from inschrijving.notifications.services import queue_message
from inschrijving.planning.models import MomentKind, RegistrationMoment
from inschrijving.rendering.ical import booking_event, booking_method, booking_to_ical, calendar_spec


def public_url(path: str) -> str:
    """An absolute link for e-mails and letters, built from PUBLIC_BASE_URL (never from a request)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def manage_url(token: str) -> str:
    return public_url(f"/afspraak/{token}")


def offer_url(token: str) -> str:
    return public_url(f"/aanbod/{token}")


def calendar_host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


def local_time(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def booking_calendar(booking: Booking, *, now: datetime, token: str | None = None) -> bytes:
    """The booking's calendar file, in the candidate's language (also outside a request, e.g. in the CLI)."""
    return booking_to_ical(booking, **_calendar_text(booking, now=now, token=token))


def _is_info(booking: Booking | BookingDraft) -> bool:
    return booking.moment.kind == MomentKind.INFO


def _calendar_text(booking: Booking | BookingDraft, *, now: datetime, token: str | None) -> dict:
    with force_locale(booking.language):
        if _is_info(booking):
            summary = _("Infomoment voor hulpverleners (%(reference)s)", reference=booking.reference)
            description = _("Uw inschrijving voor het infomoment. Referentie: %(reference)s.",
                            reference=booking.reference)
        else:
            summary = _("Groepsinschrijving sociale huur (%(reference)s)", reference=booking.reference)
            description = _(
                "Uw afspraak voor de groepsinschrijving. Referentie: %(reference)s.", reference=booking.reference
            )
    note = booking.moment.note_for(booking.language)
    if note:
        description += "\n" + note
    return {"host": calendar_host(), "summary": summary, "description": description, "stamp": now,
            "url": manage_url(token) if token else None}


def _ics_attachment(booking: Booking | BookingDraft, *, now: datetime, token: str | None = None) -> dict:
    # Described, not rendered: the outbox sender renders the file from what the booking is now
    # (serialising it in the request was about a quarter of a booking).
    method = booking_method(booking)
    event = booking_event(booking, **_calendar_text(booking, now=now, token=token))
    return {
        "filename": "afspraak.ics",
        "content_type": f"text/calendar; method={method}",
        "calendar": calendar_spec([event], method=method),
    }


# An info-moment registration is told the same things in its own words (no checklist, attendees instead).
INFO_TEMPLATES = frozenset({"booking_confirmed", "booking_cancelled", "reminder", "moment_cancelled", "manage_link"})


def _template_path(booking: Booking | BookingDraft, template: str) -> str:
    if _is_info(booking) and template in INFO_TEMPLATES:
        return f"emails/info_{template}.txt"
    return f"emails/{template}.txt"


def _message_for_booking(booking: Booking | BookingDraft, template: str, subject: str, *, now: datetime,
                         token: str | None = None, dedupe_key: str | None = None, calendar: bool = True,
                         extra: dict | None = None) -> dict:
    """queue_message arguments for a booking's e-mail: the template and a snapshot of what it shows.

    The sender renders it (the body in the booking's language, the calendar file from its
    description), so a booking request pays for neither; what the mail says is fixed now.
    """
    moment = booking.moment
    context = {
        "booking": {"contact_name": booking.contact_name, "reference": booking.reference, "seats": booking.seats},
        "moment": {"location_name": moment.location_name, "address": moment.address},
        "starts_at": local_time(booking.slot.starts_at),
        "ends_at": local_time(booking.slot.ends_at),
        "link": manage_url(token) if token else None,
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
        **(extra or {}),
    }
    attachments = [_ics_attachment(booking, now=now, token=token)] if calendar else None
    return {"recipient": booking.email, "subject": subject, "template": _template_path(booking, template),
            "context": context, "language": booking.language, "attachments": attachments,
            "dedupe_key": dedupe_key}


def _queue_for_booking(booking: Booking, template: str, subject: str, **kwargs) -> None:
    queue_message(**_message_for_booking(booking, template, subject, **kwargs))


def confirmation_message(booking: Booking | BookingDraft, token: str, *, now: datetime) -> dict | None:
    """The confirmation e-mail as queue_message arguments, or None without an address.

    Built apart from queueing so that booking can do this before it takes the seat: on SQLite the
    write lock is held from the first write to the commit. `seats.write_booking` inserts it with the
    booking, as an outbox row (`templated_message_row`). Takes the draft of a booking not yet
    inserted as well as a booking.
    """
    if not booking.email:
        return None
    with force_locale(booking.language):
        subject = _("Uw afspraak %(reference)s is bevestigd", reference=booking.reference)
        return _message_for_booking(booking, "booking_confirmed", subject, now=now, token=token)


def queue_moved(booking: Booking, *, now: datetime) -> None:
    if not booking.email:
        return
    with force_locale(booking.language):
        subject = _("Uw afspraak %(reference)s is verplaatst", reference=booking.reference)
        _queue_for_booking(booking, "booking_moved", subject, now=now)


def queue_cancelled(booking: Booking, *, now: datetime) -> None:
    if not booking.email:
        return
    with force_locale(booking.language):
        subject = _("Uw afspraak %(reference)s is geannuleerd", reference=booking.reference)
        _queue_for_booking(booking, "booking_cancelled", subject, now=now)


def queue_moment_cancelled(booking: Booking, *, now: datetime) -> None:
    """Tell a candidate that the whole moment is off, with the calendar cancellation a single one carries.

    Called by planning when a coordinator cancels the moment, after the booking is cancelled and its
    sequence raised, so the attached file is the METHOD:CANCEL one.
    """
    if not booking.email:
        return
    with force_locale(booking.language):
        subject = (_("Het infomoment voor hulpverleners gaat niet door") if _is_info(booking)
                   else _("Uw afspraak voor de groepsinschrijving gaat niet door"))
        _queue_for_booking(booking, "moment_cancelled", subject, now=now,
                           dedupe_key=f"moment-cancelled:{booking.id}")


def queue_manage_link(booking: Booking, token: str, *, now: datetime, old_link_works: bool = False) -> None:
    """The manage link sent again: after a resend the old link still works, after a volunteer's reissue not."""
    with force_locale(booking.language):
        subject = _("Uw nieuwe link voor afspraak %(reference)s", reference=booking.reference)
        _queue_for_booking(booking, "manage_link", subject, now=now, token=token, calendar=False,
                           extra={"old_link_works": old_link_works})


def queue_reminder(booking: Booking, token: str, *, now: datetime, dedupe_key: str) -> None:
    """Remind the candidate; raises DuplicateMessage if this reminder was queued before."""
    with force_locale(booking.language):
        subject = _("Herinnering: uw afspraak %(reference)s", reference=booking.reference)
        _queue_for_booking(booking, "reminder", subject, now=now, token=token, dedupe_key=dedupe_key)


def queue_offer(entry: WaitlistEntry, token: str, *, now: datetime) -> None:
    """Tell the first person on the waiting list that a seat is held for them."""
    slot = entry.offered_slot
    with force_locale(entry.language):
        subject = _("Er is een plaats vrij voor u")
    queue_message(entry.email, subject, template="emails/waitlist_offer.txt", language=entry.language, context={
        "entry": {"contact_name": entry.contact_name},
        "moment": {"location_name": slot.moment.location_name, "address": slot.moment.address},
        "starts_at": local_time(slot.starts_at),
        "ends_at": local_time(slot.ends_at),
        "expires_at": local_time(entry.offer_expires_at),
        "link": offer_url(token),
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    })


def queue_next_moment(entry: WaitlistEntry, moment: RegistrationMoment) -> None:
    """Tell someone who asked for it that a new moment is open for booking."""
    with force_locale(entry.language):
        subject = _("Er is een nieuwe groepsinschrijving")
    queue_message(entry.email, subject, template="emails/next_moment.txt", language=entry.language, context={
        "entry": {"contact_name": entry.contact_name},
        "moment": {"held_on": moment.held_on, "location_name": moment.location_name, "address": moment.address},
        "link": public_url(f"/inschrijven/{moment.id}"),
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    }, dedupe_key=f"next-moment:{moment.id}:{entry.id}")
