"""The dossier's fixed choices, stored by value (see db_types.str_enum)."""

from __future__ import annotations

import enum


class DossierStatus(enum.StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"


class PersonRole(enum.StrEnum):
    REFERENCE_TENANT = "reference_tenant"
    PARTNER = "partner"
    CHILD = "child"
    OTHER_ADULT = "other_adult"


class IdKind(enum.StrEnum):
    NATIONAL_NUMBER = "national_number"
    BIS_NUMBER = "bis_number"
    FOREIGN_ID = "foreign_id"
    NONE = "none"


class RegisterType(enum.StrEnum):
    POPULATION = "population"
    FOREIGNERS = "foreigners"
    REFERENCE_ADDRESS = "reference_address"
    WAITING = "waiting"
    STRUCK_OFF = "struck_off"
    REFUGEE_ATTEST = "refugee_attest"  # recognised refugee, not yet in the foreigners' register
    UNKNOWN = "unknown"


class DependantReason(enum.StrEnum):
    MINOR_DOMICILED = "minor_domiciled"
    CHILD_BENEFIT = "child_benefit"
    CO_PARENTING = "co_parenting"
    DISABILITY = "disability"


class LanguageLevel(enum.StrEnum):
    UNKNOWN = "unknown"
    NONE = "none"
    A1 = "a1"
    A2 = "a2"
    B1_PLUS = "b1_plus"


class IncomeSource(enum.StrEnum):
    ASSESSMENT = "assessment"  # aanslagbiljet
    KSZ = "ksz"
    PAYSLIPS = "payslips"
    DECLARATION_ON_HONOUR = "declaration_on_honour"


class PropertyRight(enum.StrEnum):
    FULL_OWNERSHIP = "full_ownership"
    USUFRUCT = "usufruct"
    LONG_LEASE = "long_lease"  # erfpacht
    BUILDING_RIGHT = "building_right"  # opstal
    GIVEN_AWAY_RIGHT = "given_away_right"
    VIA_COMPANY = "via_company"


class PropertyException(enum.StrEnum):
    ZONING = "zoning"
    UNINHABITABLE = "uninhabitable"
    INHERITANCE = "inheritance"
    EX_PARTNER = "ex_partner"
    OTHER = "other"


class ConsentPurpose(enum.StrEnum):
    KEEP_DOSSIER = "keep_dossier"
    HEALTH_DATA = "health_data"
    SHARE_WITH_LANDLORD = "share_with_landlord"


class ChoiceStatus(enum.StrEnum):
    NEW = "new"
    DOWNLOADED = "downloaded"
    REGISTERED = "registered"
    INCOMPLETE = "incomplete"
    REFUSED = "refused"


class DocumentKind(enum.StrEnum):
    IDENTITY = "identity"
    INCOME_PROOF = "income_proof"
    HOUSEHOLD_COMPOSITION = "household_composition"
    DISABILITY_ATTEST = "disability_attest"
    LANGUAGE_PROOF = "language_proof"
    DEBT_SETTLEMENT = "debt_settlement"
    PROPERTY_EXCEPTION = "property_exception"
    OTHER = "other"
