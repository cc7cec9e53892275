"""The yearly income limits form (coordinators)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.validators import AmountField, NumberRange


class IncomeLimitForm(FlaskForm):
    year = IntegerField(_l("Inschrijvingsjaar"), validators=[InputRequired(), NumberRange(min=2020, max=2100)])
    single = AmountField(_l("Alleenstaande"), validators=[InputRequired(), NumberRange(min=1)])
    single_disabled = AmountField(
        _l("Alleenstaande met een handicap"), validators=[InputRequired(), NumberRange(min=1)]
    )
    other = AmountField(_l("Andere gezinnen"), validators=[InputRequired(), NumberRange(min=1)])
    per_dependant = AmountField(
        _l("Per persoon ten laste"), validators=[InputRequired(), NumberRange(min=0)]
    )
    indexation = TextAreaField(
        _l("Indexering per inkomensjaar (één per lijn: jaar=factor)"), validators=[Optional(), Length(max=500)]
    )
    source = TextAreaField(
        _l("Bron (publicatie, link, datum)"), validators=[DataRequired(_l("Vul de bron in.")), Length(max=2000)]
    )

    def __init__(self, *args, existing: IncomeLimit | None = None, year: int | None = None, **kwargs):
        if existing is None and year is not None:
            kwargs["data"] = {"year": year}
        if existing is not None:
            kwargs["data"] = {
                "year": existing.year,
                "single": existing.single,
                "single_disabled": existing.single_disabled,
                "other": existing.other,
                "per_dependant": existing.per_dependant,
                "indexation": "\n".join(f"{k}={v}" for k, v in sorted((existing.indexation or {}).items())),
                "source": existing.source,
            }
        super().__init__(*args, **kwargs)
        # An empty optional field skips its validator: without this default an empty indexation was a 500.
        self.parsed_indexation: dict[int, Decimal] = {}

    def validate_indexation(self, field):
        self.parsed_indexation = {}
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            year, sep, factor = line.partition("=")
            try:
                parsed_year = int(year.strip())
                parsed_factor = Decimal(factor.strip().replace(",", "."))
            except (ValueError, ArithmeticError) as exc:
                raise ValidationError(_l("Schrijf elke lijn als jaar=factor, bijvoorbeeld 2022=1,0523.")) from exc
            if not sep or not (Decimal("0.5") <= parsed_factor <= Decimal(3)):
                raise ValidationError(_l("Schrijf elke lijn als jaar=factor, bijvoorbeeld 2022=1,0523."))
            self.parsed_indexation[parsed_year] = parsed_factor
