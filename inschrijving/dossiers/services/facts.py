"""Bridge from a stored dossier to the pure eligibility check, and the yearly limits coordinators enter."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.dossiers.eligibility import rules
from inschrijving.dossiers.eligibility.facts import (
    AddressFacts,
    Finding,
    HouseholdFacts,
    IncomeFacts,
    Limits,
    PersonFacts,
    PropertyFacts,
)
from inschrijving.dossiers.enums import DocumentKind
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.extensions import db


def get_income_limit(year: int) -> IncomeLimit | None:
    """Return the limits entered for a registration year, if any."""
    return db.session.scalar(db.select(IncomeLimit).where(IncomeLimit.year == year))


def list_income_limits() -> list[IncomeLimit]:
    """All entered years, newest first."""
    return list(db.session.scalars(db.select(IncomeLimit).order_by(IncomeLimit.year.desc())))


def limits_from_model(limit: IncomeLimit | None) -> Limits | None:
    if limit is None:
        return None
    return Limits(
        year=limit.year,
        single=limit.single,
        single_disabled=limit.single_disabled,
        other=limit.other,
        per_dependant=limit.per_dependant,
        indexation={int(k): Decimal(str(v)) for k, v in (limit.indexation or {}).items()},
        source=limit.source,
    )


def facts_from_dossier(dossier: Dossier) -> HouseholdFacts:
    """Copy what the eligibility rules need out of the dossier's rows."""
    roles = {p.id: p.role.value for p in dossier.persons}
    has_exception_proof = any(d.kind == DocumentKind.PROPERTY_EXCEPTION for d in dossier.documents)
    return HouseholdFacts(
        registration_date=dossier.moment.held_on,
        persons=tuple(
            PersonFacts(
                role=p.role.value,
                birth_year=p.birth_year,
                birth_month=p.birth_month,
                birth_day=p.birth_day,
                is_dependant=p.is_dependant,
                has_recognised_disability=p.has_recognised_disability,
                is_emancipated=p.is_emancipated,
                has_guided_living=p.has_guided_living,
                register_type=p.register_type.value,
                language_level=p.language_level.value,
            )
            for p in dossier.persons
        ),
        incomes=tuple(
            IncomeFacts(
                role=roles.get(i.person_id, ""),
                income_year=i.income_year,
                reference_total=i.reference_total if i.taxable_total is not None else None,
                uses_current_income=i.uses_current_income,
                current_income_months=i.current_income_months,
                current_income_amount=i.current_income_amount,
                in_debt_settlement=i.in_debt_settlement,
                disposable_income=i.disposable_income,
            )
            for i in dossier.incomes
        ),
        assets_total=dossier.assets.total_balances if dossier.assets else None,
        assets_excluded=dossier.assets.excluded_amount if dossier.assets else Decimal(0),
        has_property=dossier.has_property,
        properties=tuple(
            PropertyFacts(
                right_type=p.right_type.value,
                exception=p.exception.value if p.exception else None,
                has_proof=has_exception_proof,
            )
            for p in dossier.property_declarations
        ),
        addresses=tuple(
            AddressFacts(municipality=a.municipality_name, from_on=a.from_on, until_on=a.until_on)
            for a in dossier.addresses
        ),
    )


def assess_dossier(dossier: Dossier) -> list[Finding]:
    """Guidance for the volunteer: the eligibility findings for this dossier with this year's limits."""
    limit = get_income_limit(dossier.moment.held_on.year)
    return rules.assess(facts_from_dossier(dossier), limits_from_model(limit))


def save_income_limit(
    year: int, *, values: dict, indexation: dict[int, Decimal], actor: Actor, now: datetime
) -> IncomeLimit:
    """Enter or correct the limits of one registration year, with their source."""
    limit = get_income_limit(year)
    if limit is None:
        limit = IncomeLimit(year=year, created_at=now)
        db.session.add(limit)
    for name in ("single", "single_disabled", "other", "per_dependant", "source"):
        setattr(limit, name, values[name])
    limit.indexation = {str(k): float(v) for k, v in sorted(indexation.items())}
    limit.entered_by_id = actor.user_id
    db.session.flush()
    audit(
        actor,
        "income_limit.saved",
        object_type="income_limit",
        object_id=limit.id,
        detail={"year": year, "source": values["source"][:200]},
    )
    return limit
