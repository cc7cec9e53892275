"""Registering for an info moment: seats counted in attendees, the same atomic seat rule, calendar and mail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inschrijving.booking.models import Booking
from inschrijving.booking.services import links
from inschrijving.booking.services.base import BookingClosed, DuplicateContact, SlotFull, SlotNotFound
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import message_text
from inschrijving.planning.models import MomentStatus
from inschrijving.professionals.services import registration
from inschrijving.rendering.ical import spec_to_ical
from tests.factories.planning import SlotFactory
from tests.professionals.conftest import make_info_session


def details(n: int = 1, attendees: int = 1, **overrides):
    values = dict(name=f"Sara {n}", organisation="CAW", email=f"sara{n}@caw.example.org", phone=None, language="nl",
                  attendees=attendees, remark=None)
    values.update(overrides)
    return registration.professional_details(**values)


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_registration_takes_one_seat_per_attendee_and_sends_its_calendar_file(info_slot):
    issued = registration.register(info_slot.id, details=details(attendees=3), now=utcnow())
    booking = issued.booking
    assert (booking.seats, booking.organisation, booking.email) == (3, "CAW", "sara1@caw.example.org")
    db.session.refresh(info_slot)
    assert info_slot.booked == 3
    [mail] = outbox()
    text = message_text(mail)
    assert "infomoment voor hulpverleners" in text and "Aantal deelnemers: 3" in text
    assert "Wat brengt u mee" not in text  # the candidates' checklist is not theirs
    ics = spec_to_ical(mail.attachments[0]["calendar"]).decode()
    assert f"UID:booking-{booking.reference}@" in ics and "SEQUENCE:0" in ics
    assert "Infomoment voor hulpverleners" in ics


def test_attendees_must_all_fit(info_slot):
    info_slot.capacity = 4
    registration.register(info_slot.id, details=details(1, attendees=3), now=utcnow())
    db.session.commit()
    with pytest.raises(SlotFull):
        registration.register(info_slot.id, details=details(2, attendees=2), now=utcnow())
    db.session.rollback()
    db.session.refresh(info_slot)
    assert info_slot.booked == 3


def test_the_same_work_email_registers_once(info_slot):
    registration.register(info_slot.id, details=details(1), now=utcnow())
    with pytest.raises(DuplicateContact):
        registration.register(info_slot.id, details=details(1, name="Iemand anders"), now=utcnow())


def test_a_registration_moment_slot_is_no_info_session(db):
    slot = SlotFactory()
    with pytest.raises(SlotNotFound):
        registration.register(slot.id, details=details(), now=utcnow())


def test_a_draft_info_moment_takes_no_registration(db):
    slot = make_info_session(status=MomentStatus.DRAFT)
    with pytest.raises(BookingClosed):
        registration.register(slot.id, details=details(), now=utcnow())


def test_changing_attendees_takes_or_gives_back_the_difference(info_slot):
    info_slot.capacity = 5
    booking = registration.register(info_slot.id, details=details(attendees=2), now=utcnow()).booking
    registration.change_attendees(booking, 5, now=utcnow())
    db.session.commit()
    db.session.refresh(info_slot)
    assert (booking.seats, info_slot.booked) == (5, 5)
    with pytest.raises(SlotFull):
        registration.register(info_slot.id, details=details(2), now=utcnow())
    db.session.rollback()
    with pytest.raises(SlotFull):
        registration.change_attendees(db.session.get(Booking, booking.id), 6, now=utcnow())
    db.session.rollback()
    booking = db.session.get(Booking, booking.id)
    registration.change_attendees(booking, 1, now=utcnow())
    db.session.refresh(info_slot)
    assert (booking.seats, info_slot.booked) == (1, 1)


def test_cancelling_gives_every_seat_back_with_a_cancel_calendar_file(info_slot):
    booking = registration.register(info_slot.id, details=details(attendees=4), now=utcnow()).booking
    registration.cancel(booking, now=utcnow())
    db.session.refresh(info_slot)
    assert info_slot.booked == 0 and booking.is_cancelled and booking.sequence == 1
    mail = outbox()[-1]
    assert "geannuleerd" in message_text(mail)
    ics = spec_to_ical(mail.attachments[0]["calendar"]).decode()
    assert "METHOD:CANCEL" in ics and "SEQUENCE:1" in ics


def test_the_reminder_speaks_of_the_info_moment(info_slot, app):
    from datetime import timedelta

    from inschrijving.booking.services import reminders

    booking = registration.register(info_slot.id, details=details(), now=utcnow()).booking
    later = info_slot.starts_at - timedelta(days=1)
    booking.reminder_sent_at = None
    db.session.flush()
    assert booking.id in reminders.list_due_reminder_ids(now=later, days_before=2)
    assert reminders.send_reminder(booking.id, now=later)
    text = message_text(outbox()[-1])
    assert "Wij verwachten u binnenkort op het infomoment" in text
    assert links.manage_url("") in text


def test_cancelling_the_info_moment_tells_every_registration_in_its_own_words(info_slot):
    from inschrijving.planning.services import moments
    from tests.factories.accounts import UserFactory

    booking = registration.register(info_slot.id, details=details(attendees=2), now=utcnow()).booking
    moments.cancel_moment(info_slot.moment, actor=UserFactory(coordinator=True), ip=None, now=utcnow())
    mail = outbox()[-1]
    assert mail.subject == "Het infomoment voor hulpverleners gaat niet door"
    assert "Het infomoment van" in message_text(mail) and booking.is_cancelled
    db.session.refresh(info_slot)
    assert info_slot.booked == 0


def test_totals_for_the_statistics_count_attendees_organisations_and_no_shows(info_slot):
    from inschrijving.booking.services import lifecycle
    from inschrijving.professionals.queries import InfoMomentTotals, info_moment_totals
    from tests.factories.accounts import UserFactory

    a = registration.register(info_slot.id, details=details(1, attendees=3, organisation="CAW"), now=utcnow()).booking
    registration.register(info_slot.id, details=details(2, attendees=2, organisation="caw"), now=utcnow())
    registration.register(info_slot.id, details=details(3, attendees=1, organisation="OCMW"), now=utcnow())
    gone = registration.register(info_slot.id, details=details(4, organisation="Weg"), now=utcnow()).booking
    registration.cancel(gone, now=utcnow())
    lifecycle.mark_no_show(a, actor=UserFactory(), ip=None, now=utcnow())
    assert info_moment_totals([info_slot.moment_id]) == {
        info_slot.moment_id: InfoMomentTotals(registrations=2, attendees=3, organisations=2, no_show_attendees=3)}


def test_a_registration_cannot_be_moved_like_a_candidates_booking(info_slot):
    from inschrijving.booking.services import lifecycle
    from inschrijving.booking.services.base import BookingNotChangeable

    booking = registration.register(info_slot.id, details=details(), now=utcnow()).booking
    with pytest.raises(BookingNotChangeable):
        lifecycle.move_by_candidate(booking, new_slot=SlotFactory(), now=utcnow())


# The form's answer: a registration that exists is answered as a new one ---------------------------------------


def test_submitting_an_address_registered_already_answers_received_and_mails_its_owner(info_slot):
    registration.register(info_slot.id, details=details(attendees=2), now=utcnow())
    outcome = registration.submit(info_slot.id, details=details(attendees=5), now=utcnow())
    assert outcome == registration.Submission(received=True)
    db.session.refresh(info_slot)
    assert info_slot.booked == 2  # the seats taken for the refused row went back
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
    last = outbox()[-1]
    assert last.recipient == "sara1@caw.example.org" and "al ingeschreven" in last.subject


def test_submitting_more_attendees_than_seats_left_says_how_many_are_left(db):
    slot = make_info_session(seats=3)
    registration.register(slot.id, details=details(1, attendees=2), now=utcnow())
    assert registration.submit(slot.id, details=details(2, attendees=2), now=utcnow()) == registration.Submission(
        received=False, seats_left=1)


# The waiting list of an info moment: offers in professional wording, organisation and attendees kept ----------


def _waiting(moment, n: int, attendees: int, organisation: str = "OCMW Menen"):
    from inschrijving.booking.services import waitlist
    from inschrijving.booking.services.base import ContactDetails

    return waitlist.join_waitlist(moment, details=ContactDetails(
        contact_name=f"Koen {n}", email=f"koen{n}@ocmw.example.org", organisation=organisation, seats=attendees),
        now=utcnow())


def test_a_freed_info_seat_goes_to_the_first_group_that_fits_with_a_professional_offer(db):
    from inschrijving.booking.models import WaitlistStatus

    slot = make_info_session(seats=4)
    registration.register(slot.id, details=details(1, attendees=4), now=utcnow())
    too_big, fits = _waiting(slot.moment, 2, attendees=3), _waiting(slot.moment, 3, attendees=2)
    booking = db.session.scalars(sa.select(Booking)).one()
    registration.change_attendees(booking, 2, now=utcnow())
    db.session.refresh(slot)
    assert slot.booked == 4  # two given back, both held at once for the group of two
    assert (too_big.status, fits.status) == (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
    mail = outbox()[-1]
    text = message_text(mail)
    assert mail.recipient == "koen3@ocmw.example.org" and "infomoment voor hulpverleners" in mail.subject
    assert "Wij houden 2 plaatsen vrij voor OCMW Menen" in text and "/hulpverleners/aanbod/" in text
    assert "tolk" not in text.lower()


def test_an_offer_to_an_entry_without_organisation_reads_well(db):
    # Entries from before the info waiting list asked for the organisation (migration 0018) have none.
    slot = make_info_session(seats=1)
    booking = registration.register(slot.id, details=details(1, attendees=1), now=utcnow()).booking
    entry = _waiting(slot.moment, 2, attendees=1)
    entry.organisation = None
    db.session.flush()
    registration.cancel(booking, now=utcnow())
    text = message_text(outbox()[-1])
    assert "Wij houden 1 plaats voor u vrij." in text and "None" not in text


def test_claiming_an_info_offer_registers_the_organisation_and_attendees_in_the_held_seats(db):
    import re

    from inschrijving.booking.models import BookedBy

    slot = make_info_session(seats=3)
    first = registration.register(slot.id, details=details(1, attendees=3), now=utcnow()).booking
    _waiting(slot.moment, 2, attendees=3)
    registration.cancel(first, now=utcnow())
    token = re.search(r"/hulpverleners/aanbod/([\w-]+)", message_text(outbox()[-1])).group(1)
    issued = registration.claim_offer(token, now=utcnow(), remark="Met de trein")
    booking = issued.booking
    assert (booking.seats, booking.organisation, booking.assistance_note) == (3, "OCMW Menen", "Met de trein")
    assert booking.booked_by == BookedBy.SOCIAL_WORKER and booking.moment.is_info
    db.session.refresh(slot)
    assert slot.booked == 3  # taken once, by the offer; the claim only filled them
    confirmation = outbox()[-1]
    assert confirmation.template == "emails/info_booking_confirmed.txt"
    assert confirmation.recipient == "koen2@ocmw.example.org"


def test_an_expired_info_offer_gives_every_held_seat_back(db):
    from datetime import timedelta

    from inschrijving.booking.models import WaitlistStatus
    from inschrijving.booking.services import waitlist

    slot = make_info_session(seats=3)
    first = registration.register(slot.id, details=details(1, attendees=3), now=utcnow()).booking
    entry = _waiting(slot.moment, 2, attendees=3)
    registration.cancel(first, now=utcnow())
    assert waitlist.expire_offers(now=utcnow() + timedelta(days=3)) == 1
    db.session.refresh(slot)
    db.session.refresh(entry)
    assert entry.status == WaitlistStatus.EXPIRED and slot.booked == 0
