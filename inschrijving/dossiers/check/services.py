"""From the anonymous /check answers to findings: the intake's own eligibility rules, nothing stored.

The rules decide the outcome; the words are the candidate's own (plain language, "u"), never the staff
texts of the intake ("referentiehuurder", "ontvoogd", an age worked out from an invented birth date).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from inschrijving.dossiers.eligibility import rules
from inschrijving.dossiers.eligibility.facts import (
    Condition,
    Finding,
    HouseholdFacts,
    IncomeFacts,
    Limits,
    Outcome,
    PersonFacts,
    PropertyFacts,
    euro,
)
from inschrijving.dossiers.services import facts

# The page explains the conditions that decide; language and local binding are for the intake.
SHOWN = (Condition.AGE, Condition.REGISTER, Condition.INCOME, Condition.MEANS_TEST, Condition.PROPERTY)


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    # The year whose limits were used (None: no limits known at all) and whether it is an older year.
    limits_year: int | None
    older_limits: bool


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
    income_year = rules.default_income_year(on)
    incomes = [IncomeFacts(role="reference_tenant", income_year=income_year, reference_total=answers["income"])]
    if answers["partner"] == "yes":
        incomes.append(IncomeFacts(role="partner", income_year=income_year, reference_total=Decimal(0)))
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


def _known_limits(on: date) -> tuple[Limits | None, bool]:
    """This year's limits, else the latest year entered (as an estimate for this year), else None."""
    limits = facts.limits_from_model(facts.get_income_limit(on.year))
    if limits is not None:
        return limits, False
    entered = [limit for limit in facts.list_income_limits() if limit.year < on.year]
    if not entered:
        return None, False
    return facts.limits_from_model(entered[0]), True


def assess_answers(answers: Mapping[str, Any], on: date) -> CheckResult:
    """The candidate's findings for these answers, with this year's limits or the latest ones known."""
    limits, older = _known_limits(on)
    household = facts_from_answers(answers, on)
    # The rules only compare with limits of the registration year: an older year stands in for it.
    used = dataclasses.replace(limits, year=on.year) if limits is not None else None
    findings = [f for f in rules.assess(household, used) if f.condition in SHOWN]
    limit = rules.household_limit(household, used)[0] if used is not None else None
    words = [_for_candidate(f, answers, limit) for f in findings]
    return CheckResult(words, limits.year if limits is not None else None, older)


def _for_candidate(finding: Finding, answers: Mapping[str, Any], limit: Decimal | None) -> Finding:
    text, warning = _TEXTS[finding.condition](finding.outcome)
    numbers: tuple[tuple[str, str], ...] = ()
    if finding.condition == Condition.INCOME and limit is not None:
        numbers = ((_("Uw inkomen"), euro(answers["income"])), (_("Grens voor uw gezin"), euro(limit)))
    elif finding.condition == Condition.MEANS_TEST and limit is not None:
        numbers = ((_("Uw spaargeld"), euro(answers["savings"])), (_("Grens voor uw gezin"), euro(limit)))
    if limit is None and finding.condition in (Condition.INCOME, Condition.MEANS_TEST):
        text = _("We kennen de grenzen nog niet. Kom toch naar de groepsinschrijving: we rekenen het samen na.")
    return Finding(finding.condition, finding.outcome, text, numbers, warning)


def _age(outcome: Outcome) -> tuple[str, str | None]:
    if outcome == Outcome.MEETS:
        return _("U bent 18 jaar of ouder. Dat is goed."), None
    return (
        _("U bent jonger dan 18 jaar. Dan kunt u zich meestal nog niet inschrijven."),
        _("Woont u al alleen met hulp van een begeleider? Of zei de rechter dat u alleen mag beslissen? "
          "Kom dan toch, en neem het papier daarover mee."),
    )


def _register(outcome: Outcome) -> tuple[str, str | None]:
    if outcome == Outcome.MEETS:
        return _("U staat in het register van uw gemeente. Dat is goed."), None
    if outcome == Outcome.DOES_NOT_MEET:
        return _("Staat u (of iemand van uw gezin) nog niet in het register van de gemeente? "
                 "Dan kunt u zich nog niet inschrijven."), None
    return _("Weet u het niet zeker? Vraag het aan uw gemeente. Neem het bewijs mee als u komt."), None


def _income(outcome: Outcome) -> tuple[str, str | None]:
    if outcome == Outcome.MEETS:
        return _("Uw inkomen is niet te hoog. Dat is goed."), None
    if outcome == Outcome.DOES_NOT_MEET:
        return _("Uw inkomen van toen is te hoog. Verdient u nu minder? Dan kijken we naar uw loon van de "
                 "laatste 3 of 6 maanden. Kom dus toch."), None
    return _("Had u toen geen inkomen? Dan kijken we naar uw inkomen van de laatste 3 of 6 maanden. "
             "Neem uw loonbrieven of het papier van uw uitkering mee."), None


def _savings(outcome: Outcome) -> tuple[str, str | None]:
    if outcome == Outcome.MEETS:
        return _("Uw spaargeld is niet te hoog. Dat is goed."), None
    if outcome == Outcome.DOES_NOT_MEET:
        return _("U hebt te veel spaargeld. Dan kunt u meestal geen sociale woning huren."), _(
            "Is een deel van dat geld geblokkeerd of in beslag genomen? Dan tellen we dat niet mee. "
            "Kom dan toch, en neem het bewijs mee.")
    return _("Dat kunnen we nog niet zeggen. We bekijken het samen."), None


def _property(outcome: Outcome) -> tuple[str, str | None]:
    if outcome == Outcome.MEETS:
        return _("U en uw partner hebben geen huis of grond. Dat is goed."), None
    if outcome == Outcome.DOES_NOT_MEET:
        return _("U of uw partner bezit (een deel van) een huis of grond. "
                 "Dan kunt u meestal geen sociale woning huren."), None
    return _("U hebt een huis of grond, maar u kunt er niet wonen. Dan kan het soms toch. "
             "Neem het bewijs mee, bijvoorbeeld het papier dat het huis onbewoonbaar is."), None


_TEXTS = {
    Condition.AGE: _age,
    Condition.REGISTER: _register,
    Condition.INCOME: _income,
    Condition.MEANS_TEST: _savings,
    Condition.PROPERTY: _property,
}
