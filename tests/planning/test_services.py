"""Planning rules without HTTP: slots, the booking window, the life of a moment, series, capacity, staff.

What happens to a booking (check-in, walk-ins, moves) is tested with the booking domain's life cycle,
tests/booking/test_lifecycle.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from inschrijving.booking.models import BookingStatus, WaitlistEntry, WaitlistStatus
from inschrijving.booking.services import lifecycle
from inschrijving.db_types import utcnow
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot
from inschrijving.planning.services import base, capacity, moments, staff
from inschrijving.planning.services import slots as slot_services
from tests.factories.accounts import UserFactory
from tests.planning.conftest import HELD_ON, NOW

BRUSSELS = ZoneInfo("Europe/Brussels")


def wall(slot) -> tuple[str, str]:
    return slot.starts_at.astimezone(BRUSSELS).strftime("%H:%M"), slot.ends_at.astimezone(BRUSSELS).strftime("%H:%M")


# --- slot generation ----------------------------------------------------------------------------------------------


def test_two_blocks_give_slots_in_utc_with_brussels_wall_clock():
    slots = slot_services.generate_slots(date(2026, 6, 9), [(time(13), time(14)), (time(9), time(10))], 30, 3)
    assert [wall(s) for s in slots] == [("09:00", "09:30"), ("09:30", "10:00"), ("13:00", "13:30"), ("13:30", "14:00")]
    assert all(s.starts_at.tzinfo == UTC and s.capacity == 3 for s in slots)
    assert slots[0].starts_at == datetime(2026, 6, 9, 7, 0, tzinfo=UTC)  # summer: UTC+2


def test_winter_day_is_utc_plus_one():
    slots = slot_services.generate_slots(date(2026, 12, 8), [(time(9), time(10))], 60, 1)
    assert slots[0].starts_at == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


def test_leftover_shorter_than_a_slot_is_not_offered():
    slots = slot_services.generate_slots(date(2026, 6, 9), [(time(9), time(10, 50))], 25, 2)
    assert [wall(s) for s in slots] == [("09:00", "09:25"), ("09:25", "09:50"), ("09:50", "10:15"), ("10:15", "10:40")]


def test_march_dst_day_block_holds_two_real_hours():
    # 29 March 2026: clocks jump from 02:00 to 03:00, so 01:00-04:00 is two hours long.
    slots = slot_services.generate_slots(date(2026, 3, 29), [(time(1), time(4))], 60, 2)
    assert len(slots) == 2
    assert [wall(s) for s in slots] == [("01:00", "03:00"), ("03:00", "04:00")]
    assert all(s.ends_at - s.starts_at == timedelta(hours=1) for s in slots)
    assert slots[0].starts_at == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert slots[-1].ends_at == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_october_dst_day_block_holds_four_real_hours():
    # 25 October 2026: 03:00 becomes 02:00 again, so 01:00-04:00 is four hours and 02:00 happens twice.
    slots = slot_services.generate_slots(date(2026, 10, 25), [(time(1), time(4))], 60, 2)
    assert len(slots) == 4
    assert [wall(s)[0] for s in slots] == ["01:00", "02:00", "02:00", "03:00"]
    assert [s.starts_at.astimezone(BRUSSELS).utcoffset() for s in slots] == [
        timedelta(hours=2), timedelta(hours=2), timedelta(hours=1), timedelta(hours=1)
    ]
    assert slots[0].starts_at == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert len({s.starts_at for s in slots}) == 4


def test_overlapping_reversed_or_missing_blocks_are_refused():
    day = date(2026, 6, 9)
    with pytest.raises(base.InvalidBlocks):
        slot_services.generate_slots(day, [(time(9), time(12)), (time(11), time(13))], 30, 2)
    with pytest.raises(base.InvalidBlocks):
        slot_services.generate_slots(day, [(time(12), time(9))], 30, 2)
    with pytest.raises(base.InvalidBlocks):
        slot_services.generate_slots(day, [], 30, 2)
    with pytest.raises(base.NoSlots):
        slot_services.generate_slots(day, [(time(9), time(9, 20))], 30, 2)


# --- booking window -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "closes_on"),
    [
        (date(2026, 12, 8), date(2026, 12, 4)),  # Tuesday -> Friday before
        (date(2026, 12, 10), date(2026, 12, 8)),  # Thursday -> Tuesday
        (date(2026, 12, 7), date(2026, 12, 3)),  # Monday -> Thursday
        (date(2026, 11, 13), date(2026, 11, 10)),  # Friday; 11 November is a holiday -> Tuesday
        (date(2027, 3, 30), date(2027, 3, 25)),  # Tuesday after Easter Monday 29 March 2027 -> Thursday
    ],
)
def test_booking_closes_two_working_days_before_at_noon(held_on, closes_on):
    closes = slot_services.default_booking_closes_at(held_on).astimezone(BRUSSELS)
    assert (closes.date(), closes.time()) == (closes_on, time(12))


def test_plan_defaults_and_refuses_a_window_that_closes_after_the_start():
    plan = moments.plan_moment(
        kind=MomentKind.INFO, held_on=HELD_ON, location_name=" Zaal ", address="Straat 1", blocks=[(time(9), time(10))],
        slot_minutes=30, desks=2, now=NOW, place_notes={"nl": "Ingang links", "fr": " "},
    )
    assert plan.booking_opens_at == NOW
    assert plan.booking_closes_at.astimezone(BRUSSELS) == datetime(2026, 12, 4, 12, tzinfo=BRUSSELS)
    assert plan.location_name == "Zaal" and plan.place_notes == {"nl": "Ingang links"}
    assert plan.seats == 4
    with pytest.raises(base.InvalidBookingWindow):
        moments.plan_moment(
            kind=MomentKind.REGISTRATION, held_on=HELD_ON, location_name="Zaal", address="Straat 1",
            blocks=[(time(9), time(10))], slot_minutes=30, desks=2, now=NOW,
            booking_closes_at=datetime(2026, 12, 8, 9, 30, tzinfo=BRUSSELS),
        )


def test_preview_saves_nothing(db):
    moments.plan_moment(
        kind=MomentKind.REGISTRATION, held_on=HELD_ON, location_name="Zaal", address="Straat 1",
        blocks=[(time(9), time(10))], slot_minutes=30, desks=2, now=NOW,
    )
    assert db.session.scalar(sa.select(sa.func.count(RegistrationMoment.id))) == 0


# --- life of a moment ---------------------------------------------------------------------------------------------


def test_create_stores_draft_with_blocks_and_slots(db, coordinator, by):
    plan = moments.plan_moment(
        kind=MomentKind.REGISTRATION, held_on=HELD_ON, location_name="Zaal", address="Straat 1",
        blocks=[(time(13), time(14)), (time(9), time(10))], slot_minutes=30, desks=3, now=NOW,
    )
    moment = moments.create_moment(plan, **by)
    db.session.expire_all()
    moment = db.session.get(RegistrationMoment, moment.id)
    assert moment.status == MomentStatus.DRAFT and moment.created_by_id == coordinator.id
    assert [(b.start_time, b.end_time) for b in moment.blocks] == [(time(9), time(10)), (time(13), time(14))]
    assert [wall(s)[0] for s in moment.slots] == ["09:00", "09:30", "13:00", "13:30"]
    assert all(s.capacity == 3 and s.booked == 0 for s in moment.slots)


def test_publish_close_and_wrong_order(moment, by):
    moments.close_moment(moment, **by)
    assert moment.status == MomentStatus.CLOSED
    with pytest.raises(base.WrongStatus):
        moments.close_moment(moment, **by)
    moments.publish_moment(moment, now=utcnow(), **by)
    assert moment.status == MomentStatus.PUBLISHED
    with pytest.raises(base.WrongStatus):
        moments.publish_moment(moment, now=utcnow(), **by)


def test_publishing_tells_the_people_waiting_for_a_next_moment_once(db, moment, by):
    moments.close_moment(moment, **by)
    waiting = WaitlistEntry(moment_id=None, contact_name="Amal Voorbeeld", email="amal@example.org", language="ar")
    db.session.add(waiting)
    db.session.flush()
    now = moment.booking_opens_at

    assert moments.publish_moment(moment, now=now, **by) == 1
    assert waiting.status == WaitlistStatus.NOTIFIED
    assert db.session.scalars(sa.select(OutboxMessage.recipient)).all() == ["amal@example.org"]

    moments.close_moment(moment, **by)
    assert moments.publish_moment(moment, now=now, **by) == 0


def test_cancel_cancels_every_live_booking_and_queues_one_message_per_email(app, db, moment, book, by):
    from icalendar import Calendar

    from inschrijving.notifications.services import attachment_data, message_text
    from tests.test_i18n import compile_catalogues, forget_loaded_translations

    compile_catalogues()
    forget_loaded_translations(app)
    app.config["WOONCLUB_PHONE"] = "056 99 88 77"
    first, second = moment.slots[0], moment.slots[1]
    with_email = book(first, email="amina@example.org", language="fr")
    phone_only = book(first)
    checked_in = book(second, email="jan@example.org", status=BookingStatus.CHECKED_IN)
    earlier = book(second, email="old@example.org")
    earlier.status = BookingStatus.CANCELLED
    db.session.add(WaitlistEntry(moment_id=moment.id, contact_name="W", phone="+32470000999"))
    db.session.flush()

    cancelled = moments.cancel_moment(moment, now=NOW, **by)

    assert {b.id for b in cancelled} == {with_email.id, phone_only.id, checked_in.id}
    assert all(b.status == BookingStatus.CANCELLED and b.cancelled_at == NOW and b.sequence == 1 for b in cancelled)
    assert moment.status == MomentStatus.CANCELLED and moment.cancelled_at == NOW
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")
                                  .order_by(OutboxMessage.recipient)).all()
    assert [m.recipient for m in messages] == ["amina@example.org", "jan@example.org"]
    # Every cancelled booking with a mobile number also gets the short SMS (issue 18), the phone-only one too.
    texts = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "sms")).all()
    assert phone_only.phone in {m.recipient for m in texts}
    french, dutch = message_text(messages[0]), message_text(messages[1])
    assert with_email.reference in french
    # The candidate's language, not just the date in it.
    assert "mardi 8 décembre 2026" in french and "n'aura pas lieu" in french and "Appelez la Woonclub" in french
    assert "dinsdag 8 december 2026" in dutch and "gaat niet door" in dutch
    assert "056 99 88 77" in french and "056 99 88 77" in dutch
    assert messages[0].subject == "Votre rendez-vous pour l'inscription groupée n'aura pas lieu"
    for message, booking in ((messages[0], with_email), (messages[1], checked_in)):
        [attachment] = message.attachments
        assert attachment["content_type"] == "text/calendar; method=CANCEL"
        calendar = Calendar.from_ical(attachment_data(attachment))
        [event] = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        assert str(event["UID"]) == f"booking-{booking.reference}@127.0.0.1"
        assert event["SEQUENCE"] == 1
    assert all(s.booked == 0 for s in moment.slots)
    assert db.session.scalar(sa.select(WaitlistEntry.status)) == WaitlistStatus.CANCELLED
    with pytest.raises(base.WrongStatus):
        moments.cancel_moment(moment, now=NOW, **by)


# --- series -------------------------------------------------------------------------------------------------------


def test_same_weekday_of_month():
    # 8 December 2026 is the second Tuesday.
    assert moments.series_dates(date(2026, 12, 8), 3) == [date(2027, 2, 9), date(2027, 4, 13), date(2027, 6, 8)]
    # A fifth Tuesday the month lacks becomes the last Tuesday.
    assert moments.same_weekday_of_month(date(2026, 9, 29), 2026, 11) == date(2026, 11, 24)


def test_plan_series_creates_drafts_from_the_pattern_once(db, moment, coordinator, by):
    moment.place_notes = {"nl": "Tweede verdieping"}
    created = moments.plan_series(moment, count=3, **by, now=NOW)
    assert [m.held_on for m in created] == [date(2027, 2, 9), date(2027, 4, 13), date(2027, 6, 8)]
    for new in created:
        assert new.status == MomentStatus.DRAFT and new.series_key == moment.series_key is not None
        assert [wall(s) for s in new.slots] == [wall(s) for s in moment.slots]
        assert new.place_notes == {"nl": "Tweede verdieping"} and new.desks == moment.desks
        assert new.booking_closes_at == slot_services.default_booking_closes_at(new.held_on)
    # 8 June 2027 is in summer time: the slots keep their wall-clock hour.
    assert created[-1].slots[0].starts_at == datetime(2027, 6, 8, 7, 0, tzinfo=UTC)
    again = moments.plan_series(moment, count=4, **by, now=NOW)
    assert [m.held_on for m in again] == [date(2027, 8, 10)]


# --- capacity -----------------------------------------------------------------------------------------------------


def test_lowering_capacity_below_bookings_refuses_and_lists_who_must_move(db, moment, book, by):
    slot, other = moment.slots[0], moment.slots[1]
    present = book(slot, name="Eerst maar aanwezig", status=BookingStatus.CHECKED_IN)
    early = book(slot, name="Vroeg geboekt")
    early.created_at = NOW - timedelta(days=3)
    present.created_at = NOW - timedelta(days=1)
    book(other)
    book(other)
    db.session.flush()

    with pytest.raises(base.CapacityBelowBookings) as refused:
        capacity.change_capacity(moment, {slot.id: 1, other.id: 2}, now=NOW, **by)

    (shortfall,) = refused.value.shortfalls
    assert shortfall.slot.id == slot.id and shortfall.new_capacity == 1
    # The person already present keeps the seat, even though the other booked earlier.
    assert [b.contact_name for b in shortfall.must_move] == ["Vroeg geboekt"]
    assert [s.id for s in refused.value.free_slots] == [s.id for s in moment.slots[2:]]
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).capacity == 2  # nothing changed


def test_move_then_lower_capacity(db, moment, book, by):
    slot, target = moment.slots[0], moment.slots[3]
    book(slot)
    mover = book(slot, email="mover@example.org")
    mover.reminder_sent_at = NOW
    lifecycle.move_by_staff(mover, target=target, now=NOW, **by)
    assert mover.slot_id == target.id and mover.sequence == 1 and mover.reminder_sent_at is None
    assert (slot.booked, target.booked) == (1, 1)
    notice = db.session.scalars(sa.select(OutboxMessage)).one()
    assert notice.recipient == "mover@example.org"
    assert [a["filename"].endswith(".ics") for a in notice.attachments] == [True]

    capacity.change_capacity(moment, {slot.id: 1}, now=NOW, **by)
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).capacity == 1


def test_raising_capacity_is_plain(moment, by):
    capacity.change_capacity(moment, {s.id: 5 for s in moment.slots}, now=NOW, **by)
    assert all(s.capacity == 5 for s in moment.slots)


def test_raised_capacity_goes_to_the_waiting_list_first(db, moment, by):
    slot = moment.slots[0]
    waiting = WaitlistEntry(moment_id=moment.id, contact_name="Amal Voorbeeld", email="amal@example.org")
    db.session.add(waiting)
    db.session.flush()
    capacity.change_capacity(moment, {slot.id: slot.capacity + 2}, now=NOW, **by)
    assert waiting.status == WaitlistStatus.OFFERED and waiting.offered_slot_id == slot.id
    assert db.session.get(Slot, slot.id).booked == 1  # held for the offer, the second new seat stays free


# --- staff and feed -----------------------------------------------------------------------------------------------


def test_staff_and_feed_moments(db, moment, coordinator, volunteer, by):
    other = UserFactory()
    draft = moments.create_moment(
        moments.plan_moment(
            kind=MomentKind.REGISTRATION, held_on=date(2027, 1, 12), location_name="X", address="Y",
            blocks=[(time(9), time(10))], slot_minutes=30, desks=2, now=NOW,
        ),
        **by,
    )
    staff.set_staff(moment, [volunteer.id], **by)
    staff.set_staff(draft, [volunteer.id], **by)
    assert staff.list_feed_moments(volunteer) == [moment]  # drafts stay out
    assert staff.list_feed_moments(other) == []
    assert staff.list_feed_moments(coordinator) == [moment]
    moments.close_moment(moment, **by)  # closed for booking, but the day still happens
    assert staff.list_feed_moments(volunteer) == [moment] == staff.list_feed_moments(coordinator)
    moments.cancel_moment(moment, now=NOW, **by)
    assert staff.list_feed_moments(volunteer) == [] == staff.list_feed_moments(coordinator)
    landlord_user = UserFactory(landlord_staff=True)
    with pytest.raises(base.PlanningError):
        staff.set_staff(moment, [landlord_user.id], **by)
    assert staff.get_feed_user(volunteer.calendar_token) == volunteer
    assert staff.get_feed_user(landlord_user.calendar_token) is None
    assert staff.get_feed_user("nope") is None


# --- properties of slot generation --------------------------------------------------------------------------------


@settings(deadline=None, max_examples=150)
@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    start_minute=st.integers(0, 22 * 60),
    length=st.integers(1, 6 * 60),
    slot_minutes=st.integers(5, 120),
)
def test_slots_tile_each_block_in_real_minutes(day, start_minute, length, slot_minutes):
    start = time(start_minute // 60, start_minute % 60)
    end_minute = min(start_minute + length, 23 * 60 + 59)
    end = time(end_minute // 60, end_minute % 60)
    begin_utc, end_utc = slot_services.local_instant(day, start), slot_services.local_instant(day, end)
    real_minutes = int((end_utc - begin_utc).total_seconds() // 60)
    if real_minutes < slot_minutes:
        return
    slots = slot_services.generate_slots(day, [(start, end)], slot_minutes, 3)
    assert len(slots) == real_minutes // slot_minutes
    assert slots[0].starts_at == begin_utc and slots[-1].ends_at <= end_utc
    for before, after in zip(slots, slots[1:], strict=False):
        assert before.ends_at == after.starts_at
    assert all(s.ends_at - s.starts_at == timedelta(minutes=slot_minutes) for s in slots)


def test_a_seat_held_for_a_waiting_list_offer_is_named_in_the_refusal(db, moment, book, by):
    slot = moment.slots[0]
    full = slot.capacity
    for _i in range(full):
        book(slot)
    waiting = WaitlistEntry(moment_id=moment.id, contact_name="Amal Voorbeeld", email="amal@example.org")
    db.session.add(waiting)
    db.session.flush()
    capacity.change_capacity(moment, {slot.id: full + 1}, now=NOW, **by)  # the new seat is held for Amal's offer
    with pytest.raises(base.CapacityBelowBookings) as refused:
        capacity.change_capacity(moment, {slot.id: full}, now=NOW, **by)
    [shortfall] = refused.value.shortfalls
    assert shortfall.must_move == [] and shortfall.held_offers == 1
