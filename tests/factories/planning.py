from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
import sqlalchemy as sa
from sqlalchemy.orm import Session

from inschrijving.extensions import db
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


@contextlib.contextmanager
def staffing_every_moment(user) -> Iterator[None]:
    """The volunteer staffs every moment, those there now and those made while this lasts.

    For tests about something else than who reaches which dossier (docs/security.md, "Volunteers"): a
    volunteer reaches only the dossiers of the moments they staff.
    """
    for moment in db.session.scalars(sa.select(RegistrationMoment)):
        if user not in moment.staff:
            moment.staff.append(user)

    owner = db.session()

    def staff_new_moments(session, _context, _instances):
        if session is not owner:  # a request's own session: the moments it makes are not the test's
            return
        for obj in session.new:
            if isinstance(obj, RegistrationMoment) and user not in obj.staff:
                obj.staff.append(user)

    sa.event.listen(Session, "before_flush", staff_new_moments)
    try:
        db.session.flush()
        yield
    finally:
        sa.event.remove(Session, "before_flush", staff_new_moments)
