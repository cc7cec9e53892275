"""What the eligibility rules weigh: incomes, savings, property, and each year's income limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import bool_false, created_at, intpk, money, str_enum
from inschrijving.dossiers.enums import IncomeSource, PropertyException, PropertyRight
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.dossiers.models.household import Dossier, Person


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
