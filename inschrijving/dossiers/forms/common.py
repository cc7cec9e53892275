"""Choices and small helpers shared by the dossier forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectMultipleField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from inschrijving import contact
from inschrijving.dossiers.enums import (
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
from inschrijving.dossiers.labels import DWELLING_LABELS, VALUE_LABELS

ROLE_CHOICES = [("", _l("— niet gebruikt —"))] + [
    (role.value, VALUE_LABELS[role])
    for role in (PersonRole.REFERENCE_TENANT, PersonRole.PARTNER, PersonRole.CHILD, PersonRole.OTHER_ADULT)
]
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
DWELLING_CHOICES = list(DWELLING_LABELS.items())
DOCUMENT_KIND_CHOICES = [(kind.value, VALUE_LABELS[kind]) for kind in DocumentKind]
YES_NO = [("yes", _l("Ja")), ("no", _l("Nee"))]


def choices_of(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def normalise_phone(raw: str) -> str:
    """Return a Belgian or international phone number in E.164, or raise ValidationError."""
    try:
        return contact.normalise_phone(raw)
    except ValueError as exc:
        raise ValidationError(_l("Dit telefoonnummer klopt niet. Bijvoorbeeld: 0470 12 34 56.")) from exc


def is_empty(field) -> bool:
    return field.data is None or (isinstance(field.data, str) and not field.data.strip())


def require_filled(field, message) -> bool:
    """Add a 'fill this in' error when a conditionally required field is empty.

    Conditional requirements live in validate() rather than validate_<field>: an Optional() on the
    field would stop the chain before an inline validator could say the field is needed.
    """
    if is_empty(field):
        field.errors.append(message)
        return False
    return True


def optional_int(value):
    return int(value) if value not in (None, "") else None


class StepForm(FlaskForm):
    """Base for every intake step: the dossier version the user started from."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class VersionForm(StepForm):
    """Complete, reopen or withdraw: only the version the user saw."""
