"""The intake steps: for each, how to build its form from the dossier and how to save it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from inschrijving.accounts.services.audit import Actor
from inschrijving.config import LANGUAGE_NAMES
from inschrijving.dossiers import labels, queries
from inschrijving.dossiers.eligibility.rules import default_income_year
from inschrijving.dossiers.enums import IdKind, PersonRole
from inschrijving.dossiers.forms import steps as forms
from inschrijving.dossiers.forms.common import DWELLING_CHOICES
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.national_numbers import format_number
from inschrijving.dossiers.services import consent, documents, intake

BLANK_ROWS = 2


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any
    build: Callable[[Dossier], FlaskForm] | None = None
    save: Callable[[Dossier, Any, Actor, datetime], None] | None = None
    optional: bool = False
    visible: Callable[[Dossier], bool] = lambda dossier: True
    # What the step's page shows besides its form.
    page_context: Callable[[Dossier], dict[str, Any]] = lambda dossier: {}

    @property
    def template(self) -> str:
        return f"dossiers/steps/{self.slug}.html"

    def url(self, dossier_id: int) -> str:
        """Where the step is done: the overview for the review, the documents page, or the step's form."""
        if self.slug == "review":
            return url_for("dossiers.show", dossier_id=dossier_id)
        if self.slug == "documents":
            return url_for("dossiers.documents", dossier_id=dossier_id)
        return url_for("dossiers.step", dossier_id=dossier_id, slug=self.slug)


def people_choices(dossier: Dossier) -> list[tuple[int | None, str]]:
    """Whom a paper or a property belongs to: one of the household, or the whole household."""
    return [("", str(_l("— het hele gezin —")))] + [(p.id, p.full_name) for p in dossier.persons]


# --- household -----------------------------------------------------------------------------------


def build_household(dossier: Dossier) -> FlaskForm:
    rows = [
        {
            "person_id": p.id,
            "role": p.role.value,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "is_dependant": p.is_dependant,
            "dependant_reason": p.dependant_reason.value if p.dependant_reason else "",
            "has_recognised_disability": p.has_recognised_disability,
            "is_domiciled": p.is_domiciled,
        }
        for p in dossier.persons
    ]
    if not rows and dossier.booking is not None:
        first, _sep, last = (dossier.booking.contact_name or "").partition(" ")
        rows.append({"role": PersonRole.REFERENCE_TENANT.value, "first_name": first, "last_name": last,
                     "is_domiciled": True})
    # As many rows as the household the candidate booked for (at least one blank row to add someone).
    size = dossier.booking.household_size if dossier.booking is not None else 1
    rows += [{"is_domiciled": True}] * max(size - len(rows), 0 if rows else 1)
    data = {
        "version": dossier.version,
        "persons": rows,
        "contact_phone": dossier.contact_phone,
        "contact_email": dossier.contact_email,
        "language": dossier.language,
        "family_reunification_expected": dossier.family_reunification_expected,
    }
    return forms.HouseholdForm(data=data, languages=LANGUAGE_NAMES)


def save_household(dossier, form, actor, now):
    intake.save_household(
        dossier,
        version=form.version.data,
        contact={
            k: form[k].data for k in ("contact_phone", "contact_email", "language", "family_reunification_expected")
        },
        persons=form.rows(),
        actor=actor,
        now=now,
    )


# --- identity ------------------------------------------------------------------------------------


def build_identity(dossier: Dossier) -> FlaskForm:
    rows = [
        {
            "person_id": p.id,
            # A person without any number yet starts on the usual kind: the rijksregisternummer.
            "id_kind": (IdKind.NATIONAL_NUMBER if p.id_kind == IdKind.NONE and not p.foreign_id else p.id_kind).value,
            "national_number": format_number(p.national_number),
            "foreign_id": p.foreign_id,
            "birth_day": p.birth_day,
            "birth_month": p.birth_month,
            "birth_year": p.birth_year,
            "register_type": p.register_type.value,
            "is_emancipated": p.is_emancipated,
            "has_guided_living": p.has_guided_living,
            "language_level": p.language_level.value,
        }
        for p in dossier.persons
    ]
    children = {p.id for p in dossier.persons if p.role == PersonRole.CHILD}
    return forms.IdentityForm(data={"version": dossier.version, "rows": rows}, children=children)


def save_identity(dossier, form, actor, now):
    intake.save_identity(
        dossier, version=form.version.data, rows=[r.form.data for r in form.rows], actor=actor, now=now
    )


# --- income --------------------------------------------------------------------------------------

_INCOME_KEYS = (
    "income_year",
    "taxable_total",
    "separately_taxed",
    "leefloon",
    "ivt",
    "foreign_exempt",
    "uses_current_income",
    "current_income_months",
    "current_income_amount",
    "in_debt_settlement",
    "disposable_income",
)


def build_income(dossier: Dossier) -> FlaskForm:
    incomes = {i.person_id: i for i in dossier.incomes}
    rows = []
    for person in (p for p in dossier.persons if p.is_adult_applicant):
        record = incomes.get(person.id)
        row: dict[str, Any] = {"person_id": person.id}
        if record is not None:
            row.update({k: getattr(record, k) for k in _INCOME_KEYS})
            row["source"] = record.source.value if record.source else ""
        else:
            row["income_year"] = default_income_year(dossier.moment.held_on)
        rows.append(row)
    return forms.IncomeForm(data={"version": dossier.version, "rows": rows})


def save_income(dossier, form, actor, now):
    intake.save_incomes(
        dossier, version=form.version.data, rows=[r.form.data for r in form.rows], actor=actor, now=now
    )


# --- means test, property, addresses -------------------------------------------------------------


def build_means_test(dossier: Dossier) -> FlaskForm:
    assets = dossier.assets
    data = {"version": dossier.version, "declared_on": dossier.moment.held_on}
    if assets is not None:
        data.update(
            total_balances=assets.total_balances, excluded_amount=assets.excluded_amount, declared_on=assets.declared_on
        )
    return forms.MeansTestForm(data=data)


def save_means_test(dossier, form, actor, now):
    intake.save_means_test(
        dossier,
        version=form.version.data,
        total_balances=form.total_balances.data,
        excluded_amount=form.excluded_amount.data,
        declared_on=form.declared_on.data,
        actor=actor,
        now=now,
    )


def build_property(dossier: Dossier) -> FlaskForm:
    items = [
        {
            "item_id": p.id,
            "person_id": p.person_id,
            "country": p.country,
            "right_type": p.right_type.value,
            "share_pct": p.share_pct,
            "exception": p.exception.value if p.exception else "",
            "note": p.note,
        }
        for p in dossier.property_declarations
    ] + [{"country": "BE"}] * BLANK_ROWS
    has = {True: "yes", False: "no"}.get(dossier.has_property)
    return forms.PropertyForm(
        data={"version": dossier.version, "has_property": has, "items": items}, people=people_choices(dossier),
        countries=labels.country_choices(),
    )


def save_property(dossier, form, actor, now):
    intake.save_property(
        dossier,
        version=form.version.data,
        has_property=form.has_property.data == "yes",
        items=[r.form.data for r in form.items],
        actor=actor,
        now=now,
    )


def build_addresses(dossier: Dossier) -> FlaskForm:
    rows = [
        {"entry_id": a.id, "municipality_name": a.municipality_name, "from_on": a.from_on, "until_on": a.until_on}
        for a in dossier.addresses
    ] + [{}] * (BLANK_ROWS + 1)
    return forms.AddressesForm(data={"version": dossier.version, "rows": rows})


def save_addresses(dossier, form, actor, now):
    intake.save_addresses(
        dossier, version=form.version.data, rows=[r.form.data for r in form.rows], actor=actor, now=now
    )


# --- preferences, landlords, health, CIR ---------------------------------------------------------


def build_preferences(dossier: Dossier) -> FlaskForm:
    prefs = dossier.preferences
    data: dict[str, Any] = {"version": dossier.version}
    if prefs is not None:
        data.update(
            municipalities=[m.id for m in prefs.municipalities],
            sub_municipalities=[s.id for s in prefs.sub_municipalities],
            dwelling_types=list(prefs.dwelling_types or []),
            bedrooms_min=prefs.bedrooms_min,
            bedrooms_max=prefs.bedrooms_max,
            max_rent=prefs.max_rent,
            needs_ground_floor=prefs.needs_ground_floor,
            needs_lift=prefs.needs_lift,
            needs_wheelchair=prefs.needs_wheelchair,
            remarks=prefs.remarks,
        )
    on = dossier.moment.held_on
    return forms.PreferencesForm(
        data=data,
        municipalities=queries.list_municipality_choices(on),
        sub_municipalities=queries.list_sub_municipality_choices(on),
    )


def save_preferences(dossier, form, actor, now):
    intake.save_preferences(
        dossier,
        version=form.version.data,
        municipality_ids=form.municipalities.data,
        sub_municipality_ids=form.sub_municipalities.data,
        values=form.data,
        actor=actor,
        now=now,
    )


def build_landlords(dossier: Dossier) -> FlaskForm:
    offers = consent.landlord_offers(dossier)
    offered = [(o.landlord.id, o.landlord.name) for o in offers if o.offered and not o.is_chosen]
    return forms.LandlordsForm(
        data={"version": dossier.version}, offered=offered, has_chosen=any(o.is_chosen for o in offers)
    )


def save_landlords(dossier, form, actor, now):
    if not form.landlords.data:
        return  # "Verder" with the landlords chosen earlier: nothing new to record
    consent.choose_landlords(
        dossier, version=form.version.data, landlord_ids=form.landlords.data, actor=actor, now=now
    )


def build_health(dossier: Dossier) -> FlaskForm:
    return forms.HealthConsentForm(data={"version": dossier.version})


def save_health(dossier, form, actor, now):
    consent.give_health_consent(dossier, version=form.version.data, actor=actor, now=now)


def build_cir(dossier: Dossier) -> FlaskForm:
    data = {
        "version": dossier.version,
        "cir_registered": {True: "yes", False: "no"}.get(dossier.cir_registered),
        "cir_registered_on": dossier.cir_registered_on,
        "cir_reference": dossier.cir_reference,
    }
    return forms.CirForm(data=data)


def save_cir(dossier, form, actor, now):
    intake.save_cir(
        dossier,
        version=form.version.data,
        cir_registered=form.cir_registered.data == "yes",
        cir_registered_on=form.cir_registered_on.data,
        cir_reference=form.cir_reference.data,
        actor=actor,
        now=now,
    )


def _has_disability(dossier: Dossier) -> bool:
    return any(p.has_recognised_disability for p in dossier.persons)


def _income_year(dossier: Dossier) -> dict[str, Any]:
    return {"income_year": default_income_year(dossier.moment.held_on)}


def _offers(dossier: Dossier) -> dict[str, Any]:
    return {
        "offers": consent.landlord_offers(dossier),
        "consent_lines": consent.CONSENT_TEXT,
        "consent_in_language": consent.consent_in_language(dossier.language),
    }


def _health(dossier: Dossier) -> dict[str, Any]:
    return {"health": consent.health_consent(dossier)}


STEPS: tuple[Step, ...] = (
    Step("household", _l("Gezin"), build_household, save_household),
    Step("identity", _l("Identiteit en register"), build_identity, save_identity),
    Step("income", _l("Inkomen"), build_income, save_income, page_context=_income_year),
    Step("means_test", _l("Spaargeld"), build_means_test, save_means_test),
    Step("property", _l("Eigendom"), build_property, save_property),
    Step("addresses", _l("Adressen (niet verplicht)"), build_addresses, save_addresses, optional=True),
    Step("preferences", _l("Voorkeuren"), build_preferences, save_preferences),
    Step("landlords", _l("Verhuurders en toestemming"), build_landlords, save_landlords, page_context=_offers),
    Step(
        "health", _l("Toestemming handicap"), build_health, save_health, visible=_has_disability, page_context=_health
    ),
    Step("documents", _l("Documenten")),
    Step("cir", _l("Centraal register (CIR)"), build_cir, save_cir),
    Step("review", _l("Nakijken en afronden")),
)
STEPS_BY_SLUG = {s.slug: s for s in STEPS}


def form_step(slug: str) -> Step | None:
    """The step with a form of its own under this slug, if any."""
    step = STEPS_BY_SLUG.get(slug)
    return step if step is not None and step.build is not None else None


def visible_steps(dossier: Dossier) -> list[Step]:
    return [s for s in STEPS if s.visible(dossier)]


def next_step(dossier: Dossier, slug: str) -> Step:
    steps = visible_steps(dossier)
    slugs = [s.slug for s in steps]
    index = slugs.index(slug) if slug in slugs else -1
    return steps[min(index + 1, len(steps) - 1)]


def answers_context(dossier: Dossier) -> dict[str, Any]:
    """What the "check your answers" overview needs besides the dossier: labels and groupings."""
    countries = dict(labels.country_choices())
    return {
        "incomes": {i.person_id: i for i in dossier.incomes},
        "dwelling_labels": dict(DWELLING_CHOICES),
        "country_name": lambda code: countries.get(code, code),
        "documents_by_person": documents.by_person,
    }
