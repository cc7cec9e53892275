"""The household: the dossier itself, its persons, their past addresses and what they ask for."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, bool_false, created_at, intpk, money, str_enum
from inschrijving.dossiers.enums import DependantReason, DossierStatus, IdKind, LanguageLevel, PersonRole, RegisterType
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.accounts.models import User
    from inschrijving.booking.models import Booking
    from inschrijving.dossiers.models.consent import Consent, LandlordChoice
    from inschrijving.dossiers.models.documents import Document
    from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord, PropertyDeclaration
    from inschrijving.landlords.models import Municipality, SubMunicipality
    from inschrijving.planning.models import RegistrationMoment


class Dossier(db.Model):
    __tablename__ = "dossiers"
    __table_args__ = (
        sa.Index("ix_dossiers_moment_id_status", "moment_id", "status"),
        # The dossier list: newest first, all of them or one moment's.
        sa.Index("ix_dossiers_created_at_id", "created_at", "id"),
        sa.Index("ix_dossiers_moment_id_created_at", "moment_id", "created_at", "id"),
    )

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
    # The keys of labels.DWELLING_LABELS: house, flat, studio, senior.
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
