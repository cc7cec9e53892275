"""Calendar files (RFC 5545) with icalendar: times carry TZID Europe/Brussels plus its VTIMEZONE."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

PRODID = "-//Woonclub regio Kortrijk//Groepsinschrijving//NL"
BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    stamp: datetime
    url: str | None = None
    cancelled: bool = False
    # The text of a reminder the calendar shows the day before (None: no reminder, e.g. staff feeds).
    reminder: str | None = None


# "The day before": a relative trigger, so the calendar app reminds at the same hour one day earlier.
REMINDER_BEFORE = timedelta(days=1)


def events_to_ical(events: list[CalendarEvent], *, method: str = "PUBLISH", name: str | None = None) -> bytes:
    """Render events into one VCALENDAR; wall-clock times in Brussels, DST handled by the VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    if events:
        # Clients need no tz database of their own: the file carries Brussels' rules for its years.
        first = min(item.starts_at for item in events).year
        last = max(item.ends_at for item in events).year
        cal.add_component(_brussels_timezone(first - 1, last + 2))
    for item in events:
        cal.add_component(_event(item))
    return cal.to_ical()


@functools.lru_cache(maxsize=16)
def _brussels_timezone(first_year: int, last_year: int) -> Timezone:
    # Built from zoneinfo once per range: generating it is most of the cost of a calendar file.
    # Nothing mutates the component after this, so calendars may share it.
    return Timezone.from_tzinfo(BRUSSELS, tzid="Europe/Brussels", first_date=date(first_year, 1, 1),
                                last_date=date(last_year, 1, 1))


def _event(item: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", item.stamp)
    event.add("dtstart", _calendar_time(item.starts_at))
    event.add("dtend", _calendar_time(item.ends_at))
    event.add("summary", item.summary)
    event.add("location", item.location)
    event.add("description", item.description)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if item.url:
        event.add("url", item.url)
    if item.reminder and not item.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.reminder)
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def _calendar_time(value: datetime) -> datetime:
    """Brussels wall-clock time with TZID, or UTC for the repeated hour of an October night.

    RFC 5545 reads an ambiguous local time as its first occurrence, so 02:30 on the night the
    clocks go back could mean the wrong hour; UTC says it exactly.
    """
    local = value.astimezone(BRUSSELS)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return value.astimezone(UTC)
    return local


_TIMES = {"starts_at", "ends_at", "stamp"}


def calendar_spec(events: list[CalendarEvent], *, method: str = "PUBLISH") -> dict[str, Any]:
    """What a calendar file holds, as JSON-able data: stored instead of the file, rendered when it is needed.

    Serialising the file is most of its cost; a queued e-mail keeps this small description and
    the sender renders it (`spec_to_ical`) into exactly the file `events_to_ical` would have made.
    """
    return {
        "method": method,
        "events": [
            {f.name: _to_json(getattr(item, f.name)) for f in fields(CalendarEvent)} for item in events
        ],
    }


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def spec_to_ical(spec: dict[str, Any]) -> bytes:
    """Render a `calendar_spec` into its calendar file."""
    events = [
        CalendarEvent(**{key: (datetime.fromisoformat(value) if key in _TIMES else value)
                         for key, value in item.items()})
        for item in spec["events"]
    ]
    return events_to_ical(events, method=spec["method"])


def booking_event(booking: Any, *, host: str, summary: str, description: str, stamp: datetime,
                  url: str | None = None, reminder: str | None = None) -> CalendarEvent:
    """One booking (anything with reference, sequence, is_cancelled, slot and moment) as a calendar event.

    The UID stays the same for the booking's whole life, so a calendar updates the one entry on a
    move (higher SEQUENCE) and removes it on METHOD:CANCEL.
    """
    return CalendarEvent(
        # The reference never changes and exists before the row is inserted (the confirmation is
        # rendered first), so it names the booking for its whole life.
        uid=f"booking-{booking.reference}@{host}",
        sequence=booking.sequence,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        summary=summary,
        location=f"{booking.moment.location_name}, {booking.moment.address}",
        description=description,
        stamp=stamp,
        url=url,
        cancelled=booking.is_cancelled,
        reminder=reminder,
    )


def booking_method(booking: Any) -> str:
    return "CANCEL" if booking.is_cancelled else "PUBLISH"


def booking_to_ical(booking: Any, **event: Any) -> bytes:
    """Render one booking as its calendar file (see `booking_event` for the arguments)."""
    return events_to_ical([booking_event(booking, **event)], method=booking_method(booking))


def moments_to_ical(moments: list[CalendarEvent], *, calendar_name: str) -> bytes:
    """Render a subscribed staff feed: one event per moment, named so calendar apps show whose feed it is.

    The caller turns its moments into CalendarEvents (this module knows no domain); a stable UID per
    moment lets a subscribed calendar update an entry instead of duplicating it.
    """
    return events_to_ical(list(moments), method="PUBLISH", name=calendar_name)
