"""The e-mails and SMS a booking sends, queued in the outbox.

Each speaks `Booking.message_language`: the candidate's language, or, for a client reached through the
social worker (or volunteer) who booked, the booker's (docs/booking.md, "Which language"). The e-mails to
that booker are their own variants (`Booking.speaks_to_booker`): addressed to the booker, about "uw cliënt".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from inschrijving.booking.models import Booking, ReachBy, WaitlistEntry
from inschrijving.booking.services import calendar_files, letter_links, links
from inschrijving.booking.services.seats import BookingDraft, SeatTarget
from inschrijving.notifications import sms
from inschrijving.notifications.services import queue_message
from inschrijving.notifications.shortlinks import create_short_link
from inschrijving.planning.models import RegistrationMoment

# An info-moment registration is told the same things in its own words (no checklist, attendees instead).
INFO_TEMPLATES = frozenset({"booking_confirmed", "booking_cancelled", "reminder", "moment_cancelled", "manage_link"})
# A client reached through their booker: the booker reads these, about their client (`Booking.speaks_to_booker`).
BOOKER_TEMPLATES = frozenset({"booking_confirmed", "booking_moved", "booking_cancelled", "booking_unseated",
                              "reminder", "moment_cancelled", "manage_link"})


def _template_path(booking: Booking | BookingDraft, template: str) -> str:
    if calendar_files.is_info(booking) and template in INFO_TEMPLATES:
        return f"emails/info_{template}.txt"
    if booking.speaks_to_booker and template in BOOKER_TEMPLATES:
        return f"emails/booker_{template}.txt"
    return f"emails/{template}.txt"


def _names(booking: Booking | BookingDraft) -> dict:
    """The reference and the client's name, as a subject to the booker shows them."""
    return {"reference": links.ref(booking), "name": booking.contact_name}


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
        # To the booker about their client (`BOOKER_TEMPLATES`): the letter to print for the client.
        "booker_name": booking.social_worker_name if booking.speaks_to_booker else None,
        "letter_link": links.letter_url(token) if token and booking.speaks_to_booker else None,
        "moment": {"location_name": moment.location_name, "address": moment.address},
        "starts_at": links.local_time(booking.slot.starts_at),
        "ends_at": links.local_time(booking.slot.ends_at),
        "link": links.manage_url(token) if token else None,
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
        **(extra or {}),
    }
    attachments = [calendar_files.ics_attachment(booking, now=now, token=token)] if calendar else None
    return {"recipient": booking.email, "subject": subject, "template": _template_path(booking, template),
            "context": context, "language": booking.message_language, "attachments": attachments,
            "dedupe_key": dedupe_key}


def _worded_for(booking: Booking | BookingDraft, *, info: str, booker: str, candidate: str) -> str:
    """A subject in an info-moment registration's words (a professional's registration, never an appointment),
    to the worker about their client (`speaks_to_booker`), or to the candidate; all translated already."""
    if calendar_files.is_info(booking):
        return info
    return booker if booking.speaks_to_booker else candidate


def _queue_for_booking(booking: Booking, template: str, subject: str, **kwargs) -> None:
    # The booking's id goes with it: the day list shows each booking's last message and how it went.
    queue_message(**_message_for_booking(booking, template, subject, **kwargs), booking_id=booking.id)


def confirmation_message(booking: Booking | BookingDraft, token: str, *, now: datetime) -> dict | None:
    """The confirmation e-mail as queue_message arguments, or None without an address.

    Built apart from queueing so that booking can do this before it takes the seat: on SQLite the
    write lock is held from the first write to the commit. `seats.write_booking` inserts it with the
    booking, as an outbox row (`templated_message_row`). Takes the draft of a booking not yet
    inserted as well as a booking.
    """
    if not booking.email or not wants_email(booking):
        return None
    with force_locale(booking.message_language):
        reference = links.ref(booking)
        subject = _worded_for(
            booking,
            info=_("Uw inschrijving voor het infomoment is bevestigd (%(reference)s)", reference=reference),
            booker=_("Afspraak %(reference)s voor %(name)s is bevestigd", **_names(booking)),
            candidate=_("Uw afspraak %(reference)s is bevestigd", reference=reference))
        return _message_for_booking(booking, "booking_confirmed", subject, now=now, token=token)


def queue_moved(booking: Booking, *, now: datetime) -> None:
    _queue_sms(booking, "moved", _sms_moved)
    if not booking.email or not wants_email(booking):
        return
    with force_locale(booking.message_language):
        if booking.speaks_to_booker:
            subject = _("Afspraak %(reference)s voor %(name)s is verplaatst", **_names(booking))
            # The old letter has the old time: the booker prints a new one for the client.
            extra = {"letter_link": _booker_letter_url(booking)}
        else:
            subject, extra = _("Uw afspraak %(reference)s is verplaatst", reference=links.ref(booking)), None
        _queue_for_booking(booking, "booking_moved", subject, now=now, extra=extra)


def queue_cancelled(booking: Booking, *, now: datetime) -> None:
    _queue_sms(booking, "cancelled", _sms_cancelled)
    if not booking.email or not wants_email(booking):
        return
    with force_locale(booking.message_language):
        _queue_for_booking(booking, "booking_cancelled", _cancelled_subject(booking), now=now)


def _cancelled_subject(booking: Booking) -> str:
    reference = links.ref(booking)
    return _worded_for(
        booking,
        info=_("Uw inschrijving voor het infomoment is geannuleerd (%(reference)s)", reference=reference),
        booker=_("Afspraak %(reference)s voor %(name)s is geannuleerd", **_names(booking)),
        candidate=_("Uw afspraak %(reference)s is geannuleerd", reference=reference))


def _booker_letter_url(booking: Booking) -> str:
    """The letter to print anew, through the booking's own letter link (`letter_links`): the same on every
    reprint, and never the worker's list link, which opens all their clients' bookings and must not be
    forwarded with a mail (the client's own token is not in our hands: only its hash is stored)."""
    return links.letter_url(letter_links.letter_token(booking))


def queue_unseated(booking: Booking, *, now: datetime, on_waitlist: bool) -> None:
    """Tell a candidate that new opening hours left no seat for them: cancelled, and (when so) first on the
    waiting list. With the METHOD:CANCEL calendar file a single cancellation carries; by SMS as a cancellation."""
    _queue_sms(booking, "cancelled", _sms_cancelled)
    if not booking.email or not wants_email(booking):
        return
    with force_locale(booking.message_language):
        subject = _cancelled_subject(booking)
        _queue_for_booking(booking, "booking_unseated", subject, now=now, extra={"on_waitlist": on_waitlist})


def queue_moment_cancelled(booking: Booking, *, now: datetime) -> None:
    """Tell a candidate that the whole moment is off, with the calendar cancellation a single one carries.

    Called by planning when a coordinator cancels the moment, after the booking is cancelled and its
    sequence raised, so the attached file is the METHOD:CANCEL one.
    """
    _queue_sms(booking, "moment-cancelled", _sms_moment_cancelled, dedupe_key=f"moment-cancelled-sms:{booking.id}")
    if not booking.email or not wants_email(booking):
        return
    with force_locale(booking.message_language):
        subject = _worded_for(booking, info=_("Het infomoment voor hulpverleners gaat niet door"),
                              booker=_("Afspraak %(reference)s voor %(name)s gaat niet door", **_names(booking)),
                              candidate=_("Uw afspraak voor de groepsinschrijving gaat niet door"))
        _queue_for_booking(booking, "moment_cancelled", subject, now=now,
                           dedupe_key=f"moment-cancelled:{booking.id}")


def queue_manage_link(booking: Booking, token: str, *, now: datetime, old_link_works: bool = False,
                      already_registered: bool = False) -> None:
    """The manage link sent again: after a resend the old link still works, after a volunteer's reissue not.

    `already_registered`: someone registered for the info moment again with this address; the mail tells
    the address's owner so, with their link, instead of the page telling whoever filled in the form.
    """
    with force_locale(booking.message_language):
        reference = links.ref(booking)
        subject = (_("U bent al ingeschreven voor het infomoment (%(reference)s)", reference=reference)
                   if already_registered else _worded_for(
                       booking, info=_("Uw nieuwe link voor het infomoment (%(reference)s)", reference=reference),
                       booker=_("Nieuwe link voor afspraak %(reference)s voor %(name)s", **_names(booking)),
                       candidate=_("Uw nieuwe link voor afspraak %(reference)s", reference=reference)))
        _queue_for_booking(booking, "manage_link", subject, now=now, token=token, calendar=False,
                           extra={"old_link_works": old_link_works, "already_registered": already_registered})


def queue_reminder(booking: Booking, token: str, *, now: datetime, dedupe_key: str) -> None:
    """Remind the candidate; raises DuplicateMessage if this reminder was queued before."""
    _queue_sms(booking, "reminder", _sms_reminder, token=token, dedupe_key=f"{dedupe_key}:sms")
    if not booking.email or not wants_email(booking):
        return
    with force_locale(booking.message_language):
        reference = links.ref(booking)
        subject = _worded_for(booking,
                              info=_("Herinnering: infomoment voor hulpverleners (%(reference)s)", reference=reference),
                              booker=_("Herinnering: afspraak %(reference)s voor %(name)s", **_names(booking)),
                              candidate=_("Herinnering: uw afspraak %(reference)s", reference=reference))
        _queue_for_booking(booking, "reminder", subject, now=now, token=token, dedupe_key=dedupe_key)


def queue_offer(entry: WaitlistEntry, token: str, *, now: datetime) -> None:
    """Tell the first person on the waiting list that a seat is held for them (a professional: their seats)."""
    slot = entry.offered_slot
    if slot.moment.is_info:
        _queue_info_offer(entry, token)
        return
    if sms.is_mobile(entry.phone):
        link = sms_link("/k/" + create_short_link("offer", token))
        text = sms_text("offer", language=entry.language, reference="", starts_at=slot.starts_at,
                        place=slot.moment.location_name, link=link, deadline=entry.offer_expires_at)
        queue_message(entry.phone, "sms:offer", text, channel="sms", language=entry.language)
    if not entry.email:
        return
    # A client a worker booked, unseated by new opening hours, waits with the worker's contact: the offer
    # speaks to the worker about the client, as every message of that booking did.
    replaced = entry.replaces_booking
    booker = replaced.social_worker_name if replaced is not None and replaced.speaks_to_booker else None
    with force_locale(entry.language):
        subject = (_("Er is een plaats vrij voor uw cliënt %(name)s", name=entry.contact_name) if booker
                   else _("Er is een plaats vrij voor u"))
    template = "emails/booker_waitlist_offer.txt" if booker else "emails/waitlist_offer.txt"
    queue_message(entry.email, subject, template=template, language=entry.language, context={
        "booker_name": booker,
        "entry": {"contact_name": entry.contact_name},
        "moment": {"location_name": slot.moment.location_name, "address": slot.moment.address},
        "starts_at": links.local_time(slot.starts_at),
        "ends_at": links.local_time(slot.ends_at),
        "expires_at": links.local_time(entry.offer_expires_at),
        "link": links.offer_url(token),
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    })


def _queue_info_offer(entry: WaitlistEntry, token: str) -> None:
    """The offer to a professional waiting for an info moment: by work e-mail, to their own claim page."""
    slot = entry.offered_slot
    with force_locale(entry.language):
        subject = _("Er is plaats vrij op het infomoment voor hulpverleners")
    queue_message(entry.email, subject, template="emails/info_waitlist_offer.txt", language=entry.language,
                  context={
                      "entry": {"contact_name": entry.contact_name, "organisation": entry.organisation,
                                "seats": entry.seats},
                      "moment": {"location_name": slot.moment.location_name, "address": slot.moment.address},
                      "starts_at": links.local_time(slot.starts_at),
                      "ends_at": links.local_time(slot.ends_at),
                      "expires_at": links.local_time(entry.offer_expires_at),
                      "link": links.info_offer_url(token),
                      "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
                  })


def queue_next_moment(entry: WaitlistEntry, moment: RegistrationMoment) -> None:
    """Tell someone who asked for it that a new moment is open for booking (by e-mail; without one, staff call)."""
    if not entry.email:
        return
    with force_locale(entry.language):
        subject = _("Er is een nieuwe groepsinschrijving")
    queue_message(entry.email, subject, template="emails/next_moment.txt", language=entry.language, context={
        "entry": {"contact_name": entry.contact_name},
        "moment": {"held_on": moment.held_on, "location_name": moment.location_name, "address": moment.address},
        "link": links.public_url(f"/inschrijven/{moment.id}"),
        "woonclub_phone": current_app.config.get("WOONCLUB_PHONE"),
    }, dedupe_key=f"next-moment:{moment.id}:{entry.id}")


# SMS -----------------------------------------------------------------------------------------------
# Short texts in the booking's language, each within two segments (notifications.sms.sms_cost); the
# manage or offer link is a short link (notifications.shortlinks) that dies with its token.


class Channels(Protocol):
    phone: str | None
    email: str | None
    reach_by: ReachBy


def wants_email(booking: Channels) -> bool:
    """E-mail goes out when there is an address, unless the candidate with a mobile number chose SMS only."""
    if not booking.email:
        return False
    return getattr(booking, "reach_by", ReachBy.BOTH) != ReachBy.SMS or not can_sms(booking)


def wants_sms(booking: Channels) -> bool:
    """SMS goes out to a mobile number, unless stopped, refused, or the candidate with an address chose e-mail only."""
    if not can_sms(booking):
        return False
    return getattr(booking, "reach_by", ReachBy.BOTH) != ReachBy.EMAIL or not booking.email


def can_sms(booking: Channels) -> bool:
    return (sms.is_mobile(getattr(booking, "phone", None)) and getattr(booking, "sms_opted_out_at", None) is None
            and getattr(booking, "sms_refused_at", None) is None)


def stop_sms(booking: Booking, *, now: datetime) -> None:
    """The candidate asked for no more SMS (manage page): nothing further goes to the number."""
    if booking.sms_opted_out_at is None:
        booking.sms_opted_out_at = now


def _sms_when(value: datetime) -> str:
    # "di 17/8 09:30": numbers say more in fewer characters than month names (and "août" would need UCS-2).
    return format_datetime(value, "EEE d/M HH:mm")


def sms_link(path: str) -> str:
    """A link for an SMS: on SMS_LINK_BASE_URL when the installation has a short domain, else PUBLIC_BASE_URL."""
    base = current_app.config.get("SMS_LINK_BASE_URL") or current_app.config["PUBLIC_BASE_URL"]
    return base.rstrip("/") + path


def fit_sms(build: Callable[..., str], **values: str) -> str:
    """The text with every value, within two segments: a long place name is shortened ("Sociaal Huis Ko..."),
    and left out as a last resort; the reference, the time and the link are never cut."""
    text = build(**values)
    place = values.get("place") or ""
    while not sms.fits(text) and len(place) > 12:
        place = place[:-4].rstrip()
        # Where the sentence puts a full stop after the place, "..." and "." would make four dots.
        text = build(**{**values, "place": place + "..."}).replace("....", "...")
    if not sms.fits(text) and place:
        marker = "\x00"
        text = build(**{**values, "place": marker})
        text = re.sub(r"\s*[,\u060c]\s*\x00", "", text).replace(marker, "")
    return text


def _sms_confirmed(**values: str) -> str:
    return _("Afspraak %(reference)s bevestigd: %(when)s, %(place)s. Wijzigen of annuleren: %(link)s", **values)


def _sms_reminder(**values: str) -> str:
    return _("Herinnering: afspraak %(reference)s op %(when)s, %(place)s. Nieuwe link: %(link)s", **values)


def _sms_moved(**values: str) -> str:
    return _("Afspraak %(reference)s verplaatst naar %(when)s, %(place)s.", **values)


def _sms_cancelled(**values: str) -> str:
    return _("Afspraak %(reference)s op %(when)s is geannuleerd.", **values)


def _sms_moment_cancelled(**values: str) -> str:
    return _("Afspraak %(reference)s op %(when)s gaat niet door. Kies later een nieuw moment.", **values)


def _sms_offer(**values: str) -> str:
    return _("Er is een plaats vrij op %(when)s, %(place)s. Bevestig voor %(deadline)s: %(link)s", **values)


SMS_TEXTS = {"confirmed": _sms_confirmed, "reminder": _sms_reminder, "moved": _sms_moved,
             "cancelled": _sms_cancelled, "moment-cancelled": _sms_moment_cancelled, "offer": _sms_offer}


def sms_text(kind: str, *, language: str, reference: str, starts_at: datetime, place: str,
             link: str = "", deadline: datetime | None = None) -> str:
    """One SMS text in `language` (also used by the tests that count every text's segments)."""
    values = {"reference": reference, "when": "", "place": place, "link": link}
    with force_locale(language):
        values["when"] = _sms_when(starts_at)
        if deadline is not None:
            values["deadline"] = _sms_when(deadline)
            values.pop("reference")
        return fit_sms(SMS_TEXTS[kind], **values)


def _queue_sms(booking: Booking, kind: str, build: Callable[..., str], *, token: str | None = None,
               dedupe_key: str | None = None) -> None:
    if not wants_sms(booking):
        return
    link = sms_link("/k/" + create_short_link("manage", token)) if token else ""
    text = sms_text(kind, language=booking.message_language, reference=booking.reference,
                    starts_at=booking.slot.starts_at, place=booking.moment.location_name, link=link)
    queue_message(booking.phone, f"sms:{kind}", text, channel="sms", language=booking.message_language,
                  booking_id=booking.id, dedupe_key=dedupe_key)


def queue_confirmation_sms(details: Channels, target: SeatTarget, *, booking_id: int, reference: str,
                           token: str, language: str) -> None:
    """The confirmation SMS of a booking just inserted (`new_booking.insert_booking`), when it goes by SMS."""
    if not wants_sms(details):
        return
    link = sms_link("/k/" + create_short_link("manage", token))
    text = sms_text("confirmed", language=language, reference=reference, starts_at=target.starts_at,
                    place=target.location_name, link=link)
    queue_message(details.phone, "sms:confirmed", text, channel="sms", language=language, booking_id=booking_id)
