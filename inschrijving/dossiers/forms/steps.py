"""Intake step forms: input shape and per-field checks. Every step form carries the dossier version."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from inschrijving import contact
from inschrijving.dossiers.enums import IdKind, LanguageLevel, PersonRole, RegisterType
from inschrijving.dossiers.forms.common import (
    DEPENDANT_CHOICES,
    DWELLING_CHOICES,
    EXCEPTION_CHOICES,
    ID_KIND_CHOICES,
    LANGUAGE_LEVEL_CHOICES,
    REGISTER_CHOICES,
    RIGHT_CHOICES,
    ROLE_CHOICES,
    SOURCE_CHOICES,
    YES_NO,
    MultiCheckboxField,
    StepForm,
    choices_of,
    is_empty,
    normalise_phone,
    optional_int,
    require_filled,
)
from inschrijving.dossiers.national_numbers import InvalidNationalNumber, birth_date_agrees, parse_national_number
from inschrijving.validators import AmountField, NumberRange

# --- household -----------------------------------------------------------------------------------


class PersonRowForm(Form):
    person_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    role = SelectField(_l("Rol"), choices=choices_of(ROLE_CHOICES), default="", validate_choice=True)
    first_name = StringField(_l("Voornaam"), validators=[Optional(), Length(max=80)])
    last_name = StringField(_l("Familienaam"), validators=[Optional(), Length(max=80)])
    is_dependant = BooleanField(_l("Persoon ten laste"))
    dependant_reason = SelectField(_l("Waarom ten laste?"), choices=choices_of(DEPENDANT_CHOICES), default="")
    has_recognised_disability = BooleanField(_l("Erkende handicap"))
    is_domiciled = BooleanField(_l("Woont hier (domicilie)"), default=True)
    remove = BooleanField(_l("Verwijderen uit het gezin"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.role.data and not self.remove.data:
            ok = require_filled(self.first_name, _l("Vul de voornaam in.")) and ok
            ok = require_filled(self.last_name, _l("Vul de familienaam in.")) and ok
        return ok

    def validate_role(self, field):
        if not field.data and ((self.first_name.data or "").strip() or (self.last_name.data or "").strip()):
            raise ValidationError(_l("Kies de rol van deze persoon."))

    def validate_dependant_reason(self, field):
        if self.is_dependant.data and not field.data:
            raise ValidationError(_l("Kies waarom deze persoon ten laste is."))


class HouseholdForm(StepForm):
    persons = FieldList(FormField(PersonRowForm))
    contact_phone = StringField(_l("Telefoon"), validators=[Optional(), Length(max=40)])
    contact_email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    language = SelectField(_l("Taal van de kandidaat (voor het bewijs)"))
    family_reunification_expected = IntegerField(
        _l("Personen die nog komen via gezinshereniging"), validators=[Optional(), NumberRange(min=0, max=20)]
    )

    def __init__(self, *args, languages: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices_of(languages.items())

    def validate_contact_phone(self, field):
        if field.data:
            field.data = normalise_phone(field.data)

    def validate_contact_email(self, field):
        if field.data:
            try:
                field.data = contact.normalise_email(field.data)
            except ValueError as exc:
                raise ValidationError(_l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.be.")) from exc

    def validate_persons(self, field):
        live = [row.form for row in field if row.form.role.data and not row.form.remove.data]
        tenants = [f for f in live if f.role.data == PersonRole.REFERENCE_TENANT]
        partners = [f for f in live if f.role.data == PersonRole.PARTNER]
        if len(tenants) != 1:
            raise ValidationError(_l("Een gezin heeft precies één referentiehuurder."))
        if len(partners) > 1:
            raise ValidationError(_l("Een gezin heeft hoogstens één partner."))

    def rows(self) -> list[dict]:
        return [row.form.data for row in self.persons]

    def add_row(self) -> None:
        """One more empty person row ("add person"): the page comes back with what was typed, nothing saved."""
        self.persons.append_entry({"is_domiciled": True})


# --- identity ------------------------------------------------------------------------------------


class IdentityRowForm(Form):
    is_child = False
    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    id_kind = SelectField(
        _l("Soort nummer"), choices=choices_of(ID_KIND_CHOICES), default=IdKind.NATIONAL_NUMBER.value
    )
    national_number = StringField(
        _l("Rijksregister- of BIS-nummer"), validators=[Optional(), Length(max=20)], render_kw={"inputmode": "numeric"}
    )
    foreign_id = StringField(_l("Buitenlands nummer"), validators=[Optional(), Length(max=40)])
    birth_day = IntegerField(_l("Dag"), validators=[Optional(), NumberRange(min=0, max=31)])
    birth_month = IntegerField(_l("Maand"), validators=[Optional(), NumberRange(min=0, max=12)])
    birth_year = IntegerField(_l("Jaar"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    register_type = SelectField(
        _l("Register"), choices=choices_of(REGISTER_CHOICES), default=RegisterType.UNKNOWN.value
    )
    is_emancipated = BooleanField(_l("Ontvoogd (met vonnis)"))
    has_guided_living = BooleanField(_l("Begeleid zelfstandig wonen (met attest)"))
    language_level = SelectField(
        _l("Kennis Nederlands (ter info)"),
        choices=choices_of(LANGUAGE_LEVEL_CHOICES),
        default=LanguageLevel.UNKNOWN.value,
    )

    def validate(self, extra_validators=None):
        if self.id_kind.data == IdKind.NONE and not is_empty(self.national_number):
            # A typed number counts even when the kind was left on "no number yet".
            self.id_kind.data = IdKind.NATIONAL_NUMBER.value
        elif self.id_kind.data == IdKind.NATIONAL_NUMBER and is_empty(self.national_number) and self.is_child:
            # The kind starts on rijksregisternummer; a child's number left empty is "no number yet"
            # (the checklist asks numbers of adults only).
            self.id_kind.data = IdKind.NONE.value
        ok = super().validate(extra_validators)
        if self.id_kind.data in (IdKind.NATIONAL_NUMBER, IdKind.BIS_NUMBER):
            ok = require_filled(self.national_number, _l("Vul het nummer in, of kies 'Nog geen nummer'.")) and ok
        if self.id_kind.data == IdKind.FOREIGN_ID:
            ok = require_filled(self.foreign_id, _l("Vul het buitenlandse nummer in.")) and ok
        return ok

    def validate_national_number(self, field):
        if self.id_kind.data not in (IdKind.NATIONAL_NUMBER, IdKind.BIS_NUMBER):
            return
        try:
            parsed = parse_national_number(field.data)
        except InvalidNationalNumber as exc:
            raise ValidationError(str(exc)) from exc
        if not birth_date_agrees(
            parsed, self.birth_year.data, self.birth_month.data or None, self.birth_day.data or None
        ):
            raise ValidationError(
                _l("De geboortedatum past niet bij dit nummer. Kijk het nummer en de geboortedatum na.")
            )

    def validate_birth_day(self, field):
        if field.data and not self.birth_month.data:
            raise ValidationError(_l("Een dag zonder maand kan niet. Laat de dag leeg of vul 0 in."))


class IdentityForm(StepForm):
    rows = FieldList(FormField(IdentityRowForm))

    def __init__(self, *args, children: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in self.rows:
            row.form.is_child = row.form.person_id.data in children


# --- income --------------------------------------------------------------------------------------


def _money(label, hint=None):
    return AmountField(label, validators=[Optional(), NumberRange(min=0, max=Decimal("9999999"))], description=hint)


class IncomeRowForm(Form):
    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    income_year = IntegerField(_l("Inkomensjaar"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    taxable_total = _money(
        _l("Totaal belastbaar inkomen"),
        _l("Op het aanslagbiljet: 'Gezamenlijk belastbaar inkomen' of 'Totaal belastbaar inkomen', bij de "
           "berekening van de belasting, in de kolom van deze persoon."),
    )
    separately_taxed = _money(
        _l("Afzonderlijk belast inkomen"),
        _l("Op het aanslagbiljet: 'Afzonderlijk belastbare inkomsten', vlak onder het gezamenlijk belastbaar inkomen."),
    )
    leefloon = _money(_l("Leefloon"))
    ivt = _money(_l("Inkomensvervangende tegemoetkoming (IVT)"))
    foreign_exempt = _money(_l("Vrijgesteld buitenlands inkomen"))
    source = SelectField(_l("Bron"), choices=choices_of(SOURCE_CHOICES), default="")
    uses_current_income = BooleanField(_l("Huidig inkomen gebruiken (hoger of geen inkomen in dat jaar)"))
    current_income_months = SelectField(
        _l("Periode huidig inkomen"),
        choices=choices_of([("", _l("— kies —")), ("3", _l("3 maanden")), ("6", _l("6 maanden"))]),
        coerce=optional_int,
        validate_choice=False,
    )
    current_income_amount = _money(_l("Inkomen in die periode (samen)"))
    in_debt_settlement = BooleanField(_l("Collectieve schuldenregeling of budgetbeheer"))
    disposable_income = _money(_l("Beschikbaar inkomen per jaar"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.taxable_total.data is not None:
            ok = require_filled(self.income_year, _l("Vul het inkomensjaar in.")) and ok
        if self.uses_current_income.data:
            if self.current_income_months.data not in (3, 6):
                self.current_income_months.errors.append(_l("Kies 3 of 6 maanden."))
                ok = False
            ok = require_filled(self.current_income_amount, _l("Vul het inkomen van die periode in.")) and ok
        if self.in_debt_settlement.data:
            ok = require_filled(self.disposable_income, _l("Vul het beschikbaar inkomen in.")) and ok
        return ok


class IncomeForm(StepForm):
    rows = FieldList(FormField(IncomeRowForm))


# --- means test, property, addresses -------------------------------------------------------------


class MeansTestForm(StepForm):
    total_balances = AmountField(
        _l("Totaal op alle rekeningen (zicht, spaar, termijn, effecten)"),
        validators=[InputRequired(_l("Vul het bedrag in, ook als het 0 is.")), NumberRange(min=0)],
    )
    excluded_amount = AmountField(
        _l("Daarvan niet beschikbaar (beslag, geblokkeerd)"), validators=[Optional(), NumberRange(min=0)]
    )
    declared_on = DateField(_l("Datum van de verklaring"), validators=[DataRequired(_l("Vul de datum in."))])

    def validate_excluded_amount(self, field):
        if field.data and self.total_balances.data is not None and field.data > self.total_balances.data:
            raise ValidationError(_l("Dit kan niet meer zijn dan het totaal."))


class PropertyRowForm(Form):
    item_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    person_id = SelectField(_l("Van wie"), coerce=optional_int, validate_choice=False)
    country = SelectField(_l("Land"), default="BE", validate_choice=True)
    right_type = SelectField(_l("Welk recht"), choices=choices_of(RIGHT_CHOICES), default="")
    share_pct = DecimalField(_l("Deel in %"), places=2, validators=[Optional(), NumberRange(min=0, max=100)])
    exception = SelectField(_l("Uitzondering"), choices=choices_of(EXCEPTION_CHOICES), default="")
    note = StringField(_l("Uitleg"), validators=[Optional(), Length(max=500)])
    remove = BooleanField(_l("Verwijderen"))


class PropertyForm(StepForm):
    has_property = RadioField(
        _l("Heeft iemand van het gezin een woning of grond, in België of in het buitenland?"),
        choices=choices_of(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    items = FieldList(FormField(PropertyRowForm))

    def __init__(self, *args, people: list[tuple[int | None, str]], countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for row in self.items:
            row.form.person_id.choices = choices_of(people)
            row.form.country.choices = choices_of(countries)

    def validate_items(self, field):
        if self.has_property.data == "yes" and not any(
            row.form.right_type.data and not row.form.remove.data for row in field
        ):
            raise ValidationError(_l("Vul minstens één eigendom in, of kies 'Nee'."))


class AddressRowForm(Form):
    entry_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    municipality_name = StringField(_l("Gemeente"), validators=[Optional(), Length(max=80)])
    from_on = DateField(_l("Van"), validators=[Optional()])
    until_on = DateField(_l("Tot (leeg = nu)"), validators=[Optional()])
    remove = BooleanField(_l("Verwijderen"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (self.municipality_name.data or "").strip() and not self.remove.data:
            ok = require_filled(self.from_on, _l("Vul in vanaf wanneer.")) and ok
        return ok

    def validate_until_on(self, field):
        if field.data and self.from_on.data and field.data < self.from_on.data:
            raise ValidationError(_l("De einddatum ligt voor de begindatum."))


class AddressesForm(StepForm):
    rows = FieldList(FormField(AddressRowForm))


# --- preferences, landlords, health, CIR, completion ---------------------------------------------


class PreferencesForm(StepForm):
    municipalities = MultiCheckboxField(_l("Gemeenten"), coerce=int)
    # Landlords' areas follow deelgemeenten: a household can want only Bellegem, not all of Kortrijk.
    sub_municipalities = MultiCheckboxField(_l("Deelgemeenten"), coerce=int)
    dwelling_types = MultiCheckboxField(_l("Soort woning"), choices=choices_of(DWELLING_CHOICES))
    bedrooms_min = IntegerField(_l("Slaapkamers: minstens"), validators=[Optional(), NumberRange(min=0, max=8)])
    bedrooms_max = IntegerField(_l("Slaapkamers: hoogstens"), validators=[Optional(), NumberRange(min=0, max=8)])
    max_rent = AmountField(_l("Hoogste huur per maand (€)"), validators=[Optional(), NumberRange(min=0)])
    needs_ground_floor = BooleanField(_l("Gelijkvloers nodig"))
    needs_lift = BooleanField(_l("Lift nodig"))
    needs_wheelchair = BooleanField(_l("Aangepast voor een rolstoel"))
    remarks = TextAreaField(_l("Opmerkingen"), validators=[Optional(), Length(max=2000)])

    def __init__(
        self, *args, municipalities: list[tuple[int, str]], sub_municipalities: list[tuple[int, str]] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.municipalities.choices = choices_of(municipalities)
        self.sub_municipalities.choices = choices_of(sub_municipalities)

    def validate_municipalities(self, field):
        if not field.data and not self.sub_municipalities.data:
            raise ValidationError(_l("Kies minstens één gemeente."))

    def validate_bedrooms_max(self, field):
        if field.data is not None and self.bedrooms_min.data is not None and field.data < self.bedrooms_min.data:
            raise ValidationError(_l("Het maximum is kleiner dan het minimum."))


class LandlordsForm(StepForm):
    landlords = MultiCheckboxField(_l("Delen met"), coerce=int)
    consent_read = BooleanField(_l("Ik las de toestemming voor en de kandidaat gaat akkoord"))

    def __init__(self, *args, offered: list[tuple[int, str]], has_chosen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.landlords.choices = choices_of(offered)
        self.has_chosen = has_chosen

    def validate_landlords(self, field):
        if not field.data and not self.has_chosen:
            raise ValidationError(_l("Kies minstens één verhuurder."))

    def validate_consent_read(self, field):
        # A ticked landlord is never dropped in silence: without the read-out box the page comes back.
        if self.landlords.data and not field.data:
            raise ValidationError(_l("Lees de toestemming voor en vink aan dat de kandidaat akkoord gaat."))


class HealthConsentForm(StepForm):
    consent_read = BooleanField(_l("Ik las deze aparte toestemming voor en de kandidaat gaat uitdrukkelijk akkoord"))

    def validate_consent_read(self, field):
        if not field.data:
            raise ValidationError(_l("Vink aan dat de kandidaat uitdrukkelijk akkoord gaat."))


class CirForm(StepForm):
    cir_registered = RadioField(
        _l("Werd de kandidaat tijdens de afspraak ingeschreven in het centraal register (CIR)?"),
        choices=choices_of(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    cir_registered_on = DateField(_l("Datum van inschrijving in het CIR"), validators=[Optional()])
    cir_reference = StringField(_l("Referentie of volgnummer in het CIR"), validators=[Optional(), Length(max=60)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.cir_registered.data == "yes":
            ok = require_filled(self.cir_registered_on, _l("Vul de datum van inschrijving in.")) and ok
        return ok
