"""Form validators and fields every domain's forms share."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import DecimalField, validators
from wtforms.widgets import TextInput

from inschrijving import formatting


class NumberRange(validators.NumberRange):
    """WTForms' NumberRange, refusing a number too large for a float instead of crashing.

    WTForms calls math.isnan() on the value, which raises OverflowError for an integer of 309 digits
    or more: a 500 from any number field. Such a number is out of every range we use, so it is refused
    with the field's own message. Every number field uses this class, not WTForms' own.
    """

    def __call__(self, form, field) -> None:
        try:
            super().__call__(form, field)
        except OverflowError:
            raise validators.ValidationError(self.message or _("Dit getal is te groot.")) from None


class AmountField(DecimalField):
    """A euro amount typed the Belgian way ("30.500,00") or pasted from a publication.

    Reads every notation `formatting.parse_amount` knows and shows a kept value back as "30.500,00";
    every amount field uses this class, so the rule for reading an amount lives in one place.
    """

    # A text box, not DecimalField's <input type="number">: a browser refuses "30.500,00" in a number box.
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("places", 2)
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = formatting.parse_amount(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_("Typ een bedrag, bijvoorbeeld 30.500,00.")) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return formatting.amount(self.data) if self.data is not None else ""
