"""The coordinators' form that makes a landlord's API key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from inschrijving.landlords.api.services import LABEL_MAX_LENGTH


class ApiTokenForm(FlaskForm):
    landlord_id = SelectField(
        _l("Verhuurder"), coerce=int, validators=[DataRequired(message=_l("Kies een verhuurder."))]
    )
    label = StringField(
        _l("Naam van de sleutel"),
        validators=[DataRequired(message=_l("Geef de sleutel een naam.")), Length(max=LABEL_MAX_LENGTH)],
        description=_l("Bijvoorbeeld het systeem dat de sleutel gebruikt."),
    )

    def __init__(self, *args, landlords=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.landlord_id.choices = [SelectChoice(0, _l("Kies een verhuurder"))] + [
            SelectChoice(lnd.id, lnd.name) for lnd in landlords
        ]

    def validate_landlord_id(self, field):
        if not any(field.data == choice.value for choice in self.landlord_id.choices[1:]):
            raise ValidationError(_l("Kies een verhuurder."))
