"""The landlord portal's form: the status report on a dossier."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from inschrijving.dossiers.models import ChoiceStatus
from inschrijving.landlords.portal.services.status import NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH


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
