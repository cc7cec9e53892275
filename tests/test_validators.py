"""Our own NumberRange: the range check of every number field, safe for numbers too large for a float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, Form, IntegerField, validators
from wtforms.fields.core import UnboundField

from inschrijving.validators import NumberRange


class CountForm(Form):
    count = IntegerField(validators=[NumberRange(min=1, max=30, message="Vul een getal van 1 tot 30 in.")])
    people = IntegerField(validators=[validators.Optional(), NumberRange(min=0, max=20)])
    amount = DecimalField(validators=[validators.Optional(), NumberRange(min=0, max=Decimal("9999999"))])


def _errors(app, **typed) -> dict[str, list[str]]:
    with app.test_request_context():
        form = CountForm(MultiDict(typed))
        form.validate()
        return form.errors


def test_a_number_in_range_passes_and_one_outside_gets_the_fields_message(app):
    assert _errors(app, count="12") == {}
    assert _errors(app, count="31") == {"count": ["Vul een getal van 1 tot 30 in."]}


def test_a_number_too_large_for_a_float_is_refused_with_the_fields_message_not_a_crash(app):
    assert _errors(app, count="9" * 400) == {"count": ["Vul een getal van 1 tot 30 in."]}


def test_without_a_message_of_its_own_a_huge_number_is_too_large(app):
    assert _errors(app, count="5", people="9" * 400) == {"people": ["Dit getal is te groot."]}



def _all_form_classes(app) -> list[type]:
    seen: list[type] = []
    todo = list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return [cls for cls in seen if cls.__module__.startswith("inschrijving.")]


def test_every_number_field_of_the_app_uses_our_validator_not_the_one_that_crashes(app):
    checked = []
    for cls in _all_form_classes(app):
        for name in dir(cls):
            field = getattr(cls, name, None)
            if not isinstance(field, UnboundField):
                continue
            given = field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else ())
            for validator in given:
                if isinstance(validator, validators.NumberRange):
                    assert type(validator) is NumberRange, f"{cls.__module__}.{cls.__name__}.{name}"
                    checked.append(name)
    assert len(checked) > 20  # the booking, planning, intake, limits, check and audit forms were all seen


@pytest.mark.parametrize("typed", ["9" * 400, "1e309", "NaN", "-1"])
def test_the_public_check_page_refuses_hostile_numbers_without_a_500(client, typed):
    response = client.get("/check", query_string={"adult": "yes", "dependants": typed, "income": typed})
    assert response.status_code == 200


def test_an_amount_field_is_a_text_box_so_a_browser_accepts_belgian_notation(app):
    from flask_wtf import FlaskForm

    from inschrijving.validators import AmountField

    class Form(FlaskForm):
        amount = AmountField("Bedrag")

    with app.test_request_context("/"):
        html = str(Form(meta={"csrf": False}).amount())
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'type="number"' not in html
