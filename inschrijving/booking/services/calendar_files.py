"""A booking's calendar file (.ics): attached to its messages and downloaded from its pages."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from inschrijving.booking.models import Booking
from inschrijving.booking.services import links, worker_access
from inschrijving.booking.services.seats import BookingDraft
from inschrijving.planning.models import MomentKind
from inschrijving.rendering.ical import booking_event, booking_method, booking_to_ical, calendar_spec


def booking_calendar(booking: Booking, *, now: datetime, token: str | None = None) -> bytes:
    """The booking's calendar file, in its messages' language (also outside a request, e.g. in the CLI)."""
    return booking_to_ical(booking, **calendar_text(booking, now=now, token=token))


def is_info(booking: Booking | BookingDraft) -> bool:
    return booking.moment.kind == MomentKind.INFO


def calendar_text(booking: Booking | BookingDraft, *, now: datetime, token: str | None) -> dict:
    with force_locale(booking.message_language):
        if is_info(booking):
            summary = _("Infomoment voor hulpverleners (%(reference)s)", reference=links.ref(booking))
            description = _("Uw inschrijving voor het infomoment. Referentie: %(reference)s.",
                            reference=booking.reference)
            reminder = _("Morgen: het infomoment voor hulpverleners.")
        elif booking.speaks_to_booker:
            # In the booker's calendar, among other clients' appointments: whose it is.
            summary = _("Groepsinschrijving %(name)s (%(reference)s)", name=booking.contact_name,
                        reference=links.ref(booking))
            description = _("De afspraak van uw cliënt %(name)s voor de groepsinschrijving. Referentie: %(reference)s.",
                            name=booking.contact_name, reference=booking.reference)
            reminder = _("Morgen: de afspraak van uw cliënt %(name)s voor de groepsinschrijving.",
                         name=booking.contact_name)
        else:
            summary = _("Groepsinschrijving sociale huur (%(reference)s)", reference=links.ref(booking))
            description = _(
                "Uw afspraak voor de groepsinschrijving. Referentie: %(reference)s.", reference=booking.reference
            )
            reminder = _("Morgen: uw afspraak voor de groepsinschrijving. Neem uw papieren mee.")
    note = booking.moment.note_for(booking.message_language)
    if note:
        description += "\n" + note
    return {"host": links.calendar_host(), "summary": summary, "description": description, "stamp": now,
            "url": _calendar_url(token), "reminder": reminder}


def _calendar_url(token: str | None) -> str | None:
    """The manage link in the calendar file; none for a page opened through a worker's list link, whose token
    opens all of that worker's bookings (a calendar file is shared and forwarded: the list stays out of it)."""
    if token is None or worker_access.is_access_token(token):
        return None
    return links.manage_url(token)


def ics_attachment(booking: Booking | BookingDraft, *, now: datetime, token: str | None = None) -> dict:
    # Described, not rendered: the outbox sender renders the file from what the booking is now
    # (serialising it in the request was about a quarter of a booking).
    method = booking_method(booking)
    event = booking_event(booking, **calendar_text(booking, now=now, token=token))
    return {
        "filename": "afspraak.ics",
        "content_type": f"text/calendar; method={method}",
        "calendar": calendar_spec([event], method=method),
    }
