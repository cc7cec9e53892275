"""The booking's calendar file, parsed back by icalendar and by the independent `ics` package."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from inschrijving.booking.services import calendar_files, lifecycle
from inschrijving.db_types import utcnow
from inschrijving.notifications.models import OutboxMessage
from inschrijving.notifications.services import attachment_data
from tests.factories.booking import BookingFactory
from tests.factories.planning import MomentFactory, SlotFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
SPRING_FORWARD = date(2026, 3, 29)  # last Sunday of March: 02:00 -> 03:00
FALL_BACK = date(2026, 10, 25)  # last Sunday of October: 03:00 -> 02:00


def parse_with_ics(data: bytes):
    import ics

    with warnings.catch_warnings():
        # ics 0.7 parses through arrow/tatsu, which warn about their own internals.
        warnings.simplefilter("ignore")
        return next(iter(ics.Calendar(data.decode("utf-8")).events))


def booking_on(day: date, at: time, minutes: int = 30):
    moment = MomentFactory(held_on=day, booking_opens_at=datetime(2025, 1, 1, tzinfo=BRUSSELS),
                           booking_closes_at=datetime.combine(day, time(0), tzinfo=BRUSSELS))
    # Real elapsed minutes (UTC arithmetic), not wall-clock minutes, so a slot may span the change.
    start = datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)
    slot = SlotFactory(moment=moment, starts_at=start, ends_at=start + timedelta(minutes=minutes))
    return BookingFactory(slot=slot)


@pytest.mark.parametrize(
    ("day", "at", "utc_hour"),
    [(SPRING_FORWARD, time(9), 7), (FALL_BACK, time(9), 8), (date(2026, 7, 1), time(13, 30), 11),
     (date(2026, 1, 5), time(9), 8)],
)
def test_times_are_brussels_wall_clock_in_both_parsers(app, day, at, utc_hour):
    booking = booking_on(day, at)
    data = calendar_files.booking_calendar(booking, now=utcnow())
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Brussels" in data
    assert f"DTSTART;TZID=Europe/Brussels:{day:%Y%m%d}T{at:%H%M}00".encode() in data

    event = Calendar.from_ical(data).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start.astimezone(BRUSSELS).replace(tzinfo=None) == datetime.combine(day, at)
    assert start.astimezone(ZoneInfo("UTC")).hour == utc_hour
    assert event.decoded("DTEND") - start == timedelta(minutes=30)

    other = parse_with_ics(data)
    assert other.begin.to("Europe/Brussels").naive == datetime.combine(day, at)
    assert other.begin.to("UTC").hour == utc_hour
    assert other.end.to("Europe/Brussels").naive == datetime.combine(day, at) + timedelta(minutes=30)


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
def test_a_slot_across_the_clock_change_keeps_its_real_length(app, day):
    booking = booking_on(day, time(1, 30), minutes=120)
    data = calendar_files.booking_calendar(booking, now=utcnow())
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=120)
    assert start.astimezone(UTC) == booking.slot.starts_at.astimezone(UTC)
    other = parse_with_ics(data)
    assert other.end.to("UTC").naive - other.begin.to("UTC").naive == timedelta(minutes=120)
    assert other.begin.to("UTC").naive == booking.slot.starts_at.astimezone(UTC).replace(tzinfo=None)
    # The wall clock shows the jump: 01:30 -> 04:30 in spring, 01:30 -> 02:30 in autumn.
    expected_end = time(4, 30) if day == SPRING_FORWARD else time(2, 30)
    assert end.astimezone(BRUSSELS).time() == expected_end
    assert other.end.to("Europe/Brussels").time() == expected_end


def test_uid_is_stable_and_sequence_rises_on_move_and_cancel(app, db):
    now = utcnow()
    booking = BookingFactory()
    first = Calendar.from_ical(calendar_files.booking_calendar(booking, now=now))
    lifecycle.move_by_candidate(booking, new_slot=SlotFactory(moment=booking.moment), now=now)
    moved = Calendar.from_ical(calendar_files.booking_calendar(booking, now=now))
    lifecycle.cancel_by_candidate(booking, now=now)
    cancelled_data = calendar_files.booking_calendar(booking, now=now)
    cancelled = Calendar.from_ical(cancelled_data)
    uids = {str(c.walk("VEVENT")[0]["UID"]) for c in (first, moved, cancelled)}
    assert uids == {f"booking-{booking.reference}@127.0.0.1"}
    assert [c.walk("VEVENT")[0]["SEQUENCE"] for c in (first, moved, cancelled)] == [0, 1, 2]
    assert [str(c["METHOD"]) for c in (first, moved, cancelled)] == ["PUBLISH", "PUBLISH", "CANCEL"]
    assert str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert parse_with_ics(cancelled_data).status == "CANCELLED"


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK, date(2026, 7, 1)])
def test_the_mailed_calendar_file_is_the_one_the_link_serves(app, db, day):
    # The outbox keeps a description of the file and the sender renders it: the candidate's mail
    # must carry exactly what /afspraak/<token>.ics would have served at that moment.
    booking = booking_on(day, time(1, 30) if day != date(2026, 7, 1) else time(9))
    booking.language = "fr"
    booking.moment.place_notes = {"fr": "Entrée par la cour."}
    now = utcnow()
    attachment = calendar_files.ics_attachment(booking, now=now, token="jeton")
    assert "data_b64" not in attachment and attachment["filename"] == "afspraak.ics"
    rendered = attachment_data(attachment)
    assert rendered == calendar_files.booking_calendar(booking, now=now, token="jeton")
    assert b"Entr\xc3\xa9e par la cour." in rendered and b"/afspraak/jeton" in rendered


def test_the_cancel_notice_describes_a_cancelled_calendar_file(app, db):
    booking = BookingFactory()
    lifecycle.cancel_by_candidate(booking, now=utcnow())
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
    [attachment] = message.attachments
    assert attachment["content_type"] == "text/calendar; method=CANCEL"
    event = Calendar.from_ical(attachment_data(attachment)).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert parse_with_ics(attachment_data(attachment)).status == "CANCELLED"


def test_the_calendar_file_reminds_the_day_before_in_both_parsers(app):
    booking = booking_on(date(2026, 7, 1), time(13, 30))
    booking.language = "fr"
    data = calendar_files.booking_calendar(booking, now=utcnow())
    alarm = Calendar.from_ical(data).walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(days=1)
    assert "Demain" in str(alarm["DESCRIPTION"])
    alarms = list(parse_with_ics(data).alarms)
    assert len(alarms) == 1 and alarms[0].trigger == -timedelta(days=1)


def test_a_cancelled_booking_file_has_no_reminder(app):
    booking = booking_on(date(2026, 7, 1), time(13, 30))
    lifecycle.cancel_by_candidate(booking, now=datetime(2026, 6, 1, tzinfo=UTC))
    data = calendar_files.booking_calendar(booking, now=utcnow())
    assert b"METHOD:CANCEL" in data and b"BEGIN:VALARM" not in data
