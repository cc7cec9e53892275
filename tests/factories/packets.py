"""Complete, shared dossiers for the landlord portal, packet and API tests (and the packet benchmark)."""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Sequence

from PIL import Image, ImageDraw

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ConsentPurpose, DocumentKind, DossierStatus, IdKind, PersonRole, RegisterType
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person, Preferences
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering import storage

_counter = itertools.count(1)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _reference(n: int) -> str:
    chars = []
    for _ in range(6):
        n, rest = divmod(n, len(_ALPHABET))
        chars.append(_ALPHABET[rest])
    return "".join(chars[:3]) + "-" + "".join(chars[3:])


def scan_jpeg(text: str = "Scan", *, size: tuple[int, int] = (1240, 1754), orientation: int | None = None) -> bytes:
    """A one-page scan as JPEG, optionally with an EXIF orientation tag."""
    image = Image.new("RGB", size, (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, size[0] - 60, 200), outline=(0, 0, 0), width=4)
    draw.text((80, 100), text, fill=(0, 0, 0))
    out = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", quality=70, exif=exif)
    else:
        image.save(out, "JPEG", quality=70)
    return out.getvalue()


def add_document(
    dossier: Dossier,
    data: bytes,
    *,
    content_type: str = "image/jpeg",
    filename: str = "scan.jpg",
    kind: DocumentKind = DocumentKind.IDENTITY,
) -> Document:
    document = Document(
        dossier=dossier,
        person=dossier.reference_tenant,
        kind=kind,
        original_filename=filename,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage.store(data),
    )
    db.session.add(document)
    db.session.flush()
    return document


def share(dossier: Dossier, landlord: Landlord) -> LandlordChoice:
    """Record the consent to share with a landlord and the choice of that landlord."""
    consent = Consent(
        dossier=dossier, purpose=ConsentPurpose.SHARE_WITH_LANDLORD, landlord=landlord, text_version="2026-1"
    )
    choice = LandlordChoice(dossier=dossier, landlord=landlord, consent=consent)
    db.session.add_all([consent, choice])
    db.session.flush()
    return choice


def shared_dossier(
    moment: RegistrationMoment,
    landlords: Sequence[Landlord] = (),
    *,
    complete: bool = True,
    scan: bool = True,
    last_name: str | None = None,
    municipalities: Sequence[Municipality] = (),
    persons: int = 2,
) -> Dossier:
    """A dossier with a reference tenant (and partner), chosen landlords with consent, and a JPEG scan."""
    n = next(_counter)
    now = utcnow()
    dossier = Dossier(
        reference=_reference(n * 7919),
        moment=moment,
        status=DossierStatus.COMPLETE if complete else DossierStatus.DRAFT,
        contact_phone="+32470000000",
        contact_email=f"kandidaat{n}@example.org",
        completed_at=now if complete else None,
    )
    dossier.persons.append(
        Person(
            position=0,
            role=PersonRole.REFERENCE_TENANT,
            first_name="Testa",
            last_name=last_name or f"Voorbeeld{n:03d}",
            id_kind=IdKind.NATIONAL_NUMBER,
            national_number="85073003328",
            birth_year=1985,
            birth_month=7,
            birth_day=30,
            register_type=RegisterType.POPULATION,
        )
    )
    for extra in range(1, persons):
        dossier.persons.append(
            Person(
                position=extra,
                role=PersonRole.PARTNER if extra == 1 else PersonRole.CHILD,
                first_name=f"Lid{extra}",
                last_name=last_name or f"Voorbeeld{n:03d}",
                birth_year=1990 if extra == 1 else 2015,
                is_dependant=extra > 1,
            )
        )
    dossier.preferences = Preferences(dwelling_types=["flat"], bedrooms_min=1, bedrooms_max=2)
    dossier.preferences.municipalities.extend(municipalities)
    db.session.add(dossier)
    db.session.flush()
    for landlord in landlords:
        share(dossier, landlord)
    if scan:
        add_document(dossier, scan_jpeg(f"Identiteitskaart {dossier.reference}"))
    return dossier


def withdraw(dossier: Dossier, landlord: Landlord) -> None:
    for consent in dossier.consents:
        if consent.landlord_id == landlord.id and consent.withdrawn_at is None:
            consent.withdrawn_at = utcnow()
    db.session.flush()


def full_dossier(moment: RegistrationMoment, landlords: Sequence[Landlord] = (), **kwargs) -> Dossier:
    """A shared dossier with something in every section: incomes, savings, property, addresses, CIR,
    preferences, a child with a disability, a foreign number, and documents of persons and of the household.
    """
    from datetime import date
    from decimal import Decimal

    from inschrijving.dossiers.enums import (
        DependantReason,
        IncomeSource,
        LanguageLevel,
        PropertyException,
        PropertyRight,
    )
    from inschrijving.dossiers.models.household import AddressHistoryEntry
    from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord, PropertyDeclaration

    dossier = shared_dossier(moment, landlords, persons=3, **kwargs)
    tenant, partner, child = dossier.persons
    dossier.language = "fr"
    dossier.has_property = True
    dossier.cir_registered = True
    dossier.cir_registered_on = date(2025, 3, 14)
    dossier.cir_reference = "CIR-2025-0042"
    tenant.language_level = LanguageLevel.A2
    partner.id_kind = IdKind.FOREIGN_ID
    partner.foreign_id = "MA1234567"
    partner.birth_month, partner.birth_day = 2, 11
    partner.register_type = RegisterType.FOREIGNERS
    child.birth_month, child.birth_day = 5, 3
    child.dependant_reason = DependantReason.MINOR_DOMICILED
    child.has_recognised_disability = True
    dossier.incomes = [
        IncomeRecord(
            person=tenant,
            income_year=2024,
            source=IncomeSource.ASSESSMENT,
            taxable_total=Decimal("15237.00"),
            separately_taxed=Decimal("412.50"),
        ),
        IncomeRecord(
            person=partner,
            income_year=2024,
            source=IncomeSource.PAYSLIPS,
            leefloon=Decimal("9876.54"),
            uses_current_income=True,
            current_income_months=3,
            current_income_amount=Decimal("3210.00"),
        ),
    ]
    dossier.assets = AssetsDeclaration(
        total_balances=Decimal("881.00"), excluded_amount=Decimal("250.00"), declared_on=date(2026, 11, 20)
    )
    dossier.property_declarations = [
        PropertyDeclaration(
            country="MA",
            right_type=PropertyRight.FULL_OWNERSHIP,
            share_pct=Decimal("33.33"),
            exception=PropertyException.INHERITANCE,
        )
    ]
    dossier.addresses = [
        AddressHistoryEntry(municipality_name="Kortrijk", from_on=date(2019, 4, 1), until_on=date(2023, 8, 31)),
        AddressHistoryEntry(municipality_name="Wevelgem", from_on=date(2023, 9, 1)),
    ]
    dossier.preferences.dwelling_types = ["house", "flat"]
    dossier.preferences.max_rent = Decimal("650")
    dossier.preferences.needs_ground_floor = True
    dossier.preferences.remarks = "Liefst dicht bij de school van de kinderen."
    db.session.flush()
    add_document(dossier, scan_jpeg("Loonfiche partner"), kind=DocumentKind.INCOME_PROOF, filename="loonfiche.jpg")
    dossier.documents[-1].person = partner
    household = add_document(
        dossier, scan_jpeg("Gezinssamenstelling"), kind=DocumentKind.HOUSEHOLD_COMPOSITION, filename="gezin.jpg"
    )
    household.person = None
    db.session.flush()
    return dossier
