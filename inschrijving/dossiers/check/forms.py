"""The anonymous /check questions: input shape and per-field checks."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from inschrijving.dossiers.forms.common import (
    YES_NO,
    choices_of,
)
from inschrijving.validators import NumberRange


class CheckForm(FlaskForm):
    """The anonymous /check: a few questions, nothing stored."""

    class Meta:
        csrf = False  # stores nothing and changes nothing; a GET form that can be bookmarked

    adult = RadioField(
        _l("Bent u 18 jaar of ouder?"), choices=choices_of(YES_NO), validators=[InputRequired(_l("Kies ja of nee."))]
    )
    registered = RadioField(
        _l("Staat u ingeschreven in het bevolkings- of vreemdelingenregister van een Belgische gemeente?"),
        choices=choices_of(
            [
                ("yes", _l("Ja")),
                ("no", _l("Nee, in het wachtregister of geschrapt")),
                ("unknown", _l("Ik weet het niet")),
            ]
        ),
        validators=[InputRequired(_l("Kies een antwoord."))],
    )
    partner = RadioField(
        _l("Woont u samen met een partner?"),
        choices=choices_of(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    dependants = IntegerField(
        _l("Hoeveel kinderen of andere personen zijn ten laste?"),
        default=0,
        validators=[InputRequired(_l("Vul een getal in, 0 mag.")), NumberRange(min=0, max=20)],
    )
    disabled_children = IntegerField(
        _l("Hoeveel van hen zijn kinderen met een erkende handicap?"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=20)],
    )
    disabled = RadioField(
        _l("Hebt u zelf een erkende handicap?"),
        choices=choices_of(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    income = DecimalField(
        _l("Belastbaar inkomen van u en uw partner samen, in één jaar"),
        places=0,
        validators=[InputRequired(_l("Vul een bedrag in, 0 mag.")), NumberRange(min=0, max=Decimal("9999999"))],
    )
    savings = DecimalField(
        _l("Spaargeld en geld op rekeningen, samen"),
        places=0,
        validators=[InputRequired(_l("Vul een bedrag in, 0 mag.")), NumberRange(min=0, max=Decimal("99999999"))],
    )
    property = RadioField(
        _l("Hebt u of uw partner een woning of grond, in België of in het buitenland?"),
        choices=choices_of(
            [
                ("no", _l("Nee")),
                ("yes", _l("Ja")),
                ("exception", _l("Ja, maar ik kan er niet wonen (onbewoonbaar, erfenis, ex-partner woont er)")),
            ]
        ),
        validators=[InputRequired(_l("Kies een antwoord."))],
    )

    def validate_disabled_children(self, field):
        if field.data and self.dependants.data is not None and field.data > self.dependants.data:
            raise ValidationError(_l("Dat zijn meer dan het aantal personen ten laste."))
