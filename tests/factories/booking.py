from __future__ import annotations

import factory

from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry, WaitlistStatus
from inschrijving.tokens import hash_token
from tests.factories.base import BaseFactory
from tests.factories.planning import SlotFactory


class BookingFactory(BaseFactory):
    """A booking whose seat is counted; its manage token is `token-<reference>`."""

    class Meta:
        model = Booking
        exclude = ("token",)

    slot = factory.SubFactory(SlotFactory)
    moment = factory.SelfAttribute("slot.moment")
    reference = factory.Sequence(lambda n: f"T{n // 1000 % 10}{n // 100 % 10}-{n // 10 % 10}{n % 10}X")
    token = factory.LazyAttribute(lambda o: f"token-{o.reference}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    contact_name = factory.Sequence(lambda n: f"Kandidaat {n}")
    phone = factory.Sequence(lambda n: f"+32470{n:06d}")
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.org")
    language = "nl"
    household_size = 2
    status = BookingStatus.BOOKED

    class Params:
        cancelled = factory.Trait(status=BookingStatus.CANCELLED)
        phone_only = factory.Trait(email=None)

    @factory.post_generation
    def count_seat(self, create, extracted, **kwargs):
        if self.is_live:
            self.slot.booked += 1


class WaitlistEntryFactory(BaseFactory):
    class Meta:
        model = WaitlistEntry

    moment = None
    status = WaitlistStatus.WAITING
    contact_name = factory.Sequence(lambda n: f"Wachtende {n}")
    email = factory.Sequence(lambda n: f"wacht{n}@example.org")
    language = "nl"
    household_size = 1
