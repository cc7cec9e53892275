"""Intake forms: input shape and per-field checks. Every step form carries the dossier version."""

from __future__ import annotations

from decimal import Decimal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
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
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from inschrijving.dossiers.models import (
    DependantReason,
    DocumentKind,
    IdKind,
    IncomeSource,
    LanguageLevel,
    PersonRole,
    PropertyException,
    PropertyRight,
    RegisterType,
)
from inschrijving.dossiers.national_numbers import InvalidNationalNumber, birth_date_agrees, parse_national_number

ROLE_CHOICES = [
    ("", _l("— niet gebruikt —")),
    (PersonRole.REFERENCE_TENANT.value, _l("Referentiehuurder")),
    (PersonRole.PARTNER.value, _l("Partner")),
    (PersonRole.CHILD.value, _l("Kind")),
    (PersonRole.OTHER_ADULT.value, _l("Andere volwassene")),
]
ROLE_LABELS = dict(ROLE_CHOICES)
DEPENDANT_CHOICES = [
    ("", _l("— kies —")),
    (DependantReason.MINOR_DOMICILED.value, _l("Minderjarig en hier gedomicilieerd")),
    (DependantReason.CHILD_BENEFIT.value, _l("Krijgt groeipakket (kinderbijslag)")),
    (DependantReason.CO_PARENTING.value, _l("Co-ouderschap of bezoekrecht")),
    (DependantReason.DISABILITY.value, _l("Volwassene met een erkende handicap")),
]
ID_KIND_CHOICES = [
    (IdKind.NATIONAL_NUMBER.value, _l("Rijksregisternummer")),
    (IdKind.BIS_NUMBER.value, _l("BIS-nummer")),
    (IdKind.FOREIGN_ID.value, _l("Buitenlands identiteitsnummer")),
    (IdKind.NONE.value, _l("Nog geen nummer")),
]
REGISTER_CHOICES = [
    (RegisterType.UNKNOWN.value, _l("— nog niet bekend —")),
    (RegisterType.POPULATION.value, _l("Bevolkingsregister")),
    (RegisterType.FOREIGNERS.value, _l("Vreemdelingenregister")),
    (RegisterType.REFERENCE_ADDRESS.value, _l("Referentieadres")),
    (RegisterType.REFUGEE_ATTEST.value, _l("Erkend vluchteling, nog niet ingeschreven")),
    (RegisterType.WAITING.value, _l("Wachtregister")),
    (RegisterType.STRUCK_OFF.value, _l("Ambtshalve geschrapt")),
]
LANGUAGE_LEVEL_CHOICES = [
    (LanguageLevel.UNKNOWN.value, _l("Niet bekend")),
    (LanguageLevel.NONE.value, _l("Geen Nederlands")),
    (LanguageLevel.A1.value, "A1"),
    (LanguageLevel.A2.value, "A2"),
    (LanguageLevel.B1_PLUS.value, _l("B1 of hoger")),
]
SOURCE_CHOICES = [
    ("", _l("— kies —")),
    (IncomeSource.ASSESSMENT.value, _l("Aanslagbiljet")),
    (IncomeSource.KSZ.value, _l("Elektronisch (KSZ)")),
    (IncomeSource.PAYSLIPS.value, _l("Loonfiches of attesten")),
    (IncomeSource.DECLARATION_ON_HONOUR.value, _l("Verklaring op eer")),
]
RIGHT_CHOICES = [
    ("", _l("— geen —")),
    (PropertyRight.FULL_OWNERSHIP.value, _l("Volle eigendom (ook een deel)")),
    (PropertyRight.USUFRUCT.value, _l("Vruchtgebruik")),
    (PropertyRight.LONG_LEASE.value, _l("Erfpacht")),
    (PropertyRight.BUILDING_RIGHT.value, _l("Opstal")),
    (PropertyRight.GIVEN_AWAY_RIGHT.value, _l("Recht weggegeven (bv. vruchtgebruik aan iemand anders)")),
    (PropertyRight.VIA_COMPANY.value, _l("Via een vennootschap")),
]
EXCEPTION_CHOICES = [
    ("", _l("— geen uitzondering —")),
    (PropertyException.ZONING.value, _l("Ligt in een zone waar wonen niet mag")),
    (PropertyException.UNINHABITABLE.value, _l("Onbewoonbaar of ongeschikt verklaard")),
    (PropertyException.INHERITANCE.value, _l("Deel van een erfenis")),
    (PropertyException.EX_PARTNER.value, _l("Ex-partner woont er")),
    (PropertyException.OTHER.value, _l("Andere reden")),
]
DWELLING_CHOICES = [
    ("house", _l("Huis")),
    ("flat", _l("Appartement")),
    ("studio", _l("Studio")),
    ("senior", _l("Woning voor 65-plussers")),
]
DOCUMENT_KIND_CHOICES = [
    (DocumentKind.IDENTITY.value, _l("Identiteitskaart of verblijfsdocument")),
    (DocumentKind.INCOME_PROOF.value, _l("Bewijs van inkomen")),
    (DocumentKind.HOUSEHOLD_COMPOSITION.value, _l("Gezinssamenstelling")),
    (DocumentKind.DISABILITY_ATTEST.value, _l("Attest handicap")),
    (DocumentKind.LANGUAGE_PROOF.value, _l("Bewijs van Nederlands")),
    (DocumentKind.DEBT_SETTLEMENT.value, _l("Schuldenregeling")),
    (DocumentKind.PROPERTY_EXCEPTION.value, _l("Bewijs uitzondering eigendom")),
    (DocumentKind.OTHER.value, _l("Ander document")),
]
DOCUMENT_KIND_LABELS = dict(DOCUMENT_KIND_CHOICES)
YES_NO = [("yes", _l("Ja")), ("no", _l("Nee"))]


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def normalise_phone(raw: str) -> str:
    """Return a Belgian or international phone number in E.164, or raise ValidationError."""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 0470 12 34 56.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 0470 12 34 56."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _empty(field) -> bool:
    return field.data is None or (isinstance(field.data, str) and not field.data.strip())


def _require(field, message) -> bool:
    """Add a 'fill this in' error when a conditionally required field is empty.

    Conditional requirements live in validate() rather than validate_<field>: an Optional() on the
    field would stop the chain before an inline validator could say the field is needed.
    """
    if _empty(field):
        field.errors.append(message)
        return False
    return True


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class StepForm(FlaskForm):
    """Base for every intake step: the dossier version the user started from."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


# --- household -----------------------------------------------------------------------------------


class PersonRowForm(Form):
    person_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    role = SelectField(_l("Rol"), choices=_choices(ROLE_CHOICES), default="", validate_choice=True)
    first_name = StringField(_l("Voornaam"), validators=[Optional(), Length(max=80)])
    last_name = StringField(_l("Familienaam"), validators=[Optional(), Length(max=80)])
    is_dependant = BooleanField(_l("Persoon ten laste"))
    dependant_reason = SelectField(_l("Waarom ten laste?"), choices=_choices(DEPENDANT_CHOICES), default="")
    has_recognised_disability = BooleanField(_l("Erkende handicap"))
    is_domiciled = BooleanField(_l("Woont hier (domicilie)"), default=True)
    remove = BooleanField(_l("Verwijderen uit het gezin"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.role.data and not self.remove.data:
            ok = _require(self.first_name, _l("Vul de voornaam in.")) and ok
            ok = _require(self.last_name, _l("Vul de familienaam in.")) and ok
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
        self.language.choices = _choices(languages.items())

    def validate_contact_phone(self, field):
        if field.data:
            field.data = normalise_phone(field.data)

    def validate_contact_email(self, field):
        if field.data:
            try:
                field.data = validate_email(field.data, check_deliverability=False).normalized
            except EmailNotValidError as exc:
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


# --- identity ------------------------------------------------------------------------------------


class IdentityRowForm(Form):
    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    id_kind = SelectField(_l("Soort nummer"), choices=_choices(ID_KIND_CHOICES), default=IdKind.NONE.value)
    national_number = StringField(
        _l("Rijksregister- of BIS-nummer"), validators=[Optional(), Length(max=20)], render_kw={"inputmode": "numeric"}
    )
    foreign_id = StringField(_l("Buitenlands nummer"), validators=[Optional(), Length(max=40)])
    birth_day = IntegerField(_l("Dag"), validators=[Optional(), NumberRange(min=0, max=31)])
    birth_month = IntegerField(_l("Maand"), validators=[Optional(), NumberRange(min=0, max=12)])
    birth_year = IntegerField(_l("Jaar"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    register_type = SelectField(_l("Register"), choices=_choices(REGISTER_CHOICES), default=RegisterType.UNKNOWN.value)
    is_emancipated = BooleanField(_l("Ontvoogd (met vonnis)"))
    has_guided_living = BooleanField(_l("Begeleid zelfstandig wonen (met attest)"))
    language_level = SelectField(
        _l("Kennis Nederlands (ter info)"),
        choices=_choices(LANGUAGE_LEVEL_CHOICES),
        default=LanguageLevel.UNKNOWN.value,
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.id_kind.data in (IdKind.NATIONAL_NUMBER, IdKind.BIS_NUMBER):
            ok = _require(self.national_number, _l("Vul het nummer in, of kies 'Nog geen nummer'.")) and ok
        if self.id_kind.data == IdKind.FOREIGN_ID:
            ok = _require(self.foreign_id, _l("Vul het buitenlandse nummer in.")) and ok
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


# --- income --------------------------------------------------------------------------------------


def _money(label):
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(min=0, max=Decimal("9999999"))])


class IncomeRowForm(Form):
    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    income_year = IntegerField(_l("Inkomensjaar"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    taxable_total = _money(_l("Totaal belastbaar inkomen"))
    separately_taxed = _money(_l("Afzonderlijk belast inkomen"))
    leefloon = _money(_l("Leefloon"))
    ivt = _money(_l("Inkomensvervangende tegemoetkoming (IVT)"))
    foreign_exempt = _money(_l("Vrijgesteld buitenlands inkomen"))
    source = SelectField(_l("Bron"), choices=_choices(SOURCE_CHOICES), default="")
    uses_current_income = BooleanField(_l("Huidig inkomen gebruiken (hoger of geen inkomen in dat jaar)"))
    current_income_months = SelectField(
        _l("Periode huidig inkomen"),
        choices=_choices([("", _l("— kies —")), ("3", _l("3 maanden")), ("6", _l("6 maanden"))]),
        coerce=_optional_int,
        validate_choice=False,
    )
    current_income_amount = _money(_l("Inkomen in die periode (samen)"))
    in_debt_settlement = BooleanField(_l("Collectieve schuldenregeling of budgetbeheer"))
    disposable_income = _money(_l("Beschikbaar inkomen per jaar"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.taxable_total.data is not None:
            ok = _require(self.income_year, _l("Vul het inkomensjaar in.")) and ok
        if self.uses_current_income.data:
            if self.current_income_months.data not in (3, 6):
                self.current_income_months.errors.append(_l("Kies 3 of 6 maanden."))
                ok = False
            ok = _require(self.current_income_amount, _l("Vul het inkomen van die periode in.")) and ok
        if self.in_debt_settlement.data:
            ok = _require(self.disposable_income, _l("Vul het beschikbaar inkomen in.")) and ok
        return ok


class IncomeForm(StepForm):
    rows = FieldList(FormField(IncomeRowForm))


# --- means test, property, addresses -------------------------------------------------------------


class MeansTestForm(StepForm):
    total_balances = DecimalField(
        _l("Totaal op alle rekeningen (zicht, spaar, termijn, effecten)"),
        places=2,
        validators=[InputRequired(_l("Vul het bedrag in, ook als het 0 is.")), NumberRange(min=0)],
    )
    excluded_amount = DecimalField(
        _l("Daarvan niet beschikbaar (beslag, geblokkeerd)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    declared_on = DateField(_l("Datum van de verklaring"), validators=[DataRequired(_l("Vul de datum in."))])

    def validate_excluded_amount(self, field):
        if field.data and self.total_balances.data is not None and field.data > self.total_balances.data:
            raise ValidationError(_l("Dit kan niet meer zijn dan het totaal."))


class PropertyRowForm(Form):
    item_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    person_id = SelectField(_l("Van wie"), coerce=_optional_int, validate_choice=False)
    country = StringField(_l("Land (2 letters)"), default="BE", validators=[Optional(), Length(min=2, max=2)])
    right_type = SelectField(_l("Welk recht"), choices=_choices(RIGHT_CHOICES), default="")
    share_pct = DecimalField(_l("Deel in %"), places=2, validators=[Optional(), NumberRange(min=0, max=100)])
    exception = SelectField(_l("Uitzondering"), choices=_choices(EXCEPTION_CHOICES), default="")
    note = StringField(_l("Uitleg"), validators=[Optional(), Length(max=500)])
    remove = BooleanField(_l("Verwijderen"))


class PropertyForm(StepForm):
    has_property = RadioField(
        _l("Heeft iemand van het gezin een woning of grond, in België of in het buitenland?"),
        choices=_choices(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    items = FieldList(FormField(PropertyRowForm))

    def __init__(self, *args, people: list[tuple[int | None, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for row in self.items:
            row.form.person_id.choices = _choices(people)

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
            ok = _require(self.from_on, _l("Vul in vanaf wanneer.")) and ok
        return ok

    def validate_until_on(self, field):
        if field.data and self.from_on.data and field.data < self.from_on.data:
            raise ValidationError(_l("De einddatum ligt voor de begindatum."))


class AddressesForm(StepForm):
    rows = FieldList(FormField(AddressRowForm))


# --- preferences, landlords, health, CIR, completion ---------------------------------------------


class PreferencesForm(StepForm):
    municipalities = MultiCheckboxField(_l("Gemeenten"), coerce=int)
    dwelling_types = MultiCheckboxField(_l("Soort woning"), choices=_choices(DWELLING_CHOICES))
    bedrooms_min = IntegerField(_l("Slaapkamers: minstens"), validators=[Optional(), NumberRange(min=0, max=8)])
    bedrooms_max = IntegerField(_l("Slaapkamers: hoogstens"), validators=[Optional(), NumberRange(min=0, max=8)])
    max_rent = DecimalField(_l("Hoogste huur per maand (€)"), places=2, validators=[Optional(), NumberRange(min=0)])
    needs_ground_floor = BooleanField(_l("Gelijkvloers nodig"))
    needs_lift = BooleanField(_l("Lift nodig"))
    needs_wheelchair = BooleanField(_l("Aangepast voor een rolstoel"))
    remarks = TextAreaField(_l("Opmerkingen"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, municipalities: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities.choices = _choices(municipalities)

    def validate_municipalities(self, field):
        if not field.data:
            raise ValidationError(_l("Kies minstens één gemeente."))

    def validate_bedrooms_max(self, field):
        if field.data is not None and self.bedrooms_min.data is not None and field.data < self.bedrooms_min.data:
            raise ValidationError(_l("Het maximum is kleiner dan het minimum."))


class LandlordsForm(StepForm):
    landlords = MultiCheckboxField(_l("Delen met"), coerce=int)
    consent_read = BooleanField(_l("Ik las de toestemming voor en de kandidaat gaat akkoord"))

    def __init__(self, *args, offered: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.landlords.choices = _choices(offered)

    def validate_landlords(self, field):
        if not field.data:
            raise ValidationError(_l("Kies minstens één verhuurder."))

    def validate_consent_read(self, field):
        if not field.data:
            raise ValidationError(_l("Lees de toestemming voor en vink aan dat de kandidaat akkoord gaat."))


class HealthConsentForm(StepForm):
    consent_read = BooleanField(_l("Ik las deze aparte toestemming voor en de kandidaat gaat uitdrukkelijk akkoord"))

    def validate_consent_read(self, field):
        if not field.data:
            raise ValidationError(_l("Vink aan dat de kandidaat uitdrukkelijk akkoord gaat."))


class CirForm(StepForm):
    cir_registered = RadioField(
        _l("Werd de kandidaat tijdens de afspraak ingeschreven in het centraal register (CIR)?"),
        choices=_choices(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    cir_registered_on = DateField(_l("Datum van inschrijving in het CIR"), validators=[Optional()])
    cir_reference = StringField(_l("Referentie of volgnummer in het CIR"), validators=[Optional(), Length(max=60)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.cir_registered.data == "yes":
            ok = _require(self.cir_registered_on, _l("Vul de datum van inschrijving in.")) and ok
        return ok


class VersionForm(StepForm):
    """Complete, reopen or withdraw: only the version the user saw."""


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Soort document"), choices=_choices(DOCUMENT_KIND_CHOICES), default=DocumentKind.OTHER.value)
    person_id = SelectField(_l("Van wie"), coerce=_optional_int, validate_choice=False)
    file = FileField(
        _l("Bestand (PDF of foto)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png,image/gif,image/tiff"},
    )

    def __init__(self, *args, people: list[tuple[int | None, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = _choices(people)


# --- yearly limits -------------------------------------------------------------------------------


class IncomeLimitForm(FlaskForm):
    year = IntegerField(_l("Inschrijvingsjaar"), validators=[InputRequired(), NumberRange(min=2020, max=2100)])
    single = DecimalField(_l("Alleenstaande"), places=2, validators=[InputRequired(), NumberRange(min=1)])
    single_disabled = DecimalField(
        _l("Alleenstaande met een handicap"), places=2, validators=[InputRequired(), NumberRange(min=1)]
    )
    other = DecimalField(_l("Andere gezinnen"), places=2, validators=[InputRequired(), NumberRange(min=1)])
    per_dependant = DecimalField(
        _l("Per persoon ten laste"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    indexation = TextAreaField(
        _l("Indexering per inkomensjaar (één per lijn: jaar=factor)"), validators=[Optional(), Length(max=500)]
    )
    source = TextAreaField(
        _l("Bron (publicatie, link, datum)"), validators=[DataRequired(_l("Vul de bron in.")), Length(max=2000)]
    )

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


# --- public check --------------------------------------------------------------------------------


class CheckForm(FlaskForm):
    """The anonymous /check: a few questions, nothing stored."""

    class Meta:
        csrf = False  # stores nothing and changes nothing; a GET form that can be bookmarked

    adult = RadioField(
        _l("Bent u 18 jaar of ouder?"), choices=_choices(YES_NO), validators=[InputRequired(_l("Kies ja of nee."))]
    )
    registered = RadioField(
        _l("Staat u ingeschreven in het bevolkings- of vreemdelingenregister van een Belgische gemeente?"),
        choices=_choices(
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
        choices=_choices(YES_NO),
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
        choices=_choices(YES_NO),
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    income = DecimalField(
        _l("Belastbaar inkomen van u en uw partner samen, per jaar (zie aanslagbiljet van 3 jaar geleden)"),
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
        choices=_choices(
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
