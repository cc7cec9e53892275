"""Dossier forms: input shape and per-field checks; they never write to the database."""

from inschrijving.dossiers.forms.check import CheckForm
from inschrijving.dossiers.forms.common import DOCUMENT_KIND_LABELS, ROLE_LABELS, normalise_phone
from inschrijving.dossiers.forms.documents import DocumentForm
from inschrijving.dossiers.forms.limits import IncomeLimitForm
from inschrijving.dossiers.forms.steps import (
    AddressesForm,
    CirForm,
    HealthConsentForm,
    HouseholdForm,
    IdentityForm,
    IncomeForm,
    LandlordsForm,
    MeansTestForm,
    PreferencesForm,
    PropertyForm,
    StepForm,
    VersionForm,
)

__all__ = [
    "DOCUMENT_KIND_LABELS",
    "ROLE_LABELS",
    "AddressesForm",
    "CheckForm",
    "CirForm",
    "DocumentForm",
    "HealthConsentForm",
    "HouseholdForm",
    "IdentityForm",
    "IncomeForm",
    "IncomeLimitForm",
    "LandlordsForm",
    "MeansTestForm",
    "PreferencesForm",
    "PropertyForm",
    "StepForm",
    "VersionForm",
    "normalise_phone",
]
