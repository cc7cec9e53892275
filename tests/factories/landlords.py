from __future__ import annotations

import factory

from inschrijving.landlords.models import Landlord, LandlordKind, Municipality, SubMunicipality
from tests.factories.base import BaseFactory


class MunicipalityFactory(BaseFactory):
    class Meta:
        model = Municipality

    nis_code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    postcodes = factory.LazyFunction(lambda: ["8500"])


class SubMunicipalityFactory(BaseFactory):
    class Meta:
        model = SubMunicipality

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Deelgemeente {n}")
    postcode = "8510"


class LandlordFactory(BaseFactory):
    class Meta:
        model = Landlord

    slug = factory.Sequence(lambda n: f"verhuurder-{n}")
    name = factory.Sequence(lambda n: f"Verhuurder {n}")
    kind = LandlordKind.SHM
    contact_email = factory.Sequence(lambda n: f"info{n}@verhuurder.example")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if extracted:
            self.municipalities.extend(extracted)

    @factory.post_generation
    def sub_municipalities(self, create, extracted, **kwargs):
        if extracted:
            self.sub_municipalities.extend(extracted)
