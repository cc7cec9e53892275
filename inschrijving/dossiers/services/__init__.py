"""Intake rules: open a dossier, save each step, consent per landlord, documents, checklist, completion.

Services take the actor and the clock as parameters, flush but never commit, and raise the
exceptions in `errors`.
"""

from inschrijving.dossiers.services.checklist import ChecklistItem, completeness_checklist, missing_items
from inschrijving.dossiers.services.consent import (
    CONSENT_TEXT_VERSION,
    LandlordOffer,
    choose_landlords,
    give_health_consent,
    health_consent,
    landlord_offers,
    live_share_consents,
    withdraw_health_consent,
    withdraw_landlord_consent,
)
from inschrijving.dossiers.services.documents import (
    ALLOWED_TYPES,
    delete_document,
    detect_content_type,
    load_document,
    load_upright_image,
    upload_document,
)
from inschrijving.dossiers.services.errors import (
    BookingNotLive,
    DossierError,
    DossierLocked,
    LandlordNotOffered,
    NotComplete,
    StaleDossier,
    UploadRefused,
)
from inschrijving.dossiers.services.facts import (
    assess_dossier,
    facts_from_dossier,
    get_income_limit,
    limits_from_model,
    list_income_limits,
    save_income_limit,
)
from inschrijving.dossiers.services.history import pending_changes, record_change
from inschrijving.dossiers.services.intake import (
    save_addresses,
    save_cir,
    save_household,
    save_identity,
    save_incomes,
    save_means_test,
    save_preferences,
    save_property,
)
from inschrijving.dossiers.services.lifecycle import (
    complete_dossier,
    documents_of,
    get_dossier_for_booking,
    load_dossier,
    reopen_dossier,
    start_dossier,
    start_walk_in,
)

__all__ = [
    "ALLOWED_TYPES",
    "CONSENT_TEXT_VERSION",
    "BookingNotLive",
    "ChecklistItem",
    "DossierError",
    "DossierLocked",
    "LandlordNotOffered",
    "LandlordOffer",
    "NotComplete",
    "StaleDossier",
    "UploadRefused",
    "assess_dossier",
    "choose_landlords",
    "complete_dossier",
    "completeness_checklist",
    "delete_document",
    "detect_content_type",
    "documents_of",
    "facts_from_dossier",
    "get_dossier_for_booking",
    "get_income_limit",
    "give_health_consent",
    "health_consent",
    "landlord_offers",
    "limits_from_model",
    "live_share_consents",
    "list_income_limits",
    "load_document",
    "load_dossier",
    "load_upright_image",
    "missing_items",
    "pending_changes",
    "record_change",
    "reopen_dossier",
    "save_addresses",
    "save_cir",
    "save_household",
    "save_identity",
    "save_income_limit",
    "save_incomes",
    "save_means_test",
    "save_preferences",
    "save_property",
    "start_dossier",
    "start_walk_in",
    "upload_document",
    "withdraw_health_consent",
    "withdraw_landlord_consent",
]
