"""The erase confirmation: the volunteer types the dossier reference, so one slip never erases a household."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError


class EraseForm(FlaskForm):
    reference = StringField(
        _l("Typ de referentie van het dossier"),
        validators=[DataRequired(_l("Typ de referentie van het dossier.")), Length(max=20)],
    )

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._expected = expected

    def validate_reference(self, field: StringField) -> None:
        if (field.data or "").strip().upper() != self._expected.upper():
            raise ValidationError(_l("Dit is niet de referentie van dit dossier. Er is niets gewist."))
