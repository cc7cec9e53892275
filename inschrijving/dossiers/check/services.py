"""From the anonymous /check answers to findings: the intake's own eligibility rules, nothing stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from inschrijving.dossiers.eligibility import rules
from inschrijving.dossiers.eligibility.facts import (
    Condition,
    Finding,
    HouseholdFacts,
    IncomeFacts,
    PersonFacts,
    PropertyFacts,
)
from inschrijving.dossiers.services import facts

# The page explains the conditions that decide; language and local binding are for the intake.
SHOWN = (Condition.AGE, Condition.REGISTER, Condition.INCOME, Condition.MEANS_TEST, Condition.PROPERTY)


def facts_from_answers(answers: Mapping[str, Any], on: date) -> HouseholdFacts:
    """Turn the anonymous answers into the same facts the intake uses."""
    register = {"yes": "population", "no": "waiting"}.get(answers["registered"], "unknown")
    tenant = PersonFacts(
        role="reference_tenant",
        birth_year=on.year - (18 if answers["adult"] == "yes" else 16),
        birth_month=1,
        birth_day=1,
        register_type=register,
        has_recognised_disability=answers["disabled"] == "yes",
    )
    persons = [tenant]
    if answers["partner"] == "yes":
        persons.append(PersonFacts(role="partner", register_type=register))
    disabled_children = answers["disabled_children"] or 0
    for index in range(answers["dependants"] or 0):
        persons.append(
            PersonFacts(role="child", is_dependant=True, has_recognised_disability=index < disabled_children)
        )
    # One amount for the couple: counted on the reference tenant, the partner adds nothing.
    incomes = [IncomeFacts(role="reference_tenant", income_year=on.year - 3, reference_total=answers["income"])]
    if answers["partner"] == "yes":
        incomes.append(IncomeFacts(role="partner", income_year=on.year - 3, reference_total=Decimal(0)))
    has_property = answers["property"] != "no"
    properties = ()
    if has_property:
        exception = "other" if answers["property"] == "exception" else None
        properties = (PropertyFacts("full_ownership", exception=exception, has_proof=exception is not None),)
    return HouseholdFacts(
        registration_date=on,
        persons=tuple(persons),
        incomes=tuple(incomes),
        assets_total=answers["savings"],
        has_property=has_property,
        properties=properties,
    )


def assess_answers(answers: Mapping[str, Any], on: date) -> list[Finding]:
    """The findings the page shows for these answers, with the limits entered for the year of `on`."""
    limits = facts.limits_from_model(facts.get_income_limit(on.year))
    return [f for f in rules.assess(facts_from_answers(answers, on), limits) if f.condition in SHOWN]
