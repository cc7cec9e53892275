"""Coordinators' landlord form: input shape and per-field checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from inschrijving.landlords import services
from inschrijving.landlords.models import Landlord, LandlordKind, Municipality, SubMunicipality

KIND_LABELS = {
    LandlordKind.SHM: _l("Sociale huisvestingsmaatschappij (SHM)"),
    LandlordKind.SVK: _l("Sociaal verhuurkantoor (SVK)"),
    LandlordKind.WOONMAATSCHAPPIJ: _l("Woonmaatschappij"),
}


class LandlordForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=120, message=_l("Te lang."))]
    )
    slug = StringField(
        _l("Korte naam in adressen"),
        validators=[
            DataRequired(_l("Vul een korte naam in.")),
            Length(max=60, message=_l("Hoogstens 60 tekens.")),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Gebruik alleen kleine letters, cijfers en koppeltekens, bijvoorbeeld svk-de-poort."),
            ),
        ],
    )
    kind = RadioField(
        _l("Soort verhuurder"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Kies de soort verhuurder."))],
    )
    contact_email = EmailField(
        _l("E-mailadres voor kandidaten"), validators=[Optional(), Length(max=254, message=_l("Te lang."))]
    )
    contact_phone = StringField(
        _l("Telefoonnummer"), validators=[Optional(), Length(max=32, message=_l("Te lang."))]
    )
    address = StringField(_l("Adres van het kantoor"), validators=[Optional(), Length(max=200, message=_l("Te lang."))])
    municipalities = SelectMultipleField(
        _l("Gemeenten waar deze verhuurder woningen heeft"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    sub_municipalities = SelectMultipleField(
        _l("Of alleen deze deelgemeenten"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    active_from = DateField(_l("Actief vanaf"), validators=[Optional()])
    active_until = DateField(_l("Actief tot en met"), validators=[Optional()])
    successor_id = SelectField(_l("Opgevolgd door"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                               validate_choice=False)
    successor_reads_history = BooleanField(_l("De opvolger mag de dossiers lezen die deze verhuurder ontving"))

    def __init__(
        self,
        *args,
        municipalities: list[Municipality],
        landlord: Landlord | None = None,
        sub_municipalities: list[SubMunicipality] = (),
        landlords: list[Landlord] = (),
        **kwargs,
    ):
        super().__init__(*args, obj=landlord, **kwargs)
        self.municipalities.choices = [SelectChoice(m.id, m.name) for m in municipalities]
        self.sub_municipalities.choices = [SelectChoice(s.id, s.label) for s in sub_municipalities]
        self.successor_id.choices = [SelectChoice(None, _l("Niemand"))] + [
            SelectChoice(lo.id, lo.name) for lo in landlords if landlord is None or lo.id != landlord.id
        ]
        if landlord is not None and not self.is_submitted():
            self.municipalities.data = [m.id for m in landlord.municipalities]
            self.sub_municipalities.data = [s.id for s in landlord.sub_municipalities]
            self.kind.data = landlord.kind.value

    def validate_contact_email(self, field):
        try:
            services.normalise_email(field.data)
        except services.InvalidEmail as exc:
            raise ValidationError(_l("Dit e-mailadres klopt niet. Kijk het na.")) from exc

    def validate_contact_phone(self, field):
        try:
            services.normalise_phone(field.data)
        except services.InvalidPhone as exc:
            raise ValidationError(_l("Dit telefoonnummer klopt niet, bijvoorbeeld 056 12 34 56.")) from exc

    def validate_municipalities(self, field):
        known = {choice.value for choice in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Kies alleen gemeenten uit de lijst."))

    def validate_sub_municipalities(self, field):
        known = {choice.value for choice in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Kies alleen deelgemeenten uit de lijst."))

    def validate_successor_id(self, field):
        known = {choice.value for choice in field.choices}
        if field.data not in known:
            raise ValidationError(_l("Kies een verhuurder uit de lijst."))

    def validate_active_until(self, field):
        if field.data and self.active_from.data and field.data < self.active_from.data:
            raise ValidationError(_l("De einddatum mag niet vóór de begindatum liggen."))

    def to_data(self) -> services.LandlordData:
        return services.LandlordData(
            name=self.name.data,
            slug=self.slug.data,
            kind=LandlordKind(self.kind.data),
            contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data,
            address=self.address.data,
            municipality_ids=tuple(self.municipalities.data or ()),
            active_from=self.active_from.data,
            active_until=self.active_until.data,
            sub_municipality_ids=tuple(self.sub_municipalities.data or ()),
            successor_id=self.successor_id.data,
            successor_reads_history=bool(self.successor_reads_history.data),
        )

    def add_service_error(self, exc: services.LandlordError) -> None:
        """Show a rule only the database can tell (the fields check the rest) next to its field."""
        if isinstance(exc, services.SlugTaken):
            self.slug.errors.append(_l("Deze korte naam is al in gebruik. Kies een andere."))
        elif isinstance(exc, services.InvalidPeriod):
            self.active_until.errors.append(_l("De einddatum mag niet vóór de begindatum liggen."))
        elif isinstance(exc, services.InvalidSuccessor):
            self.successor_id.errors.append(_l("Deze verhuurder kan geen opvolger zijn: kies een andere."))
        elif isinstance(exc, services.UnknownMunicipality):
            self.municipalities.errors.append(_l("Kies alleen gemeenten uit de lijst."))
        elif isinstance(exc, services.InvalidPhone):
            self.contact_phone.errors.append(_l("Dit telefoonnummer klopt niet, bijvoorbeeld 056 12 34 56."))
        else:
            self.contact_email.errors.append(_l("Dit e-mailadres klopt niet. Kijk het na."))
