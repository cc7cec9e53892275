"""The Dutch words for a dossier's stored values and columns: one map per concept, used by every page and PDF.

- `label(value)`: a value of the dossier's enums (`PersonRole.PARTNER` is "Partner").
- `field_label(column)`: a column of the data held about a household (the dossier's history, the copy
  of everything held).
- `row_label(key)`: a row of the dossier's history ("+ Person An Peeters" is "Nieuw: Persoon An Peeters").
- `dwelling_label(value)`: a kind of dwelling in the preferences ("flat" is "Appartement"); `dwelling_list(values)`
  several of them on one line ("Huis, Appartement").
- `field_value(column, value)`: a stored value as the copy of everything held prints it (a label, an amount
  in euro, a date in Dutch, a formatted national number).
- `language_name(code)` and `country_name(code)`: a language or country code in Dutch ("fr" is "Frans"), from
  Babel's (CLDR) names, so no list of our own.

The intake's forms word their options as answers to a question ("Minderjarig en hier gedomicilieerd"); where
an option is just the value's name (roles, document kinds) the form takes it from here.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l

from inschrijving.dossiers.enums import (
    ChoiceStatus,
    ConsentPurpose,
    DependantReason,
    DocumentKind,
    DossierStatus,
    IdKind,
    IncomeSource,
    LanguageLevel,
    PersonRole,
    PropertyException,
    PropertyRight,
    RegisterType,
)

VALUE_LABELS = {
    DossierStatus.DRAFT: _l("Nog bezig"),
    DossierStatus.COMPLETE: _l("Afgerond"),
    ConsentPurpose.KEEP_DOSSIER: _l("Dossier bewaren"),
    ConsentPurpose.HEALTH_DATA: _l("Gegevens over de handicap"),
    ConsentPurpose.SHARE_WITH_LANDLORD: _l("Delen met de verhuurder"),
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
    DocumentKind.IDENTITY: _l("Identiteitskaart of verblijfsdocument"),
    DocumentKind.INCOME_PROOF: _l("Bewijs van inkomen"),
    DocumentKind.HOUSEHOLD_COMPOSITION: _l("Gezinssamenstelling"),
    DocumentKind.DISABILITY_ATTEST: _l("Attest handicap"),
    DocumentKind.LANGUAGE_PROOF: _l("Bewijs van Nederlands"),
    DocumentKind.DEBT_SETTLEMENT: _l("Schuldenregeling"),
    DocumentKind.PROPERTY_EXCEPTION: _l("Bewijs uitzondering eigendom"),
    DocumentKind.OTHER: _l("Ander document"),
}


# The kinds of dwelling a household can ask for (Preferences.dwelling_types holds these keys).
DWELLING_LABELS = {
    "house": _l("Huis"),
    "flat": _l("Appartement"),
    "studio": _l("Studio"),
    "senior": _l("Woning voor 65-plussers"),
}

_DUTCH = Locale.parse("nl_BE")


FIELD_LABELS = {
    "id": _l("Nummer"),
    "reference": _l("Referentie"),
    "moment_id": _l("Inschrijvingsmoment (nummer)"),
    "slot_id": _l("Tijdslot (nummer)"),
    "booking_id": _l("Afspraak (nummer)"),
    "dossier_id": _l("Dossier (nummer)"),
    "person_id": _l("Persoon (nummer)"),
    "landlord_id": _l("Verhuurder (nummer)"),
    "consent_id": _l("Toestemming (nummer)"),
    "status": _l("Stand"),
    "contact_name": _l("Naam"),
    "contact_phone": _l("Telefoon"),
    "contact_email": _l("E-mail"),
    "phone": _l("Telefoon"),
    "email": _l("E-mail"),
    "language": _l("Taal"),
    "household_size": _l("Aantal personen"),
    "needs_interpreter": _l("Tolk nodig"),
    "interpreter_language": _l("Taal van de tolk"),
    "assistance_note": _l("Andere hulp"),
    "booked_by": _l("Afspraak gemaakt door"),
    "social_worker_name": _l("Naam hulpverlener"),
    "social_worker_organisation": _l("Organisatie hulpverlener"),
    "social_worker_phone": _l("Telefoon hulpverlener"),
    "social_worker_email": _l("E-mail hulpverlener"),
    "booker_language": _l("Taal van de hulpverlener"),
    "contact_channel": _l("Bereikbaar via"),
    "client_birth_year": _l("Geboortejaar"),
    "client_key": _l("Kenmerk van de kandidaat (gecodeerd)"),
    "seats": _l("Aantal plaatsen"),
    "organisation": _l("Organisatie"),
    "is_walk_in": _l("Zonder afspraak"),
    "sequence": _l("Aantal wijzigingen van de afspraak"),
    "created_at": _l("Gemaakt op"),
    "updated_at": _l("Gewijzigd op"),
    "cancelled_at": _l("Geannuleerd op"),
    "checked_in_at": _l("Aangemeld op"),
    "reminder_sent_at": _l("Herinnering verstuurd op"),
    "anonymised_at": _l("Anoniem gemaakt op"),
    "reach_by": _l("Bereikbaar via"),
    "sms_opted_out_at": _l("Sms gestopt op"),
    "sms_refused_at": _l("Sms-nummer geweigerd op"),
    "offered_slot_id": _l("Aangeboden tijdslot (nummer)"),
    "offer_expires_at": _l("Aanbod geldig tot"),
    "family_reunification_expected": _l("Verwachte gezinsherenigingen"),
    "has_property": _l("Heeft eigendom"),
    "cir_registered": _l("Ingeschreven in het centraal register"),
    "cir_registered_on": _l("Datum inschrijving centraal register"),
    "cir_reference": _l("Referentie centraal register"),
    "created_by_id": _l("Gemaakt door (medewerker)"),
    "updated_by_id": _l("Gewijzigd door (medewerker)"),
    "completed_at": _l("Afgerond op"),
    "completed_by_id": _l("Afgerond door (medewerker)"),
    "position": _l("Volgorde"),
    "role": _l("Rol"),
    "first_name": _l("Voornaam"),
    "last_name": _l("Familienaam"),
    "id_kind": _l("Soort nummer"),
    "national_number": _l("Rijksregister- of BIS-nummer"),
    "foreign_id": _l("Buitenlands nummer"),
    "birth_year": _l("Geboortejaar"),
    "birth_month": _l("Geboortemaand"),
    "birth_day": _l("Geboortedag"),
    "register_type": _l("Register"),
    "is_dependant": _l("Ten laste"),
    "dependant_reason": _l("Reden ten laste"),
    "is_domiciled": _l("Gedomicilieerd op dit adres"),
    "has_recognised_disability": _l("Erkende handicap"),
    "is_emancipated": _l("Ontvoogd"),
    "has_guided_living": _l("Begeleid zelfstandig wonen"),
    "language_level": _l("Kennis Nederlands"),
    "income_year": _l("Inkomensjaar"),
    "taxable_total": _l("Belastbaar inkomen"),
    "separately_taxed": _l("Afzonderlijk belast inkomen"),
    "leefloon": _l("Leefloon"),
    "ivt": _l("Inkomensvervangende tegemoetkoming"),
    "foreign_exempt": _l("Vrijgesteld buitenlands inkomen"),
    "source": _l("Bron"),
    "uses_current_income": _l("Huidig inkomen gebruikt"),
    "current_income_months": _l("Maanden huidig inkomen"),
    "current_income_amount": _l("Bedrag huidig inkomen"),
    "in_debt_settlement": _l("Collectieve schuldenregeling"),
    "disposable_income": _l("Beschikbaar inkomen"),
    "total_balances": _l("Totaal op rekeningen"),
    "excluded_amount": _l("Niet meegeteld bedrag"),
    "declared_on": _l("Verklaard op"),
    "country": _l("Land"),
    "right_type": _l("Soort recht"),
    "share_pct": _l("Deel (%)"),
    "exception": _l("Uitzondering"),
    "note": _l("Uitleg"),
    "municipality_name": _l("Gemeente"),
    "from_on": _l("Van"),
    "until_on": _l("Tot"),
    "dwelling_types": _l("Soorten woning"),
    "bedrooms_min": _l("Minimum slaapkamers"),
    "bedrooms_max": _l("Maximum slaapkamers"),
    "max_rent": _l("Maximale huur"),
    "needs_ground_floor": _l("Gelijkvloers nodig"),
    "needs_lift": _l("Lift nodig"),
    "needs_wheelchair": _l("Rolstoeltoegankelijk nodig"),
    "remarks": _l("Opmerkingen"),
    "municipalities": _l("Gemeenten"),
    "purpose": _l("Waarvoor"),
    "landlord": _l("Verhuurder"),
    "text_version": _l("Versie van de tekst"),
    "given_at": _l("Gegeven op"),
    "recorded_by_id": _l("Genoteerd door (medewerker)"),
    "withdrawn_at": _l("Ingetrokken op"),
    "withdrawn_by_id": _l("Ingetrokken door (medewerker)"),
    "landlord_reference": _l("Referentie bij de verhuurder"),
    "registered_on": _l("Ingeschreven op"),
    "status_note": _l("Uitleg bij de stand"),
    "status_set_at": _l("Stand gezet op"),
    "status_set_by_id": _l("Stand gezet door (medewerker)"),
    "first_downloaded_at": _l("Eerst gedownload op"),
    "last_downloaded_at": _l("Laatst gedownload op"),
    "kind": _l("Soort"),
    "original_filename": _l("Bestandsnaam"),
    "content_type": _l("Bestandstype"),
    "size_bytes": _l("Grootte (bytes)"),
    "page_count": _l("Aantal pagina's"),
    "uploaded_at": _l("Toegevoegd op"),
    "uploaded_by_id": _l("Toegevoegd door (medewerker)"),
    "changed_at": _l("Gewijzigd op"),
    "user_id": _l("Medewerker (nummer)"),
    "step": _l("Stap"),
    "changes": _l("Wijzigingen"),
    "occurred_at": _l("Wanneer"),
    "actor": _l("Wie"),
    "action": _l("Wat"),
    "object_type": _l("Soort gegeven"),
    "object_id": _l("Nummer van het gegeven"),
    "detail": _l("Details"),
    "ip": _l("Netwerkadres"),
    "has_property_declared": _l("Eigendom"),
    "sha256": _l("Vingerafdruk (sha256)"),
    "storage_key": _l("Opslagsleutel"),
    "booking": _l("Afspraak"),
    "walk_in": _l("Zonder afspraak"),
}

# The models whose rows the history names.
ROW_LABELS = {
    "Dossier": _l("Dossier"),
    "Person": _l("Persoon"),
    "IncomeRecord": _l("Inkomen"),
    "AssetsDeclaration": _l("Spaargeld"),
    "PropertyDeclaration": _l("Eigendom"),
    "AddressHistoryEntry": _l("Adres"),
    "Preferences": _l("Voorkeuren"),
    "Consent": _l("Toestemming"),
    "LandlordChoice": _l("Keuze verhuurder"),
    "Document": _l("Document"),
}


def label(value: object) -> str:
    """The Dutch label of an enum value (or of its stored string); the value itself when there is none."""
    if value is None:
        return ""
    return str(VALUE_LABELS.get(value, value))


def dwelling_label(value: str) -> str:
    """The Dutch name of a kind of dwelling; the value itself when there is none."""
    return str(DWELLING_LABELS.get(value, value))


def dwelling_list(values: list[str] | None) -> str:
    """The preferred kinds of dwelling in Dutch on one line, e.g. "Huis, Appartement"."""
    return ", ".join(dwelling_label(value) for value in values or [])


def language_name(code: str | None) -> str:
    """A language code in Dutch, as a landlord reads it: "fr" is "Frans" (the code itself when unknown)."""
    if not code:
        return ""
    return _DUTCH.languages.get(code.split("-")[0].lower(), code)


def country_name(code: str | None) -> str:
    """A country code in Dutch: "BE" is "België" (the code itself when unknown)."""
    if not code:
        return ""
    return _DUTCH.territories.get(code.upper(), code)


# Columns whose stored value is an amount in euro (the copy of everything held shows them as such).
MONEY_FIELDS = frozenset(
    {
        "taxable_total", "separately_taxed", "leefloon", "ivt", "foreign_exempt", "current_income_amount",
        "disposable_income", "total_balances", "excluded_amount", "max_rent",
    }
)  # fmt: skip

# Columns that hold one of the enums above (only these go through `label`: a name is never a label).
ENUM_FIELDS = frozenset(
    {"status", "role", "id_kind", "register_type", "dependant_reason", "language_level", "source", "right_type",
     "exception", "purpose", "kind"}
)  # fmt: skip


def field_value(key: str, value: object) -> object:
    """A stored, JSON-ready value of a column in Dutch: labels, euro, Dutch dates, formatted numbers.

    Lists, mappings, booleans and None are handed back as they are (the template words them).
    """
    from datetime import date, datetime
    from decimal import Decimal, InvalidOperation

    from inschrijving.dossiers.national_numbers import format_number
    from inschrijving.formatting import dutch_date, dutch_datetime, euro

    if value is None or isinstance(value, bool | dict):
        return value
    if key == "dwelling_types" and isinstance(value, list):
        return [dwelling_label(v) for v in value]
    if isinstance(value, list):
        return value
    if key in MONEY_FIELDS:
        try:
            return euro(Decimal(str(value)))
        except InvalidOperation:
            return value
    if key == "national_number":
        return format_number(str(value))
    if key in ("language", "interpreter_language", "booker_language"):
        return language_name(str(value))
    if key == "country":
        return country_name(str(value))
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return dutch_date(date.fromisoformat(value))
            return dutch_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if key in ENUM_FIELDS:
        return label(value)
    return value


def field_label(key: str) -> str:
    """The Dutch name of a column; an unknown one is shown with spaces for its underscores."""
    return str(FIELD_LABELS.get(key, key.replace("_", " ")))


def row_label(key: str) -> str:
    """Turn a stored row key like '+ Person An Peeters' into Dutch: 'Nieuw: Persoon An Peeters'."""
    prefix = ""
    if key.startswith("+ "):
        prefix, key = str(_l("Nieuw:")) + " ", key[2:]
    elif key.startswith("- "):
        prefix, key = str(_l("Verwijderd:")) + " ", key[2:]
    word, _sep, rest = key.partition(" ")
    if word in ROW_LABELS:
        return f"{prefix}{ROW_LABELS[word]} {rest}".strip()
    return prefix + field_label(key)


# Codes CLDR names that are no country a house can stand in: pseudo-locales, unions, "unknown region".
NOT_COUNTRIES = frozenset({"XA", "XB", "EU", "EZ", "UN", "ZZ", "QO"})


@cache
def _country_names() -> tuple[tuple[str, str], ...]:
    names = _DUTCH.territories
    return tuple(sorted(((code, name) for code, name in names.items()
                         if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES),
                        key=lambda pair: pair[1]))


def country_choices() -> list[tuple[str, str]]:
    """Every country by its Dutch name, Belgium first (most property declared is here)."""
    countries = list(_country_names())
    belgium = next(pair for pair in countries if pair[0] == "BE")
    return [belgium] + [pair for pair in countries if pair[0] != "BE"]
