from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, bool_false, created_at, intpk, money, str_enum, utcnow
from inschrijving.dossiers.enums import (
    ChoiceStatus,
    ConsentPurpose,
    DependantReason,
    DocumentKind,
    DossierStatus,
    IdKind,
    IncomeSource,
    LanguageLevel,
    PersonRole,
    PropertyException,
    PropertyRight,
    RegisterType,
)
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.accounts.models import User
    from inschrijving.booking.models import Booking
    from inschrijving.landlords.models import Landlord, Municipality, SubMunicipality
    from inschrijving.planning.models import RegistrationMoment


class Dossier(db.Model):
    __tablename__ = "dossiers"
    __table_args__ = (sa.Index("ix_dossiers_moment_id_status", "moment_id", "status"),)

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(sa.String(7), unique=True)
    # Walk-ins have no booking; a booking has at most one dossier.
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id", ondelete="SET NULL"), unique=True)
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_moments.id", ondelete="RESTRICT"))
    status: Mapped[DossierStatus] = mapped_column(str_enum(DossierStatus), default=DossierStatus.DRAFT)
    # Optimistic lock: every save must name the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    language: Mapped[str] = mapped_column(sa.String(8), default="nl")
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    family_reunification_expected: Mapped[int] = mapped_column(default=0)
    # None: not asked yet; False: declared no property; True: see property_declarations.
    has_property: Mapped[bool | None]
    cir_registered: Mapped[bool | None]
    cir_registered_on: Mapped[date | None]
    cir_reference: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}

    moment: Mapped[RegistrationMoment] = relationship()
    booking: Mapped[Booking | None] = relationship()
    persons: Mapped[list[Person]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Person.position"
    )
    incomes: Mapped[list[IncomeRecord]] = relationship(cascade="all, delete-orphan", back_populates="dossier")
    assets: Mapped[AssetsDeclaration | None] = relationship(cascade="all, delete-orphan")
    property_declarations: Mapped[list[PropertyDeclaration]] = relationship(cascade="all, delete-orphan")
    addresses: Mapped[list[AddressHistoryEntry]] = relationship(
        cascade="all, delete-orphan", order_by="AddressHistoryEntry.from_on"
    )
    preferences: Mapped[Preferences | None] = relationship(cascade="all, delete-orphan")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan", back_populates="dossier")
    landlord_choices: Mapped[list[LandlordChoice]] = relationship(
        cascade="all, delete-orphan", back_populates="dossier"
    )
    documents: Mapped[list[Document]] = relationship(cascade="all, delete-orphan", back_populates="dossier")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    @property
    def is_complete(self) -> bool:
        return self.status == DossierStatus.COMPLETE

    @property
    def reference_tenant(self) -> Person | None:
        return next((p for p in self.persons if p.role == PersonRole.REFERENCE_TENANT), None)

    @property
    def partner(self) -> Person | None:
        return next((p for p in self.persons if p.role == PersonRole.PARTNER), None)


class Person(db.Model):
    __tablename__ = "persons"
    __table_args__ = (
        # A household has one reference tenant and at most one partner.
        sa.Index(
            "uq_persons_one_reference_tenant",
            "dossier_id",
            unique=True,
            sqlite_where=sa.text("role = 'reference_tenant'"),
            postgresql_where=sa.text("role = 'reference_tenant'"),
        ),
        sa.Index(
            "uq_persons_one_partner",
            "dossier_id",
            unique=True,
            sqlite_where=sa.text("role = 'partner'"),
            postgresql_where=sa.text("role = 'partner'"),
        ),
        sa.CheckConstraint("birth_month IS NULL OR birth_month BETWEEN 1 AND 12", name="birth_month_range"),
        sa.CheckConstraint("birth_day IS NULL OR birth_day BETWEEN 1 AND 31", name="birth_day_range"),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    role: Mapped[PersonRole] = mapped_column(str_enum(PersonRole))
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    id_kind: Mapped[IdKind] = mapped_column(str_enum(IdKind), default=IdKind.NONE)
    # 11 digits, no separators: a national register or BIS number.
    national_number: Mapped[str | None] = mapped_column(sa.String(11), index=True)
    foreign_id: Mapped[str | None] = mapped_column(sa.String(40))
    # Birth dates may be partly unknown (refugees): month and day are optional.
    birth_year: Mapped[int | None]
    birth_month: Mapped[int | None]
    birth_day: Mapped[int | None]
    register_type: Mapped[RegisterType] = mapped_column(str_enum(RegisterType), default=RegisterType.UNKNOWN)
    is_dependant: Mapped[bool_false]
    dependant_reason: Mapped[DependantReason | None] = mapped_column(str_enum(DependantReason))
    is_domiciled: Mapped[bool] = mapped_column(default=True)
    has_recognised_disability: Mapped[bool_false]
    is_emancipated: Mapped[bool_false]
    has_guided_living: Mapped[bool_false]
    language_level: Mapped[LanguageLevel] = mapped_column(str_enum(LanguageLevel), default=LanguageLevel.UNKNOWN)

    dossier: Mapped[Dossier] = relationship(back_populates="persons")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_adult_applicant(self) -> bool:
        return self.role in (PersonRole.REFERENCE_TENANT, PersonRole.PARTNER)


class IncomeRecord(db.Model):
    __tablename__ = "income_records"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id", ondelete="CASCADE"), unique=True)
    income_year: Mapped[int | None]
    taxable_total: Mapped[money | None]
    separately_taxed: Mapped[money | None]
    leefloon: Mapped[money | None]
    ivt: Mapped[money | None]
    foreign_exempt: Mapped[money | None]
    source: Mapped[IncomeSource | None] = mapped_column(str_enum(IncomeSource))
    uses_current_income: Mapped[bool_false]
    current_income_months: Mapped[int | None]
    current_income_amount: Mapped[money | None]
    in_debt_settlement: Mapped[bool_false]
    disposable_income: Mapped[money | None]

    dossier: Mapped[Dossier] = relationship(back_populates="incomes")
    person: Mapped[Person] = relationship()

    @property
    def reference_total(self) -> Decimal:
        parts = (self.taxable_total, self.separately_taxed, self.leefloon, self.ivt, self.foreign_exempt)
        return sum((p for p in parts if p is not None), Decimal(0))


class AssetsDeclaration(db.Model):
    """The means test (middelentoets): balances declared on honour."""

    __tablename__ = "assets_declarations"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True)
    total_balances: Mapped[money]
    excluded_amount: Mapped[money] = mapped_column(default=Decimal(0))
    declared_on: Mapped[date]


class PropertyDeclaration(db.Model):
    __tablename__ = "property_declarations"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id", ondelete="CASCADE"))
    country: Mapped[str] = mapped_column(sa.String(2), default="BE")
    right_type: Mapped[PropertyRight] = mapped_column(str_enum(PropertyRight))
    share_pct: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    exception: Mapped[PropertyException | None] = mapped_column(str_enum(PropertyException))
    note: Mapped[str | None] = mapped_column(sa.Text)


class AddressHistoryEntry(db.Model):
    __tablename__ = "address_history"
    __table_args__ = (sa.CheckConstraint("until_on IS NULL OR until_on >= from_on", name="period_ordered"),)

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id", ondelete="CASCADE"))
    municipality_name: Mapped[str] = mapped_column(sa.String(80))
    from_on: Mapped[date]
    until_on: Mapped[date | None]


preference_municipalities = sa.Table(
    "preference_municipalities",
    db.metadata,
    sa.Column("preferences_id", sa.ForeignKey("preferences.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

# Deelgemeenten the household wants, when it does not want the whole municipality (landlords' areas
# follow deelgemeenten: landlords.models.Landlord.serves).
preference_sub_municipalities = sa.Table(
    "preference_sub_municipalities",
    db.metadata,
    sa.Column("preferences_id", sa.ForeignKey("preferences.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "sub_municipality_id", sa.ForeignKey("sub_municipalities.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)


class Preferences(db.Model):
    __tablename__ = "preferences"
    __table_args__ = (
        sa.CheckConstraint(
            "bedrooms_min IS NULL OR bedrooms_max IS NULL OR bedrooms_max >= bedrooms_min",
            name="bedrooms_ordered",
        ),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True)
    # Values from DwellingType in services: house, flat, studio, senior.
    dwelling_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    bedrooms_min: Mapped[int | None]
    bedrooms_max: Mapped[int | None]
    max_rent: Mapped[money | None]
    needs_ground_floor: Mapped[bool_false]
    needs_lift: Mapped[bool_false]
    needs_wheelchair: Mapped[bool_false]
    remarks: Mapped[str | None] = mapped_column(sa.Text)

    municipalities: Mapped[list[Municipality]] = relationship(secondary=preference_municipalities)
    sub_municipalities: Mapped[list[SubMunicipality]] = relationship(secondary=preference_sub_municipalities)


class Consent(db.Model):
    __tablename__ = "consents"
    __table_args__ = (
        sa.CheckConstraint(
            "(purpose = 'share_with_landlord') = (landlord_id IS NOT NULL)", name="landlord_iff_sharing"
        ),
        sa.CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
        sa.Index("ix_consents_dossier_id_purpose", "dossier_id", "purpose"),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose))
    landlord_id: Mapped[int | None] = mapped_column(sa.ForeignKey("landlords.id", ondelete="RESTRICT"), index=True)
    text_version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    dossier: Mapped[Dossier] = relationship(back_populates="consents")
    landlord: Mapped[Landlord | None] = relationship()

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class LandlordChoice(db.Model):
    """The candidate chose this landlord; the landlord reports back on it here."""

    __tablename__ = "landlord_choices"
    __table_args__ = (
        sa.UniqueConstraint("dossier_id", "landlord_id"),
        sa.Index("ix_landlord_choices_landlord_id_status", "landlord_id", "status"),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"))
    landlord_id: Mapped[int] = mapped_column(sa.ForeignKey("landlords.id", ondelete="RESTRICT"))
    # A choice exists only with the consent to share with this landlord.
    consent_id: Mapped[int] = mapped_column(sa.ForeignKey("consents.id", ondelete="RESTRICT"), unique=True)
    status: Mapped[ChoiceStatus] = mapped_column(str_enum(ChoiceStatus), default=ChoiceStatus.NEW)
    landlord_reference: Mapped[str | None] = mapped_column(sa.String(60))
    registered_on: Mapped[date | None]
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    status_set_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    status_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    first_downloaded_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # Set on every download: a dossier completed again after it (corrected) is "changed" for the landlord.
    last_downloaded_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[created_at]

    dossier: Mapped[Dossier] = relationship(back_populates="landlord_choices")
    landlord: Mapped[Landlord] = relationship()
    consent: Mapped[Consent] = relationship()

    # What the landlord reported, as facts: pages show one line per state and never compare status strings.
    @property
    def is_registered(self) -> bool:
        return self.status == ChoiceStatus.REGISTERED

    @property
    def is_incomplete(self) -> bool:
        return self.status == ChoiceStatus.INCOMPLETE

    @property
    def is_refused(self) -> bool:
        return self.status == ChoiceStatus.REFUSED

    @property
    def is_downloaded(self) -> bool:
        """Downloaded and not yet answered (a reported status says more than the download)."""
        return self.status == ChoiceStatus.DOWNLOADED

    @property
    def consent_is_withdrawn(self) -> bool:
        return self.consent is not None and self.consent.withdrawn_at is not None


class Document(db.Model):
    __tablename__ = "documents"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id", ondelete="SET NULL"))
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind))
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    # Decided from the file's first bytes, never from its name.
    content_type: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    # Pages in the file (a PDF's pages; an image is one), shown after upload; None for older uploads.
    page_count: Mapped[int | None]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_at: Mapped[created_at]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    person: Mapped[Person | None] = relationship()

    @property
    def is_image(self) -> bool:
        """A scan or photo (a small preview can be shown); otherwise a PDF."""
        return self.content_type.startswith("image/")


class DossierChange(db.Model):
    """History: who changed which part of a dossier, and what, and when."""

    __tablename__ = "dossier_changes"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    step: Mapped[str] = mapped_column(sa.String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()


class IncomeLimit(db.Model):
    """The income limits (and so the means-test limits) for one registration year, with their source."""

    __tablename__ = "income_limits"
    __table_args__ = (
        sa.CheckConstraint(
            "single > 0 AND single_disabled > 0 AND other > 0 AND per_dependant >= 0", name="amounts_positive"
        ),
    )

    id: Mapped[intpk]
    year: Mapped[int] = mapped_column(unique=True)
    single: Mapped[money]
    single_disabled: Mapped[money]
    other: Mapped[money]
    per_dependant: Mapped[money]
    # Factor that brings an older income year to this year's level, keyed by income year.
    indexation: Mapped[dict[str, float]] = mapped_column(sa.JSON, default=dict)
    source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
