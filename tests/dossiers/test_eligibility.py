"""Table-driven tests for the eligibility rules of DOMAIN.md 8.2."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inschrijving.dossiers.eligibility import rules as e
from inschrijving.dossiers.eligibility.facts import (
    AddressFacts,
    Condition,
    HouseholdFacts,
    IncomeFacts,
    Limits,
    Outcome,
    PersonFacts,
    PropertyFacts,
)

REG = date(2024, 5, 15)
LIMITS_2024 = Limits(
    year=2024,
    single=Decimal(29515),
    single_disabled=Decimal(31987),
    other=Decimal(44270),
    per_dependant=Decimal(2475),
    indexation={2022: Decimal("1.1"), 2021: Decimal("1.15")},
    source="Wonen in Vlaanderen 2024",
)
ADULT = PersonFacts(role="reference_tenant", birth_year=1980, birth_month=3, birth_day=4, register_type="population")


def facts(*persons: PersonFacts, incomes=(), **kw) -> HouseholdFacts:
    return HouseholdFacts(
        registration_date=kw.pop("on", REG), persons=persons or (ADULT,), incomes=tuple(incomes), **kw
    )


def income(amount, year=2023, role="reference_tenant", **kw) -> IncomeFacts:
    return IncomeFacts(role=role, income_year=year, reference_total=Decimal(amount), **kw)


def tenant(**kw) -> PersonFacts:
    base = {
        "role": "reference_tenant",
        "birth_year": 1980,
        "birth_month": 3,
        "birth_day": 4,
        "register_type": "population",
    }
    base.update(kw)
    return PersonFacts(**base)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (tenant(birth_year=2006, birth_month=5, birth_day=15), Outcome.MEETS),  # 18 on the day itself
        (tenant(birth_year=2006, birth_month=5, birth_day=16), Outcome.DOES_NOT_MEET),  # one day short
        (tenant(birth_year=2006, birth_month=None, birth_day=None), Outcome.UNKNOWN),  # month 00: could be either
        (tenant(birth_year=2005, birth_month=None, birth_day=None), Outcome.MEETS),  # 18 whatever the month
        (tenant(birth_year=2006, birth_month=5, birth_day=None), Outcome.UNKNOWN),  # day 00 in the birthday month
        (tenant(birth_year=2006, birth_month=4, birth_day=None), Outcome.MEETS),  # day 00, month already past
        (tenant(birth_year=2008, birth_month=1, birth_day=1, is_emancipated=True), Outcome.MEETS),
        (tenant(birth_year=2008, birth_month=1, birth_day=1, has_guided_living=True), Outcome.MEETS),
        (tenant(birth_year=None), Outcome.UNKNOWN),
    ],
)
def test_age(person, expected):
    assert e.assess_age(facts(person)).outcome == expected


def test_age_without_reference_tenant_is_unknown():
    assert e.assess_age(facts(PersonFacts(role="child"))).outcome == Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("tenant_register", "partner_register", "expected", "warns"),
    [
        ("population", None, Outcome.MEETS, False),
        ("foreigners", None, Outcome.MEETS, False),
        ("reference_address", None, Outcome.MEETS, False),
        ("waiting", None, Outcome.DOES_NOT_MEET, False),
        ("struck_off", None, Outcome.DOES_NOT_MEET, False),
        ("population", "waiting", Outcome.DOES_NOT_MEET, False),  # the partner counts too
        ("refugee_attest", None, Outcome.MEETS, True),  # a warning, not a block
        ("unknown", None, Outcome.UNKNOWN, False),
    ],
)
def test_register(tenant_register, partner_register, expected, warns):
    persons = [tenant(register_type=tenant_register)]
    if partner_register:
        persons.append(PersonFacts(role="partner", birth_year=1982, register_type=partner_register))
    finding = e.assess_register(facts(*persons))
    assert finding.outcome == expected
    assert bool(finding.warning) == warns


# Income: (persons, incomes, expected outcome, expected limit text)
SINGLE = (tenant(),)
SINGLE_DISABLED = (tenant(has_recognised_disability=True),)
COUPLE = (tenant(), PersonFacts(role="partner", birth_year=1981, register_type="population"))
WITH_CHILD = (tenant(), PersonFacts(role="child", birth_year=2015, is_dependant=True))
WITH_DISABLED_CHILD = (
    tenant(),
    PersonFacts(role="child", birth_year=2015, is_dependant=True, has_recognised_disability=True),
)
WITH_NON_DEPENDANT_ADULT = (tenant(), PersonFacts(role="other_adult", birth_year=1950))


@pytest.mark.parametrize(
    ("persons", "incomes", "expected", "limit"),
    [
        (SINGLE, [income(29515)], Outcome.MEETS, "€\u00a029.515,00"),  # exactly at the limit
        (SINGLE, [income("29515.01")], Outcome.DOES_NOT_MEET, "€\u00a029.515,00"),
        (SINGLE_DISABLED, [income(31000)], Outcome.MEETS, "€\u00a031.987,00"),
        (COUPLE, [income(30000), income(14000, role="partner")], Outcome.MEETS, "€\u00a044.270,00"),
        (COUPLE, [income(30000), income(15000, role="partner")], Outcome.DOES_NOT_MEET, "€\u00a044.270,00"),
        (WITH_CHILD, [income(46000)], Outcome.MEETS, "€\u00a046.745,00"),  # other + 1 dependant
        (WITH_DISABLED_CHILD, [income(49000)], Outcome.MEETS, "€\u00a049.220,00"),  # disabled child counts twice
        (WITH_NON_DEPENDANT_ADULT, [income(29000)], Outcome.MEETS, "€\u00a029.515,00"),  # only dependants count
        (SINGLE, [income(27000, year=2022)], Outcome.DOES_NOT_MEET, "€\u00a029.515,00"),  # 27000 x 1.1 = 29700
        (SINGLE, [income(20000, year=2020)], Outcome.UNKNOWN, None),  # more than 3 years old
        (SINGLE, [income(0)], Outcome.UNKNOWN, "€\u00a029.515,00"),  # zero: use current income
        (SINGLE, [], Outcome.UNKNOWN, None),
        (COUPLE, [income(10000)], Outcome.UNKNOWN, None),  # partner's income missing
        (
            SINGLE,
            [income(60000, uses_current_income=True, current_income_months=6, current_income_amount=Decimal(12000))],
            Outcome.MEETS,  # 12000 / 6 x 12 = 24000
            "€\u00a029.515,00",
        ),
        (
            SINGLE,
            [income(60000, uses_current_income=True, current_income_months=4, current_income_amount=Decimal(9000))],
            Outcome.UNKNOWN,  # only 3 or 6 months allowed
            None,
        ),
        (
            SINGLE,
            [income(60000, in_debt_settlement=True, disposable_income=Decimal(15000))],
            Outcome.MEETS,
            "€\u00a029.515,00",
        ),
    ],
)
def test_income(persons, incomes, expected, limit):
    finding = e.assess_income(facts(*persons, incomes=incomes), LIMITS_2024)
    assert finding.outcome == expected, finding.reason
    numbers = dict(finding.numbers)
    if limit:
        assert numbers["Grens voor 2024"] == limit


def test_income_names_the_counted_amount_and_indexation():
    finding = e.assess_income(facts(incomes=[income(20000, year=2021)]), LIMITS_2024)
    numbers = dict(finding.numbers)
    assert numbers["Inkomen geteld"] == "€\u00a023.000,00"
    assert "1.1500" in numbers["Inkomen referentiehuurder"]


def test_income_without_indexation_factor_says_so():
    finding = e.assess_income(facts(incomes=[income(20000, year=2023)]), LIMITS_2024)
    assert finding.outcome == Outcome.MEETS
    assert "zonder indexering" in dict(finding.numbers)["Inkomen referentiehuurder"]


@pytest.mark.parametrize("condition", [e.assess_income, e.assess_means_test])
def test_missing_year_is_unknown_never_a_guess(condition):
    finding = condition(
        facts(on=date(2026, 3, 1), incomes=[income(10000, year=2025)], assets_total=Decimal(0)), LIMITS_2024
    )
    assert finding.outcome == Outcome.UNKNOWN
    assert finding.reason == "De grenzen voor 2026 zijn nog niet ingevoerd."
    assert condition(facts(on=date(2026, 3, 1)), None).reason == "De grenzen voor 2026 zijn nog niet ingevoerd."


@pytest.mark.parametrize(
    ("persons", "total", "excluded", "on", "expected"),
    [
        (SINGLE, 29515, 0, REG, Outcome.MEETS),
        (SINGLE, 30000, 0, REG, Outcome.DOES_NOT_MEET),
        (SINGLE, 35000, 6000, REG, Outcome.MEETS),  # attachment and blocked sums are not counted
        (WITH_DISABLED_CHILD, 49000, 0, REG, Outcome.MEETS),  # the same limit as the income test
        (SINGLE, 90000, 0, date(2023, 12, 31), Outcome.MEETS),  # before 2024: no means test
        (SINGLE, None, 0, REG, Outcome.UNKNOWN),
    ],
)
def test_means_test(persons, total, excluded, on, expected):
    limits = LIMITS_2024 if on.year == 2024 else None
    household = facts(
        *persons,
        on=on,
        assets_total=None if total is None else Decimal(total),
        assets_excluded=Decimal(excluded),
    )
    assert e.assess_means_test(household, limits).outcome == expected


@pytest.mark.parametrize(
    ("has_property", "items", "expected", "warns"),
    [
        (None, (), Outcome.UNKNOWN, False),
        (False, (), Outcome.MEETS, False),
        (True, (), Outcome.UNKNOWN, False),
        (True, (PropertyFacts("full_ownership"),), Outcome.DOES_NOT_MEET, False),
        (True, (PropertyFacts("usufruct"),), Outcome.DOES_NOT_MEET, False),
        (True, (PropertyFacts("via_company"),), Outcome.DOES_NOT_MEET, False),
        (True, (PropertyFacts("full_ownership", exception="uninhabitable"),), Outcome.UNKNOWN, False),  # no proof
        (True, (PropertyFacts("full_ownership", exception="inheritance", has_proof=True),), Outcome.MEETS, True),
        (
            True,
            (PropertyFacts("full_ownership", "zoning", True), PropertyFacts("long_lease")),
            Outcome.DOES_NOT_MEET,
            False,
        ),
    ],
)
def test_property(has_property, items, expected, warns):
    finding = e.assess_property(facts(has_property=has_property, properties=items))
    assert finding.outcome == expected
    assert bool(finding.warning) == warns


@pytest.mark.parametrize(
    ("level", "expected"),
    [("a2", Outcome.MEETS), ("b1_plus", Outcome.MEETS), ("a1", Outcome.UNKNOWN), ("none", Outcome.UNKNOWN)],
)
def test_language_is_information_only(level, expected):
    finding = e.assess_language(facts(tenant(language_level=level)))
    assert finding.outcome == expected
    assert finding.informational
    assert "A2" in finding.reason


@pytest.mark.parametrize(
    ("addresses", "expected"),
    [
        ((), Outcome.UNKNOWN),
        ((AddressFacts("Kortrijk", date(2018, 1, 1)),), Outcome.MEETS),
        ((AddressFacts("Kortrijk", date(2021, 1, 1)),), Outcome.DOES_NOT_MEET),
        (  # two moves inside the same town do not interrupt the stay
            (AddressFacts("Kortrijk", date(2016, 1, 1), date(2019, 6, 30)), AddressFacts("kortrijk", date(2019, 7, 1))),
            Outcome.MEETS,
        ),
        (  # interrupted: 3 + 3 years with a year elsewhere in between
            (
                AddressFacts("Kortrijk", date(2014, 6, 1), date(2017, 6, 1)),
                AddressFacts("Menen", date(2017, 6, 2), date(2018, 6, 1)),
                AddressFacts("Kortrijk", date(2021, 6, 2)),
            ),
            Outcome.DOES_NOT_MEET,
        ),
        ((AddressFacts("Kortrijk", date(2000, 1, 1), date(2013, 1, 1)),), Outcome.DOES_NOT_MEET),  # outside 10 years
    ],
)
def test_binding_is_information_only(addresses, expected):
    finding = e.assess_binding(facts(addresses=addresses))
    assert finding.outcome == expected
    assert finding.informational


def test_assess_returns_every_condition_once():
    findings = e.assess(facts(incomes=[income(20000)], assets_total=Decimal(100), has_property=False), LIMITS_2024)
    assert [f.condition for f in findings] == list(Condition)
    assert {f.outcome for f in findings if not f.informational} == {Outcome.MEETS}


def test_household_type_rules():
    assert e.household_type(facts(*SINGLE)) == e.HouseholdType.SINGLE
    assert e.household_type(facts(*SINGLE_DISABLED)) == e.HouseholdType.SINGLE_DISABLED
    # A single with a disability AND a dependant is "other".
    disabled_with_child = (tenant(has_recognised_disability=True), WITH_CHILD[1])
    assert e.household_type(facts(*disabled_with_child)) == e.HouseholdType.OTHER
    assert e.household_type(facts(*COUPLE)) == e.HouseholdType.OTHER
