"""Forms of the landlord portal and of the coordinators' API key page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from inschrijving.dossiers.models import ChoiceStatus
from inschrijving.landlords.portal import NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH


class StatusForm(FlaskForm):
    status = RadioField(
        _l("Wat deed u met dit dossier?"),
        choices=[
            SelectChoice(ChoiceStatus.REGISTERED.value, _l("Ingeschreven")),
            SelectChoice(ChoiceStatus.INCOMPLETE.value, _l("Onvolledig: er ontbreekt iets")),
            SelectChoice(ChoiceStatus.REFUSED.value, _l("Geweigerd")),
        ],
        validators=[DataRequired(message=_l("Kies wat u met dit dossier deed."))],
    )
    reference = StringField(_l("Uw inschrijvingsnummer"), validators=[Optional(), Length(max=REFERENCE_MAX_LENGTH)])
    registered_on = DateField(
        _l("Datum van inschrijving"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    note = TextAreaField(
        _l("Wat ontbreekt er, of waarom weigert u?"), validators=[Optional(), Length(max=NOTE_MAX_LENGTH)]
    )


class ApiTokenForm(FlaskForm):
    landlord_id = SelectField(
        _l("Verhuurder"), coerce=int, validators=[DataRequired(message=_l("Kies een verhuurder."))]
    )
    label = StringField(
        _l("Naam van de sleutel"),
        validators=[DataRequired(message=_l("Geef de sleutel een naam.")), Length(max=80)],
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
