"""Dutch labels for the dossier values that landlords read in pages, packets and CSV exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from inschrijving.dossiers.models import (
    ChoiceStatus,
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

LABELS = {
    ChoiceStatus.NEW: _l("Nieuw"),
    ChoiceStatus.DOWNLOADED: _l("Gedownload"),
    ChoiceStatus.REGISTERED: _l("Ingeschreven"),
    ChoiceStatus.INCOMPLETE: _l("Onvolledig"),
    ChoiceStatus.REFUSED: _l("Geweigerd"),
    PersonRole.REFERENCE_TENANT: _l("Referentiehuurder"),
    PersonRole.PARTNER: _l("Partner"),
    PersonRole.CHILD: _l("Kind"),
    PersonRole.OTHER_ADULT: _l("Andere volwassene"),
    IdKind.NATIONAL_NUMBER: _l("Rijksregisternummer"),
    IdKind.BIS_NUMBER: _l("BIS-nummer"),
    IdKind.FOREIGN_ID: _l("Buitenlands identiteitsbewijs"),
    IdKind.NONE: _l("Geen"),
    RegisterType.POPULATION: _l("Bevolkingsregister"),
    RegisterType.FOREIGNERS: _l("Vreemdelingenregister"),
    RegisterType.REFERENCE_ADDRESS: _l("Referentieadres"),
    RegisterType.WAITING: _l("Wachtregister"),
    RegisterType.STRUCK_OFF: _l("Ambtshalve geschrapt"),
    RegisterType.REFUGEE_ATTEST: _l("Erkend vluchteling (attest)"),
    RegisterType.UNKNOWN: _l("Onbekend"),
    DependantReason.MINOR_DOMICILED: _l("Minderjarig en gedomicilieerd"),
    DependantReason.CHILD_BENEFIT: _l("Groeipakket"),
    DependantReason.CO_PARENTING: _l("Co-ouderschap"),
    DependantReason.DISABILITY: _l("Handicap"),
    LanguageLevel.UNKNOWN: _l("Onbekend"),
    LanguageLevel.NONE: _l("Geen"),
    LanguageLevel.A1: "A1",
    LanguageLevel.A2: "A2",
    LanguageLevel.B1_PLUS: _l("B1 of hoger"),
    IncomeSource.ASSESSMENT: _l("Aanslagbiljet"),
    IncomeSource.KSZ: _l("KSZ"),
    IncomeSource.PAYSLIPS: _l("Loonfiches"),
    IncomeSource.DECLARATION_ON_HONOUR: _l("Verklaring op eer"),
    PropertyRight.FULL_OWNERSHIP: _l("Volle eigendom"),
    PropertyRight.USUFRUCT: _l("Vruchtgebruik"),
    PropertyRight.LONG_LEASE: _l("Erfpacht"),
    PropertyRight.BUILDING_RIGHT: _l("Opstal"),
    PropertyRight.GIVEN_AWAY_RIGHT: _l("Afgestaan recht"),
    PropertyRight.VIA_COMPANY: _l("Via een vennootschap"),
    PropertyException.ZONING: _l("Bestemming"),
    PropertyException.UNINHABITABLE: _l("Onbewoonbaar"),
    PropertyException.INHERITANCE: _l("Erfenis"),
    PropertyException.EX_PARTNER: _l("Ex-partner"),
    PropertyException.OTHER: _l("Andere"),
    DocumentKind.IDENTITY: _l("Identiteit"),
    DocumentKind.INCOME_PROOF: _l("Inkomensbewijs"),
    DocumentKind.HOUSEHOLD_COMPOSITION: _l("Gezinssamenstelling"),
    DocumentKind.DISABILITY_ATTEST: _l("Attest handicap"),
    DocumentKind.LANGUAGE_PROOF: _l("Taalbewijs"),
    DocumentKind.DEBT_SETTLEMENT: _l("Schuldbemiddeling"),
    DocumentKind.PROPERTY_EXCEPTION: _l("Uitzondering eigendom"),
    DocumentKind.OTHER: _l("Ander document"),
}


def label(value: object) -> str:
    """The Dutch label of an enum value; the value itself when there is none."""
    if value is None:
        return ""
    return str(LABELS.get(value, value))


# The stored dwelling types (Preferences.dwelling_types) and languages, in Dutch for landlords.
DWELLING_TYPES = {
    "house": _l("Huis"),
    "flat": _l("Appartement"),
    "studio": _l("Studio"),
    "senior": _l("Woning voor 65-plussers"),
}
LANGUAGES = {
    "nl": _l("Nederlands"),
    "fr": _l("Frans"),
    "en": _l("Engels"),
    "ar": _l("Arabisch"),
    "tr": _l("Turks"),
}


def dwelling_types(values: list[str] | None) -> str:
    """The preferred dwelling types in Dutch, e.g. "Huis, Appartement"."""
    return ", ".join(str(DWELLING_TYPES.get(value, value)) for value in values or [])


def language(code: str | None) -> str:
    return str(LANGUAGES.get(code, code)) if code else ""
