"""Amounts written and read the Belgian way, in one place."""

from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from inschrijving import formatting
from inschrijving.dossiers.eligibility.rules import default_income_year
from inschrijving.validators import AmountField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30.500,00", Decimal("30500.00")),
        ("30500", Decimal("30500")),
        ("€ 30 500", Decimal("30500")),
        ("30\u00a0500,50", Decimal("30500.50")),
        ("30500.5", Decimal("30500.5")),
        ("30,500.00", Decimal("30500.00")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("30.500", Decimal("30500")),
        ("12,5", Decimal("12.5")),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, expected):
    assert formatting.parse_amount(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "1.23.4", "30,50,0", "12e5", "--3"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        formatting.parse_amount(typed)


def test_amounts_are_written_the_belgian_way():
    assert formatting.euro(Decimal("29515")) == "€\u00a029.515,00"
    assert formatting.amount(Decimal("1234.5")) == "1.234,50"
    assert formatting.euro(None) == ""


class _Form(Form):
    income = AmountField("Inkomen")


def test_the_amount_field_reads_belgian_notation_and_says_what_it_wants():
    form = _Form(MultiDict({"income": "30.500,00"}))
    assert form.validate() and form.income.data == Decimal("30500.00")
    wrong = _Form(MultiDict({"income": "dertig"}))
    assert not wrong.validate()
    assert wrong.income.errors and wrong.income._value() == "dertig"


def test_the_default_income_year_is_two_years_back():
    assert default_income_year(date(2026, 12, 7)) == 2024
