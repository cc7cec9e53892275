"""The candidate corrects their own details on the manage page: contact, household size, language, interpreter.

The same checks as booking (the form shares its fields with the booking form); the one extra rule is the
booking's: a phone number or e-mail address another live booking of the moment holds is refused, as when
booking. A client reached through their booker is known by booker, name and birth year (`client_key`): a
corrected name gives a new key, refused when another live booking of the moment holds it. The change is audited
(which fields, never their values) and staff read it from the booking row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.booking import queries
from inschrijving.booking.models import Booking, ContactChannel
from inschrijving.booking.services.base import BookingNotChangeable, DuplicateClient, DuplicateContact
from inschrijving.booking.services.clients import client_key


@dataclass(frozen=True)
class CorrectedDetails:
    """What the manage page lets a candidate correct; the fields are the booking's columns."""

    contact_name: str
    phone: str | None
    email: str | None
    language: str
    household_size: int
    needs_interpreter: bool
    interpreter_language: str | None


FIELDS = ("contact_name", "phone", "email", "language", "household_size", "needs_interpreter",
          "interpreter_language")


def correct_details(booking: Booking, details: CorrectedDetails, *, actor: Actor, now: datetime) -> list[str]:
    """Write the corrected details on a booking the candidate may still change; return the changed fields."""
    if not booking.candidate_can_change(now):
        raise BookingNotChangeable(booking.id)
    if (details.phone, details.email) != (booking.phone, booking.email):
        existing = queries.get_live_booking_for_contact(booking.moment_id, phone=details.phone, email=details.email,
                                                        exclude_id=booking.id)
        if existing is not None:
            raise DuplicateContact(existing)
    new_key = _corrected_client_key(booking, details)
    changed = [name for name in FIELDS if getattr(booking, name) != getattr(details, name)]
    if not changed:
        return []
    for name in changed:
        setattr(booking, name, getattr(details, name))
    if {"phone", "email"} & set(changed):
        if booking.contact_channel == ContactChannel.BOOKER:
            # The client now gives a contact of their own: from here on they are reached, and known as one
            # client per moment (the unique indexes on own contacts), by it, not through the worker.
            booking.contact_channel, booking.client_key = ContactChannel.OWN, None
            changed.append("contact_channel")
        if "phone" in changed:
            # A new number has neither refused an SMS nor asked to stop them.
            booking.sms_refused_at = booking.sms_opted_out_at = None
    if new_key != booking.client_key and booking.contact_channel == ContactChannel.BOOKER:
        booking.client_key = new_key
        changed.append("client_key")
    booking.updated_at = now
    audit(actor, "booking.details_corrected", object_type="booking", object_id=booking.id,
          detail={"fields": changed})
    return changed


def _corrected_client_key(booking: Booking, details: CorrectedDetails) -> str | None:
    """The key of a client still reached through their booker after the correction: booker's phone, the (maybe
    corrected) name and birth year. A name another live booking of the moment holds as that booker's client is
    refused, as when booking (the index `uq_bookings_live_client` would refuse it too)."""
    stays_with_booker = (details.phone, details.email) == (booking.phone, booking.email)
    if booking.contact_channel != ContactChannel.BOOKER or not stays_with_booker:
        return booking.client_key
    key = client_key(booker_phone=booking.social_worker_phone, client_name=details.contact_name,
                     birth_year=booking.client_birth_year)
    if key != booking.client_key:
        existing = queries.get_live_booking_for_person(booking.moment_id, phone=None, email=None, client_key=key,
                                                       exclude_id=booking.id)
        if existing is not None:
            raise DuplicateClient(existing)
    return key
