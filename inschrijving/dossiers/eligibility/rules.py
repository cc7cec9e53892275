"""The eligibility rules of DOMAIN.md 8.2: plain household facts and a year's limits in, reasoned findings out."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from inschrijving.dossiers.eligibility.facts import (
    INFORMATIONAL,
    AddressFacts,
    Condition,
    Finding,
    HouseholdFacts,
    HouseholdType,
    IncomeFacts,
    Limits,
    Outcome,
    PersonFacts,
    PropertyFacts,
    euro,
)
from inschrijving.dossiers.eligibility.information import assess_binding, assess_language

# Dates from DOMAIN.md 8.3; the means test applies to registrations from this day on.
MEANS_TEST_START = date(2024, 1, 1)
INCOME_MAX_AGE_YEARS = 3
ADULT_AGE = 18
# The income year asked first, everywhere (intake, /check, hints): the most recent year for which
# nearly everyone holds a tax assessment at registration time (DOMAIN.md 3: "the most recent year, at
# most three years old, for which an aanslagbiljet exists"; income of Y-1 is assessed during Y).
DEFAULT_INCOME_YEAR_OFFSET = 2


def default_income_year(on: date) -> int:
    """The income year to ask about for a registration on `on`; older years down to Y-3 stay allowed."""
    return on.year - DEFAULT_INCOME_YEAR_OFFSET


def assess(facts: HouseholdFacts, limits: Limits | None) -> list[Finding]:
    """Assess every condition; return one finding per condition, in a fixed order."""
    return [
        assess_age(facts),
        assess_register(facts),
        assess_income(facts, limits),
        assess_means_test(facts, limits),
        assess_property(facts),
        assess_language(facts),
        assess_binding(facts),
    ]


def _has_partner(facts: HouseholdFacts) -> bool:
    return any(p.role == "partner" for p in facts.persons)


# --- age -----------------------------------------------------------------------------------------


def _age_bounds(person: PersonFacts, on: date) -> tuple[int, int]:
    """Youngest and oldest possible age on a date, given a birth date that may be partly unknown."""
    year = person.birth_year or 0
    earliest = date(year, person.birth_month or 1, person.birth_day or 1)
    if person.birth_month is None:
        latest = date(year, 12, 31)
    elif person.birth_day is None:
        latest = date(year, person.birth_month, calendar.monthrange(year, person.birth_month)[1])
    else:
        latest = earliest

    def age(born: date) -> int:
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    return age(latest), age(earliest)


def assess_age(facts: HouseholdFacts) -> Finding:
    """The reference tenant is 18 or older on the registration date, or emancipated / in guided living."""
    person = facts.reference_tenant
    if person is None:
        return Finding(Condition.AGE, Outcome.UNKNOWN, _("De referentiehuurder is nog niet ingevuld."))
    if person.is_emancipated or person.has_guided_living:
        return Finding(
            Condition.AGE,
            Outcome.MEETS,
            _("Ontvoogd of begeleid zelfstandig wonen: jonger dan 18 mag, met een attest."),
        )
    if person.birth_year is None:
        return Finding(Condition.AGE, Outcome.UNKNOWN, _("Het geboortejaar is niet bekend."))
    youngest, oldest = _age_bounds(person, facts.registration_date)
    numbers = (
        (_("Leeftijd op de inschrijvingsdatum"), str(youngest) if youngest == oldest else f"{youngest}–{oldest}"),
    )
    if youngest >= ADULT_AGE:
        return Finding(Condition.AGE, Outcome.MEETS, _("De referentiehuurder is 18 jaar of ouder."), numbers)
    if oldest < ADULT_AGE:
        return Finding(
            Condition.AGE,
            Outcome.DOES_NOT_MEET,
            _("De referentiehuurder is jonger dan 18 jaar en is niet ontvoogd."),
            numbers,
        )
    return Finding(
        Condition.AGE,
        Outcome.UNKNOWN,
        _("De geboortedatum is niet volledig bekend: misschien is de referentiehuurder al 18, misschien nog niet."),
        numbers,
    )


# --- register ------------------------------------------------------------------------------------

_REGISTER_OK = {"population", "foreigners", "reference_address"}
_REGISTER_BLOCKED = {"waiting", "struck_off"}


def assess_register(facts: HouseholdFacts) -> Finding:
    """Reference tenant and partner are in the population or foreigners' register (or at a reference address)."""
    applicants = [p for p in facts.persons if p.is_applicant]
    if not applicants:
        return Finding(Condition.REGISTER, Outcome.UNKNOWN, _("De referentiehuurder is nog niet ingevuld."))
    kinds = {p.register_type for p in applicants}
    if kinds & _REGISTER_BLOCKED:
        return Finding(
            Condition.REGISTER,
            Outcome.DOES_NOT_MEET,
            _(
                "Iemand staat in het wachtregister of is ambtshalve geschrapt. Inschrijven kan pas na inschrijving "
                "in het bevolkings- of vreemdelingenregister."
            ),
        )
    if "unknown" in kinds:
        return Finding(Condition.REGISTER, Outcome.UNKNOWN, _("Het register is nog niet voor iedereen ingevuld."))
    if "refugee_attest" in kinds:
        return Finding(
            Condition.REGISTER,
            Outcome.MEETS,
            _("Erkend vluchteling met attest: dat is voldoende."),
            warning=_("Let op: neem de beslissing van het CGVS mee, de inschrijving in het register volgt nog."),
        )
    return Finding(Condition.REGISTER, Outcome.MEETS, _("Ingeschreven in het bevolkings- of vreemdelingenregister."))


# --- income --------------------------------------------------------------------------------------


def household_type(facts: HouseholdFacts) -> HouseholdType:
    """Single, single with a disability, or other: what sets the base limit."""
    tenant = facts.reference_tenant
    if _has_partner(facts) or dependant_units(facts) > 0:
        return HouseholdType.OTHER
    if tenant is not None and tenant.has_recognised_disability:
        return HouseholdType.SINGLE_DISABLED
    return HouseholdType.SINGLE


def dependant_units(facts: HouseholdFacts) -> int:
    """Count dependants for the limit; a dependant child with a recognised disability counts twice."""
    units = 0
    for person in facts.persons:
        if person.is_applicant or not person.is_dependant:
            continue
        units += 2 if person.role == "child" and person.has_recognised_disability else 1
    return units


def household_limit(facts: HouseholdFacts, limits: Limits) -> tuple[Decimal, tuple[tuple[str, str], ...]]:
    """The limit for this household and the numbers that make it up."""
    kind = household_type(facts)
    base = {HouseholdType.SINGLE: limits.single, HouseholdType.SINGLE_DISABLED: limits.single_disabled}.get(
        kind, limits.other
    )
    units = dependant_units(facts)
    total = base + units * limits.per_dependant
    labels = {
        HouseholdType.SINGLE: _("alleenstaande"),
        HouseholdType.SINGLE_DISABLED: _("alleenstaande met een handicap"),
        HouseholdType.OTHER: _("andere (met partner of personen ten laste)"),
    }
    numbers = (
        (_("Soort gezin"), labels[kind]),
        (_("Personen ten laste (kind met handicap telt dubbel)"), str(units)),
        (_("Grens voor %(year)s", year=limits.year), euro(total)),
    )
    return total, numbers


def _missing_limits(condition: Condition, year: int) -> Finding:
    return Finding(condition, Outcome.UNKNOWN, _("De grenzen voor %(year)s zijn nog niet ingevoerd.", year=year))


def _counted_income(income: IncomeFacts, limits: Limits, registration_year: int) -> tuple[Decimal | None, str, str]:
    """Income to count for one person: (amount, how it was found, problem or '')."""
    if income.in_debt_settlement and income.disposable_income is not None:
        return income.disposable_income, _("beschikbaar inkomen (collectieve schuldenregeling)"), ""
    if income.uses_current_income:
        if income.current_income_amount is None or income.current_income_months not in (3, 6):
            return None, "", _("Het huidige inkomen (3 of 6 maanden) is niet volledig ingevuld.")
        yearly = income.current_income_amount / income.current_income_months * 12
        return (
            yearly,
            _("huidig inkomen van %(months)s maanden, omgerekend naar een jaar", months=income.current_income_months),
            "",
        )
    if income.income_year is None or income.reference_total is None:
        return None, "", _("Het inkomen is nog niet ingevuld.")
    if income.income_year < registration_year - INCOME_MAX_AGE_YEARS or income.income_year >= registration_year:
        return (
            None,
            "",
            _(
                "Inkomensjaar %(year)s past niet: gebruik een jaar van hoogstens 3 jaar voor %(reg)s.",
                year=income.income_year,
                reg=registration_year,
            ),
        )
    factor = limits.indexation.get(income.income_year)
    if factor is None:
        return (
            income.reference_total,
            _("inkomensjaar %(year)s, zonder indexering (geen factor ingevoerd)", year=income.income_year),
            "",
        )
    return (
        income.reference_total * factor,
        _("inkomensjaar %(year)s, geïndexeerd met %(factor)s", year=income.income_year, factor=f"{factor:.4f}"),
        "",
    )


def assess_income(facts: HouseholdFacts, limits: Limits | None) -> Finding:
    """Income of reference tenant and partner, indexed, compared to the household's limit."""
    year = facts.registration_date.year
    if limits is None or limits.year != year:
        return _missing_limits(Condition.INCOME, year)
    applicants = {p.role for p in facts.persons if p.is_applicant}
    if "reference_tenant" not in applicants:
        return Finding(Condition.INCOME, Outcome.UNKNOWN, _("De referentiehuurder is nog niet ingevuld."))
    by_role = {i.role: i for i in facts.incomes}
    total = Decimal(0)
    numbers: list[tuple[str, str]] = []
    for role in sorted(applicants, key=lambda r: r != "reference_tenant"):
        income = by_role.get(role)
        label = _("Inkomen referentiehuurder") if role == "reference_tenant" else _("Inkomen partner")
        if income is None:
            return Finding(Condition.INCOME, Outcome.UNKNOWN, _("Het inkomen is nog niet ingevuld."))
        amount, how, problem = _counted_income(income, limits, year)
        if amount is None:
            return Finding(Condition.INCOME, Outcome.UNKNOWN, problem)
        total += amount
        numbers.append((label, f"{euro(amount)} ({how})"))
    limit, limit_numbers = household_limit(facts, limits)
    numbers.append((_("Inkomen geteld"), euro(total)))
    numbers.extend(limit_numbers)
    if total <= 0:
        return Finding(
            Condition.INCOME,
            Outcome.UNKNOWN,
            _("Het inkomen is 0. Gebruik het huidige inkomen van de laatste 3 of 6 maanden."),
            tuple(numbers),
        )
    if total > limit:
        return Finding(
            Condition.INCOME,
            Outcome.DOES_NOT_MEET,
            _(
                "Het inkomen is hoger dan de grens. Is het inkomen nu lager? Dan kan het huidige inkomen "
                "(3 of 6 maanden) of het beschikbaar inkomen bij een schuldenregeling tellen."
            ),
            tuple(numbers),
        )
    return Finding(Condition.INCOME, Outcome.MEETS, _("Het inkomen is niet hoger dan de grens."), tuple(numbers))


# --- means test ----------------------------------------------------------------------------------


def assess_means_test(facts: HouseholdFacts, limits: Limits | None) -> Finding:
    """Declared balances (minus attachments and blocked sums) do not exceed the income limit."""
    if facts.registration_date < MEANS_TEST_START:
        return Finding(
            Condition.MEANS_TEST, Outcome.MEETS, _("De middelentoets geldt pas voor inschrijvingen vanaf 2024.")
        )
    year = facts.registration_date.year
    if limits is None or limits.year != year:
        return _missing_limits(Condition.MEANS_TEST, year)
    if facts.assets_total is None:
        return Finding(Condition.MEANS_TEST, Outcome.UNKNOWN, _("Het spaargeld is nog niet opgegeven."))
    counted = max(facts.assets_total - facts.assets_excluded, Decimal(0))
    limit, limit_numbers = household_limit(facts, limits)
    numbers = (
        (_("Opgegeven saldo"), euro(facts.assets_total)),
        (_("Niet meegeteld (beslag, geblokkeerd)"), euro(facts.assets_excluded)),
        (_("Geteld"), euro(counted)),
        *limit_numbers,
    )
    if counted > limit:
        return Finding(
            Condition.MEANS_TEST,
            Outcome.DOES_NOT_MEET,
            _("Het spaargeld is hoger dan de grens."),
            numbers,
        )
    return Finding(Condition.MEANS_TEST, Outcome.MEETS, _("Het spaargeld is niet hoger dan de grens."), numbers)


# --- property ------------------------------------------------------------------------------------


def assess_property(facts: HouseholdFacts) -> Finding:
    """No housing property in Belgium or abroad, unless an exception with proof applies."""
    if facts.has_property is None:
        return Finding(Condition.PROPERTY, Outcome.UNKNOWN, _("Eigendom is nog niet gevraagd."))
    if not facts.has_property:
        return Finding(
            Condition.PROPERTY, Outcome.MEETS, _("Geen woning of grond in eigendom, in België of in het buitenland.")
        )
    if not facts.properties:
        return Finding(Condition.PROPERTY, Outcome.UNKNOWN, _("Er is eigendom, maar nog niet welk."))
    if any(p.exception is None for p in facts.properties):
        return Finding(
            Condition.PROPERTY,
            Outcome.DOES_NOT_MEET,
            _("Er is een woning of grond in (deel)eigendom zonder uitzondering."),
            ((_("Eigendommen"), str(len(facts.properties))),),
        )
    if not all(p.has_proof for p in facts.properties):
        return Finding(
            Condition.PROPERTY,
            Outcome.UNKNOWN,
            _("Er is een uitzondering, maar het bewijs ontbreekt nog."),
        )
    return Finding(
        Condition.PROPERTY,
        Outcome.MEETS,
        _("Er is eigendom, met een uitzondering en bewijs."),
        warning=_("De woning moet verkocht zijn binnen 1 jaar na de start van het huurcontract."),
    )


__all__ = [
    "AddressFacts",
    "Condition",
    "Finding",
    "HouseholdFacts",
    "HouseholdType",
    "INFORMATIONAL",
    "IncomeFacts",
    "Limits",
    "MEANS_TEST_START",
    "Outcome",
    "PersonFacts",
    "PropertyFacts",
    "assess",
    "assess_age",
    "assess_binding",
    "assess_income",
    "assess_language",
    "assess_means_test",
    "assess_property",
    "assess_register",
    "dependant_units",
    "euro",
    "household_limit",
    "household_type",
]
