"""Right-to-left text (issue 17): references in e-mail subjects in Unicode isolates, no Latin comma glued into
an Arabic date line, the Dutch fallback of a place note marked as Dutch."""

from __future__ import annotations

import sqlalchemy as sa

from inschrijving.booking.services import notices
from inschrijving.db_types import utcnow
from inschrijving.notifications.models import OutboxMessage
from tests.factories.booking import BookingFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory


def test_an_arabic_subject_isolates_the_reference(app, db):
    booking = BookingFactory(language="ar", email="a@example.org")
    notices.queue_cancelled(booking, now=utcnow())
    subject = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")).one().subject
    assert f"\u2066{booking.reference}\u2069" in subject


def test_a_dutch_subject_has_no_isolates(app, db):
    booking = BookingFactory(language="nl", email="a@example.org")
    notices.queue_cancelled(booking, now=utcnow())
    email = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
    assert "\u2066" not in email.subject


def test_the_arabic_booking_form_writes_day_and_time_the_arabic_way(client, db):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slot = SlotFactory(moment=moment)
    db.session.commit()
    page = client.get(f"/inschrijven/{moment.id}/{slot.id}?lang=ar").get_data(as_text=True)
    assert "، الساعة <bdi dir=\"ltr\">" in page
    assert f'<span lang="nl" dir="ltr">{moment.location_name}, {moment.address}</span>' in page


def test_a_place_note_in_dutch_only_is_marked_dutch(client, db):
    booking = BookingFactory(language="ar")
    booking.moment.place_notes = {"nl": "Ingang via de zijdeur."}
    db.session.commit()
    page = client.get(f"/afspraak/token-{booking.reference}").get_data(as_text=True)
    assert '<dd lang="nl" dir="ltr">Ingang via de zijdeur.</dd>' in page
    booking.moment.place_notes = {"nl": "Ingang via de zijdeur.", "ar": "الدخول من الباب الجانبي."}
    db.session.commit()
    page = client.get(f"/afspraak/token-{booking.reference}").get_data(as_text=True)
    assert "<dd>الدخول من الباب الجانبي.</dd>" in page
