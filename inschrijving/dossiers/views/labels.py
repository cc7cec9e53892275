"""Dutch names for the fields and rows the dossier history records (the history stores column names)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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

FIELD_LABELS = {
    "role": _l("Rol"),
    "position": _l("Volgorde"),
    "first_name": _l("Voornaam"),
    "last_name": _l("Familienaam"),
    "is_dependant": _l("Ten laste"),
    "dependant_reason": _l("Reden ten laste"),
    "has_recognised_disability": _l("Erkende handicap"),
    "is_domiciled": _l("Woont hier"),
    "id_kind": _l("Soort nummer"),
    "national_number": _l("Rijksregisternummer"),
    "foreign_id": _l("Buitenlands nummer"),
    "birth_year": _l("Geboortejaar"),
    "birth_month": _l("Geboortemaand"),
    "birth_day": _l("Geboortedag"),
    "register_type": _l("Register"),
    "is_emancipated": _l("Ontvoogd"),
    "has_guided_living": _l("Begeleid zelfstandig wonen"),
    "language_level": _l("Kennis Nederlands"),
    "person_id": _l("Persoon"),
    "income_year": _l("Inkomensjaar"),
    "taxable_total": _l("Belastbaar inkomen"),
    "separately_taxed": _l("Afzonderlijk belast"),
    "leefloon": _l("Leefloon"),
    "ivt": _l("IVT"),
    "foreign_exempt": _l("Vrijgesteld buitenlands inkomen"),
    "source": _l("Bron"),
    "uses_current_income": _l("Huidig inkomen"),
    "current_income_months": _l("Maanden huidig inkomen"),
    "current_income_amount": _l("Bedrag huidig inkomen"),
    "in_debt_settlement": _l("Schuldenregeling"),
    "disposable_income": _l("Beschikbaar inkomen"),
    "total_balances": _l("Totaal op rekeningen"),
    "excluded_amount": _l("Niet meegeteld"),
    "declared_on": _l("Verklaard op"),
    "has_property": _l("Eigendom"),
    "country": _l("Land"),
    "right_type": _l("Recht"),
    "share_pct": _l("Deel (%)"),
    "exception": _l("Uitzondering"),
    "note": _l("Uitleg"),
    "municipality_name": _l("Gemeente"),
    "from_on": _l("Van"),
    "until_on": _l("Tot"),
    "municipalities": _l("Gemeenten"),
    "dwelling_types": _l("Soort woning"),
    "bedrooms_min": _l("Slaapkamers minstens"),
    "bedrooms_max": _l("Slaapkamers hoogstens"),
    "max_rent": _l("Hoogste huur"),
    "needs_ground_floor": _l("Gelijkvloers"),
    "needs_lift": _l("Lift"),
    "needs_wheelchair": _l("Rolstoel"),
    "remarks": _l("Opmerkingen"),
    "contact_phone": _l("Telefoon"),
    "contact_email": _l("E-mail"),
    "language": _l("Taal"),
    "family_reunification_expected": _l("Gezinshereniging"),
    "has_property_declared": _l("Eigendom"),
    "cir_registered": _l("Ingeschreven in het CIR"),
    "cir_registered_on": _l("Datum CIR"),
    "cir_reference": _l("Referentie CIR"),
    "status": _l("Status"),
    "completed_at": _l("Afgerond op"),
    "completed_by_id": _l("Afgerond door"),
    "purpose": _l("Doel"),
    "landlord_id": _l("Verhuurder"),
    "text_version": _l("Versie van de tekst"),
    "given_at": _l("Gegeven op"),
    "recorded_by_id": _l("Genoteerd door"),
    "withdrawn_at": _l("Ingetrokken op"),
    "withdrawn_by_id": _l("Ingetrokken door"),
    "consent_id": _l("Toestemming"),
    "kind": _l("Soort"),
    "original_filename": _l("Bestand"),
    "content_type": _l("Type"),
    "size_bytes": _l("Grootte (bytes)"),
    "sha256": _l("Vingerafdruk (sha256)"),
    "storage_key": _l("Opslagsleutel"),
    "uploaded_at": _l("Toegevoegd op"),
    "uploaded_by_id": _l("Toegevoegd door"),
    "created_at": _l("Gemaakt op"),
    "booking": _l("Afspraak"),
    "walk_in": _l("Zonder afspraak"),
}


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
    return prefix + str(FIELD_LABELS.get(key, key))
