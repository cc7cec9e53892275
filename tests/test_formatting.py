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


def test_dates_for_dutch_documents_are_dutch_and_in_belgian_time_whatever_the_request_language():
    from datetime import UTC, datetime

    assert formatting.dutch_date(date(1985, 7, 30)) == "30 juli 1985"
    assert formatting.dutch_date(date(2026, 12, 7), "EEEE d MMMM y") == "maandag 7 december 2026"
    # 23:30 UTC on 31 December is already New Year's Day in Kortrijk.
    assert formatting.dutch_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"
    assert formatting.dutch_datetime(datetime(2026, 7, 1, 10, 5, tzinfo=UTC)) == "1 juli 2026, 12:05"
    assert formatting.dutch_date(None) == formatting.dutch_datetime(None) == ""


def test_the_copy_of_everything_held_words_stored_values_in_dutch(app):
    from inschrijving.dossiers.labels import field_value

    with app.test_request_context():
        _check_copy_values(field_value)


def _check_copy_values(field_value):
    assert field_value("taxable_total", "15237.00") == "€\u00a015.237,00"
    assert field_value("national_number", "85073003328") == "85.07.30-033.28"
    assert field_value("language", "fr") == "Frans"
    assert field_value("role", "reference_tenant") == "Referentiehuurder"
    assert field_value("declared_on", "2026-11-20") == "20 november 2026"
    assert field_value("dwelling_types", ["house", "flat"]) == ["Huis", "Appartement"]
    assert field_value("first_name", "partner") == "partner"  # a name is never taken for a label
