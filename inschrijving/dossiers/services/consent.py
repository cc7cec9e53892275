"""Which landlords a household may choose, and consent per landlord and for health data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inschrijving.accounts.services.audit import Actor
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.dossiers.enums import ConsentPurpose, DossierStatus
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services.errors import DossierLocked, LandlordNotOffered, StaleDossier
from inschrijving.dossiers.services.history import finish_step, track_changes
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, SubMunicipality

# Raise this when the consent wording in templates/dossiers/_consent_text.html changes: every
# consent row keeps the version the candidate actually heard.
CONSENT_TEXT_VERSION = "2026-1"
# The words read out (first line, then the points). Translated into every candidate language: the page shows
# the Dutch and, beside it, the candidate's language.
CONSENT_TEXT = (
    _l("U geeft toestemming om uw dossier te bewaren en te delen met de verhuurders die u kiest."),
    _l("Alleen de verhuurders die u aanvinkt, krijgen uw dossier: de gegevens van uw gezin, uw inkomen, uw "
       "voorkeuren en de documenten die u gaf."),
    _l("Zij gebruiken het alleen om u in te schrijven voor een sociale woning."),
    _l("U mag uw toestemming altijd intrekken, per verhuurder. Bel of mail de Woonclub. De verhuurder ziet uw "
       "dossier dan niet meer."),
    _l("Wij bewaren uw dossier niet langer dan nodig. Daarna wissen we het."),
)


@dataclass(frozen=True)
class LandlordOffer:
    landlord: Landlord
    offered: bool
    # Plain words for why the landlord is not offered (None when offered).
    reason: str | None
    consent: Consent | None

    @property
    def is_chosen(self) -> bool:
        return self.consent is not None


def live_share_consents(dossier: Dossier) -> dict[int, Consent]:
    """Live share consents of a dossier, by landlord id."""
    return {
        c.landlord_id: c
        for c in dossier.consents
        if c.purpose == ConsentPurpose.SHARE_WITH_LANDLORD and c.is_live and c.landlord_id is not None
    }


def landlord_offers(dossier: Dossier) -> list[LandlordOffer]:
    """Every landlord, with whether it can be chosen for this dossier and, if not, why not."""
    on = dossier.moment.held_on
    prefs = dossier.preferences
    chosen_towns = {m.id for m in (prefs.municipalities if prefs else [])}
    chosen_parts = list(prefs.sub_municipalities) if prefs else []
    live = live_share_consents(dossier)
    landlords = db.session.scalars(
        db.select(Landlord)
        .options(
            selectinload(Landlord.municipalities),
            selectinload(Landlord.sub_municipalities).selectinload(SubMunicipality.municipality),
        )
        .order_by(Landlord.name)
    )
    offers = []
    for landlord in landlords:
        reason = None
        if landlord.active_from is not None and landlord.active_from > on:
            reason = _("Deze verhuurder start pas op %(day)s.", day=format_date(landlord.active_from, "d MMMM y"))
        elif landlord.active_until is not None and landlord.active_until < on:
            reason = _(
                "Deze verhuurder bestaat niet meer sinds %(day)s.", day=format_date(landlord.active_until, "d MMMM y")
            )
        elif not chosen_towns and not chosen_parts:
            reason = _("Kies eerst bij 'Voorkeuren' in welke gemeenten de kandidaat wil wonen.")
        elif not landlord.serves(chosen_towns, chosen_parts):
            # Its area at the finer level: "Bellegem (Kortrijk)", not the whole of Kortrijk.
            served = ", ".join(landlord.area_names()) or _("geen gemeenten")
            reason = _(
                "Deze verhuurder heeft geen woningen in de gekozen gemeenten. Hij werkt in: %(towns)s.", towns=served
            )
        offers.append(LandlordOffer(landlord, reason is None, reason, live.get(landlord.id)))
    return offers


def choose_landlords(
    dossier: Dossier, *, version: int, landlord_ids: Iterable[int], actor: Actor, now: datetime
) -> list[LandlordChoice]:
    """Record the candidate's consent to share with each chosen landlord (text version, time, volunteer)."""
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    if int(version) != dossier.version:
        raise StaleDossier(dossier.reference)
    offers = {o.landlord.id: o for o in landlord_offers(dossier)}
    track_changes()
    choices_by_landlord = {c.landlord_id: c for c in dossier.landlord_choices}
    made = []
    for landlord_id in landlord_ids:
        offer = offers.get(landlord_id)
        if offer is None or not offer.offered:
            raise LandlordNotOffered(offer.reason if offer else str(landlord_id))
        if offer.is_chosen:
            continue
        consent = Consent(
            purpose=ConsentPurpose.SHARE_WITH_LANDLORD,
            landlord_id=landlord_id,
            text_version=CONSENT_TEXT_VERSION,
            given_at=now,
            recorded_by_id=actor.user_id,
        )
        dossier.consents.append(consent)
        choice = choices_by_landlord.get(landlord_id)
        if choice is None:
            # Kept after a withdrawal for history; a new consent brings it back to life.
            choice = LandlordChoice(landlord_id=landlord_id, consent=consent, created_at=now)
            dossier.landlord_choices.append(choice)
        else:
            choice.consent = consent
        made.append(choice)
    if made and not any(c.purpose == ConsentPurpose.KEEP_DOSSIER and c.is_live for c in dossier.consents):
        dossier.consents.append(
            Consent(
                purpose=ConsentPurpose.KEEP_DOSSIER,
                text_version=CONSENT_TEXT_VERSION,
                given_at=now,
                recorded_by_id=actor.user_id,
            )
        )
    finish_step(dossier, step="landlords", actor=actor, now=now)
    return made


def withdraw_landlord_consent(dossier: Dossier, landlord_id: int, *, actor: Actor, now: datetime) -> bool:
    """Withdraw the consent for one landlord; the choice stays for history but the landlord loses access.

    Allowed on a complete dossier too: withdrawing is the candidate's right at any time.
    """
    consent = live_share_consents(dossier).get(landlord_id)
    if consent is None:
        return False
    track_changes()
    consent.withdrawn_at = now
    consent.withdrawn_by_id = actor.user_id
    finish_step(dossier, step="withdraw", actor=actor, now=now)
    return True


def health_consent(dossier: Dossier) -> Consent | None:
    """The live consent to process health data (a recognised disability), if given."""
    return next((c for c in dossier.consents if c.purpose == ConsentPurpose.HEALTH_DATA and c.is_live), None)


def give_health_consent(dossier: Dossier, *, version: int, actor: Actor, now: datetime) -> Consent:
    """Record the separate, explicit consent to keep and share health data."""
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    if int(version) != dossier.version:
        raise StaleDossier(dossier.reference)
    existing = health_consent(dossier)
    if existing is not None:
        return existing
    track_changes()
    consent = Consent(
        purpose=ConsentPurpose.HEALTH_DATA,
        text_version=CONSENT_TEXT_VERSION,
        given_at=now,
        recorded_by_id=actor.user_id,
    )
    dossier.consents.append(consent)
    finish_step(dossier, step="health_consent", actor=actor, now=now)
    return consent


def withdraw_health_consent(dossier: Dossier, *, actor: Actor, now: datetime) -> bool:
    """Withdraw the health-data consent; a complete dossier goes back to draft.

    Landlords only ever see complete dossiers, and a complete dossier with a recorded disability
    carries that health data: going back to draft takes it out of their reach at once, until the
    volunteer removes the disability data or the candidate consents again.
    """
    consent = health_consent(dossier)
    if consent is None:
        return False
    track_changes()
    consent.withdrawn_at = now
    consent.withdrawn_by_id = actor.user_id
    if dossier.status == DossierStatus.COMPLETE:
        dossier.status = DossierStatus.DRAFT
        dossier.completed_at = None
        dossier.completed_by_id = None
    finish_step(dossier, step="withdraw", actor=actor, now=now)
    return True


def consent_in_language(language: str | None) -> tuple[str, str, list[str]] | None:
    """The consent text in the candidate's language (code, name, lines), read out next to the Dutch; None in Dutch."""
    language = language or "nl"
    if language == "nl":
        return None
    with force_locale(language):
        return language, LANGUAGE_NAMES.get(language, language), [str(line) for line in CONSENT_TEXT]
