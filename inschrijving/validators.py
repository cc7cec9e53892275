"""Form validators every domain's forms share."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import validators


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
