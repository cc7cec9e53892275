from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory

from inschrijving.planning.models import MomentStatus, OpeningBlock, RegistrationMoment, Slot
from tests.factories.base import BaseFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=BRUSSELS)


class MomentFactory(BaseFactory):
    class Meta:
        model = RegistrationMoment

    held_on = factory.LazyFunction(lambda: date.today() + timedelta(days=21))
    status = MomentStatus.PUBLISHED
    location_name = "Sociaal Huis Kortrijk"
    address = "Budastraat 27, 8500 Kortrijk"
    slot_minutes = 30
    desks = 4
    booking_opens_at = factory.LazyAttribute(lambda o: local(o.held_on - timedelta(days=60), time(9)))
    booking_closes_at = factory.LazyAttribute(lambda o: local(o.held_on - timedelta(days=2), time(12)))

    class Params:
        draft = factory.Trait(status=MomentStatus.DRAFT)


class OpeningBlockFactory(BaseFactory):
    class Meta:
        model = OpeningBlock

    moment = factory.SubFactory(MomentFactory)
    start_time = time(9)
    end_time = time(12)


class SlotFactory(BaseFactory):
    class Meta:
        model = Slot

    moment = factory.SubFactory(MomentFactory)
    starts_at = factory.LazyAttributeSequence(
        lambda o, n: local(o.moment.held_on, time(9)) + timedelta(minutes=30 * (n % 16))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.moment.slot_minutes))
    capacity = factory.LazyAttribute(lambda o: o.moment.desks)
    booked = 0
