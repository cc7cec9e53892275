"""Dossier factories and a builder for a dossier that passes the whole checklist."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

import factory

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import (
    ChoiceStatus,
    ConsentPurpose,
    DocumentKind,
    DossierStatus,
    IdKind,
    IncomeSource,
    PersonRole,
    RegisterType,
)
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person, Preferences
from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeLimit, IncomeRecord
from inschrijving.dossiers.services.consent import CONSENT_TEXT_VERSION
from tests.factories.base import BaseFactory
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.planning import MomentFactory


def national_number(year: int, month: int, day: int, serial: int = 33) -> str:
    """A valid (synthetic) national register number for a birth date; month or day may be 0."""
    body = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    base = int(("2" + body) if year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


class DossierFactory(BaseFactory):
    class Meta:
        model = Dossier

    reference = factory.Sequence(lambda n: f"D{n:06d}")
    moment = factory.SubFactory(MomentFactory)
    booking = None
    language = "nl"
    created_at = factory.LazyFunction(utcnow)

    class Params:
        complete = factory.Trait(status=DossierStatus.COMPLETE, completed_at=factory.LazyFunction(utcnow))


class PersonFactory(BaseFactory):
    class Meta:
        model = Person

    dossier = factory.SubFactory(DossierFactory)
    position = factory.Sequence(int)
    role = PersonRole.REFERENCE_TENANT
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Testpersoon"
    id_kind = IdKind.NATIONAL_NUMBER
    national_number = factory.Sequence(lambda n: national_number(1985, 7, 30, 1 + n % 997))
    birth_year = 1985
    birth_month = 7
    birth_day = 30
    register_type = RegisterType.POPULATION


class IncomeRecordFactory(BaseFactory):
    class Meta:
        model = IncomeRecord

    person = factory.SubFactory(PersonFactory)
    dossier = factory.SelfAttribute("person.dossier")
    income_year = factory.LazyAttribute(lambda o: o.dossier.moment.held_on.year - 2)
    taxable_total = Decimal(18000)
    source = IncomeSource.ASSESSMENT


class IncomeLimitFactory(BaseFactory):
    class Meta:
        model = IncomeLimit

    year = factory.LazyFunction(lambda: date.today().year)
    single = Decimal(29515)
    single_disabled = Decimal(31987)
    other = Decimal(44270)
    per_dependant = Decimal(2475)
    indexation = factory.LazyFunction(dict)
    source = "Wonen in Vlaanderen, jaarlijkse publicatie (test)"


def add_document(dossier: Dossier, kind: DocumentKind, person: Person | None = None) -> Document:
    """A document row without a stored file, for checklist tests."""
    document = Document(
        kind=kind,
        person_id=person.id if person else None,
        original_filename=f"{kind.value}.pdf",
        content_type="application/pdf",
        size_bytes=1000,
        sha256="0" * 64,
        storage_key=secrets.token_hex(32),
    )
    dossier.documents.append(document)
    return document


def share_with(dossier: Dossier, landlord, *, withdrawn: bool = False) -> LandlordChoice:
    """Record a consent and a choice for a landlord, as the intake would."""
    consent = Consent(
        purpose=ConsentPurpose.SHARE_WITH_LANDLORD,
        landlord_id=landlord.id,
        text_version=CONSENT_TEXT_VERSION,
        given_at=utcnow(),
        withdrawn_at=utcnow() if withdrawn else None,
    )
    dossier.consents.append(consent)
    choice = LandlordChoice(landlord_id=landlord.id, consent=consent, status=ChoiceStatus.NEW)
    dossier.landlord_choices.append(choice)
    return choice


def build_complete_dossier(*, landlord=None, moment=None, mark_complete: bool = True, session=None) -> Dossier:
    """A dossier with every checklist item done (single person, one landlord)."""
    from inschrijving.extensions import db

    session = session or db.session
    municipality = MunicipalityFactory()
    landlord = landlord or LandlordFactory(municipalities=[municipality])
    if municipality not in landlord.municipalities:
        landlord.municipalities.append(municipality)
    dossier = DossierFactory(moment=moment or MomentFactory())
    tenant = PersonFactory(dossier=dossier)
    IncomeRecordFactory(person=tenant, dossier=dossier)
    dossier.assets = AssetsDeclaration(total_balances=Decimal(1200), declared_on=dossier.moment.held_on)
    dossier.has_property = False
    dossier.preferences = Preferences(dwelling_types=["flat"], municipalities=[municipality])
    dossier.cir_registered = False
    share_with(dossier, landlord)
    add_document(dossier, DocumentKind.IDENTITY, tenant)
    add_document(dossier, DocumentKind.INCOME_PROOF, tenant)
    if mark_complete:
        dossier.status = DossierStatus.COMPLETE
        dossier.completed_at = utcnow()
    session.flush()
    return dossier
