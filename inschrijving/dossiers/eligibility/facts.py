"""The plain data the eligibility rules read and write: no database, no request, no clock."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from inschrijving import formatting


class Outcome(enum.StrEnum):
    MEETS = "meets"
    DOES_NOT_MEET = "does_not_meet"
    UNKNOWN = "unknown"


class Condition(enum.StrEnum):
    AGE = "age"
    REGISTER = "register"
    INCOME = "income"
    MEANS_TEST = "means_test"
    PROPERTY = "property"
    LANGUAGE = "language"
    BINDING = "binding"


INFORMATIONAL = frozenset({Condition.LANGUAGE, Condition.BINDING})


class HouseholdType(enum.StrEnum):
    SINGLE = "single"
    SINGLE_DISABLED = "single_disabled"
    OTHER = "other"


@dataclass(frozen=True)
class Limits:
    year: int
    single: Decimal
    single_disabled: Decimal
    other: Decimal
    per_dependant: Decimal
    # Factor per income year that brings that year's income to the registration year's level.
    indexation: dict[int, Decimal] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class PersonFacts:
    role: str  # reference_tenant | partner | child | other_adult
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    is_dependant: bool = False
    has_recognised_disability: bool = False
    is_emancipated: bool = False
    has_guided_living: bool = False
    register_type: str = "unknown"
    language_level: str = "unknown"

    @property
    def is_applicant(self) -> bool:
        return self.role in ("reference_tenant", "partner")


@dataclass(frozen=True)
class IncomeFacts:
    role: str  # reference_tenant | partner
    income_year: int | None = None
    reference_total: Decimal | None = None
    uses_current_income: bool = False
    current_income_months: int | None = None
    current_income_amount: Decimal | None = None
    in_debt_settlement: bool = False
    disposable_income: Decimal | None = None


@dataclass(frozen=True)
class PropertyFacts:
    right_type: str
    exception: str | None = None
    has_proof: bool = False


@dataclass(frozen=True)
class AddressFacts:
    municipality: str
    from_on: date
    until_on: date | None = None


@dataclass(frozen=True)
class HouseholdFacts:
    registration_date: date
    persons: tuple[PersonFacts, ...] = ()
    incomes: tuple[IncomeFacts, ...] = ()
    assets_total: Decimal | None = None
    assets_excluded: Decimal = Decimal(0)
    has_property: bool | None = None
    properties: tuple[PropertyFacts, ...] = ()
    addresses: tuple[AddressFacts, ...] = ()

    @property
    def reference_tenant(self) -> PersonFacts | None:
        return next((p for p in self.persons if p.role == "reference_tenant"), None)


@dataclass(frozen=True)
class Finding:
    condition: Condition
    outcome: Outcome
    reason: str
    # (label, value) pairs shown under the reason: the numbers the finding used.
    numbers: tuple[tuple[str, str], ...] = ()
    warning: str | None = None

    @property
    def informational(self) -> bool:
        return self.condition in INFORMATIONAL


def euro(amount: Decimal) -> str:
    """Write an amount the Belgian way, e.g. € 29.515,00."""
    return formatting.euro(amount)
