"""Demo for the volunteer's day (issue 15): complete dossiers that really are complete (every paper of the
checklist as a small generated scan), and a moment today with help-needed notes and interpreters on its
day list. Deterministic, like the rest of the demo; called once from `seed/demo.py`."""

from __future__ import annotations

import hashlib
import io
from datetime import time, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from PIL import Image, ImageDraw

from inschrijving.booking.models import BookingStatus
from inschrijving.dossiers.enums import ChoiceStatus, DocumentKind, DossierStatus
from inschrijving.dossiers.labels import language_name
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services.checklist import missing_items
from inschrijving.extensions import db
from inschrijving.planning.models import MomentStatus
from inschrijving.rendering import storage
from inschrijving.seed.data import BRUSSELS, local_time

if TYPE_CHECKING:
    from inschrijving.seed.demo import DemoSet

# (booking index on today's moment, what the candidate typed as help needed)
HELP_NOTES = {
    1: "Komt met rolstoel; graag een bureau op de benedenverdieping.",
    4: "Slechtziend: grote letters op het bewijs, graag.",
    7: "Komt met haar begeleider van het OCMW.",
    10: "Brengt een baby mee.",
}
TODAY_BOOKINGS = 16
# Printed on the generated scans (the seed runs outside a request, so plain Dutch, no translations).
SCAN_TITLES = {
    DocumentKind.IDENTITY: "Identiteitskaart",
    DocumentKind.INCOME_PROOF: "Aanslagbiljet personenbelasting",
    DocumentKind.DISABILITY_ATTEST: "Attest erkende handicap",
    DocumentKind.DEBT_SETTLEMENT: "Vonnis schuldenregeling",
    DocumentKind.PROPERTY_EXCEPTION: "Bewijs uitzondering eigendom",
}


def seed(demo: DemoSet) -> None:
    """Give the complete dossiers their scans, then add today's moment."""
    db.session.flush()
    _give_complete_dossiers_their_scans(demo)
    _todays_moment(demo)


def scan(title: str, subtitle: str) -> bytes:
    """A small, obviously fictitious scan (A4 proportions, about 10 kB)."""
    image = Image.new("L", (420, 594), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 407, 581), outline=90, width=3)
    draw.text((30, 40), "DEMO - FICTIEF DOCUMENT", fill=40)
    draw.text((30, 80), title, fill=20)
    draw.text((30, 110), subtitle, fill=60)
    for y in range(170, 540, 22):
        draw.line((30, y, 390 - (y * 7) % 120, y), fill=170, width=2)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=55)
    return out.getvalue()


def _give_complete_dossiers_their_scans(demo: DemoSet) -> None:
    complete = db.session.scalars(
        sa.select(Dossier).where(Dossier.status == DossierStatus.COMPLETE).order_by(Dossier.reference)
    )
    for dossier in complete:
        people = {p.id: p for p in dossier.persons}
        for item in missing_items(dossier):
            if item.document_kind is None:
                continue
            owner = people.get(item.person_id)
            whose = owner.full_name if owner else dossier.reference
            data = scan(SCAN_TITLES.get(item.document_kind, "Document"), whose)
            dossier.documents.append(Document(
                kind=item.document_kind, person_id=item.person_id,
                original_filename=f"{item.document_kind.value}-{dossier.reference}.jpg",
                content_type="image/jpeg", size_bytes=len(data), page_count=1,
                sha256=hashlib.sha256(data).hexdigest(), storage_key=storage.store(data),
                uploaded_at=dossier.completed_at, uploaded_by_id=dossier.completed_by.id,
            ))
        if missing_items(dossier):  # anything else missing: it was not really complete, so it is not
            dossier.status, dossier.completed_at, dossier.completed_by = DossierStatus.DRAFT, None, None


def _todays_moment(demo: DemoSet) -> None:
    """A moment today (it is the demo's "day"): 16 bookings, four with a help-needed note, four with an interpreter,
    five checked in (one dossier in progress, one finished), one no-show."""

    today = demo.now.astimezone(BRUSSELS).date()
    moment = demo._moment(today, MomentStatus.PUBLISHED)
    db.session.flush()
    bookings = []
    for i in range(TODAY_BOOKINGS):
        # The first ones came already; one did not come; the rest is still expected.
        status = BookingStatus.CHECKED_IN if i < 5 else BookingStatus.NO_SHOW if i == 5 else BookingStatus.BOOKED
        booking = demo._booking(moment, i, status=status)
        booking.assistance_note = HELP_NOTES.get(i, booking.assistance_note)
        if i in (2, 6, 9, 13):
            booking.needs_interpreter = True
            booking.language = ("ar", "tr", "ar", "fr")[(2, 6, 9, 13).index(i)]
            booking.interpreter_language = language_name(booking.language)
        if status == BookingStatus.CHECKED_IN:
            booking.checked_in_at = min(booking.slot.starts_at + timedelta(minutes=3), demo.now)
        bookings.append(booking)
    # Two households are being helped: one dossier half done, one finished.
    demo._dossier(moment, 3, booking=bookings[0])  # i % 4 == 3: a draft
    finished = demo._dossier(moment, 0, booking=bookings[1])
    finished.completed_at = finished.created_at = min(local_time(today, time(9, 30)), demo.now)
    for choice in finished.landlord_choices:  # finished this morning: no landlord has looked yet
        choice.status = ChoiceStatus.NEW
        choice.landlord_reference = choice.registered_on = choice.status_note = None
        choice.status_set_at = choice.status_set_by_id = choice.first_downloaded_at = choice.last_downloaded_at = None
        choice.created_at = finished.completed_at
    db.session.flush()
    _give_complete_dossiers_their_scans(demo)
    demo._recount_slots([moment])
