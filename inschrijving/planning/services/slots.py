"""Slots from opening blocks, and the default booking window (working days, Belgian holidays)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from inschrijving.planning.services.base import (
    BOOKING_CLOSES_AT,
    BOOKING_CLOSES_WORKING_DAYS,
    BRUSSELS,
    InvalidBlocks,
    NoSlots,
    PlannedSlot,
)


def local_instant(day: date, at: time) -> datetime:
    """Return the UTC instant of a Brussels wall-clock time (the first one when the clock repeats)."""
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)


def generate_slots(
    held_on: date, blocks: Sequence[tuple[time, time]], slot_minutes: int, desks: int
) -> list[PlannedSlot]:
    """Cut each opening block into whole slots of real minutes; a leftover shorter than a slot is not offered.

    Stepping in UTC rather than on the wall clock gives the true length on the two DST days:
    01:00-04:00 holds two real hours in late March and four in late October.
    """
    if slot_minutes <= 0 or desks <= 0:
        raise NoSlots()
    check_blocks(held_on, blocks)
    step = timedelta(minutes=slot_minutes)
    slots: list[PlannedSlot] = []
    for start, end in sorted(blocks):
        cursor, block_end = local_instant(held_on, start), local_instant(held_on, end)
        while cursor + step <= block_end:
            slots.append(PlannedSlot(starts_at=cursor, ends_at=cursor + step, capacity=desks))
            cursor += step
    if not slots:
        raise NoSlots()
    return slots


def block_remainders(
    held_on: date, blocks: Sequence[tuple[time, time]], slot_minutes: int
) -> list[tuple[time, time, int]]:
    """Blocks that do not divide into whole slots: (start, end, minutes left over at the end) per such block.

    `generate_slots` offers no slot for such a leftover; the preview says so instead of losing it silently.
    """
    if slot_minutes <= 0:
        return []
    found = []
    for start, end in sorted(blocks):
        minutes = (local_instant(held_on, end) - local_instant(held_on, start)) // timedelta(minutes=1)
        if minutes > 0 and minutes % slot_minutes:
            found.append((start, end, minutes % slot_minutes))
    return found


def check_blocks(held_on: date, blocks: Sequence[tuple[time, time]]) -> None:
    """Refuse no blocks, a block that ends before it starts, and blocks that overlap."""
    if not blocks:
        raise InvalidBlocks(_l("Geef minstens één blok met openingsuren."))
    spans = sorted((local_instant(held_on, s), local_instant(held_on, e)) for s, e in blocks)
    for start, end in spans:
        if end <= start:
            raise InvalidBlocks(_l("Een blok moet eindigen na het begin."))
    for (_s1, end1), (start2, _e2) in zip(spans, spans[1:], strict=False):
        if start2 < end1:
            raise InvalidBlocks(_l("Twee blokken overlappen."))


def easter_sunday(year: int) -> date:
    """Return Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 19 * m) // 433
    month = (h + m - 7 * n + 90) // 25
    return date(year, month, (h + m - 7 * n + 33 * month + 19) % 32)


def belgian_public_holidays(year: int) -> set[date]:
    """Return the ten legal public holidays of Belgium for a year."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1),
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
        date(year, 7, 21),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in belgian_public_holidays(day.year)


def default_booking_closes_at(held_on: date) -> datetime:
    """Close booking at noon (Brussels) two working days before the moment, so the desks can prepare."""
    day, counted = held_on, 0
    while counted < BOOKING_CLOSES_WORKING_DAYS:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return local_instant(day, BOOKING_CLOSES_AT)
