"""The demo's info moment for professionals and a social worker's bookings for clients without contact.

Deterministic (fixed names and numbers, no random draw), so the rest of the demo stays the same. Called
once from `seed/demo.py` after the registration moments exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from inschrijving.booking.models import BookedBy, Booking, BookingStatus, ContactChannel
from inschrijving.booking.services import tokens
from inschrijving.booking.services.clients import client_key
from inschrijving.extensions import db
from inschrijving.planning.models import MomentKind, MomentStatus, OpeningBlock, RegistrationMoment, Slot

if TYPE_CHECKING:
    from inschrijving.seed.demo import DemoSet

BRUSSELS = ZoneInfo("Europe/Brussels")
INFO_SEATS = 30
INFO_TOPICS = {
    "nl": "Hoe werkt de groepsinschrijving voor een sociale woning? Voor hulpverleners die cliënten begeleiden.",
    "fr": "Comment fonctionne l'inscription groupée pour un logement social ? Pour les travailleurs sociaux.",
    "en": "How does group registration for social housing work? For social workers who guide clients.",
}
# (name, organisation, work e-mail, attendees)
REGISTRATIONS = [
    ("Demo Maatschappelijk Werker", "OCMW Kortrijk (demo)", "mw.demo@ocmw.example.org", 3),
    ("Demo Trajectbegeleider", "CAW (demo)", "traject.demo@caw.example.org", 2),
    ("Demo Integratieconsulent", "Integratiedienst (demo)", "integratie.demo@example.org", 1),
    ("Demo Woonbegeleider", "Welzijnsvereniging (demo)", "woon.demo@example.org", 2),
]
# A social worker who booked two clients without phone or e-mail on the same day, with one work phone.
WORKER = ("Demo Maatschappelijk Werker", "OCMW Kortrijk (demo)", "+3256000900", "mw.demo@ocmw.example.org")
CLIENTS = [("Demo Cliënt Een", 1979, 3), ("Demo Cliënt Twee", 1991, 1)]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=BRUSSELS)


def build(demo: DemoSet, *, registration_moment: RegistrationMoment, reference: Callable[[], str]) -> None:
    """Add the info moment with its registrations, and two clients a worker booked at `registration_moment`."""
    today = demo.now.astimezone(BRUSSELS).date()
    held_on = today + timedelta(days=10)
    starts, ends = _local(held_on, time(14)), _local(held_on, time(16))
    moment = RegistrationMoment(
        kind=MomentKind.INFO, held_on=held_on, status=MomentStatus.PUBLISHED, title="Infomoment voor hulpverleners",
        location_name="Woonclub, Sociaal Huis Kortrijk", address="Budastraat 27, 8500 Kortrijk",
        place_notes={}, topics=INFO_TOPICS, slot_minutes=120, desks=1,
        booking_opens_at=demo.now - timedelta(days=14), booking_closes_at=starts,
        created_at=demo.now - timedelta(days=15), created_by_id=demo.users["coordinator"].id,
    )
    moment.blocks.append(OpeningBlock(start_time=time(14), end_time=time(16)))
    slot = Slot(starts_at=starts, ends_at=ends, capacity=INFO_SEATS, booked=0)
    moment.slots.append(slot)
    db.session.add(moment)
    demo.report.moments += 1
    for n, (name, organisation, email, attendees) in enumerate(REGISTRATIONS):
        _add(demo, moment, slot, reference=reference, contact_name=name, organisation=organisation, email=email,
             seats=attendees, booked_by=BookedBy.SOCIAL_WORKER, created_at=demo.now - timedelta(days=10 - n))
    slot.booked = sum(r[3] for r in REGISTRATIONS)

    worker_name, organisation, phone, email = WORKER
    for n, (client, birth_year, household) in enumerate(CLIENTS):
        target = registration_moment.slots[n * 3]
        _add(demo, registration_moment, target, reference=reference, contact_name=client, phone=phone, email=email,
             household_size=household, booked_by=BookedBy.SOCIAL_WORKER, contact_channel=ContactChannel.BOOKER,
             client_birth_year=birth_year,
             client_key=client_key(booker_phone=phone, client_name=client, birth_year=birth_year),
             social_worker_name=worker_name, social_worker_organisation=organisation, social_worker_phone=phone,
             social_worker_email=email, created_at=demo.now - timedelta(days=3))
        target.booked += 1


def _add(demo: DemoSet, moment: RegistrationMoment, slot: Slot, *, reference: Callable[[], str], **columns) -> Booking:
    _token, token_hash = tokens.new_token()
    booking = Booking(reference=reference(), token_hash=token_hash, moment=moment, slot=slot,
                      status=BookingStatus.BOOKED, language="nl", **columns)
    db.session.add(booking)
    demo.report.bookings += 1
    return booking

