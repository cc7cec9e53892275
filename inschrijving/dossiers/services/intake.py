"""Save each intake step under an optimistic lock and record its history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from inschrijving.accounts.services.audit import Actor
from inschrijving.dossiers.enums import IdKind, PersonRole
from inschrijving.dossiers.models.household import AddressHistoryEntry, Dossier, Person, Preferences
from inschrijving.dossiers.models.means import AssetsDeclaration, IncomeRecord, PropertyDeclaration
from inschrijving.dossiers.national_numbers import parse_national_number
from inschrijving.dossiers.services.history import begin_step, finish_step
from inschrijving.extensions import db
from inschrijving.landlords.models import Municipality, SubMunicipality

# --- steps ---------------------------------------------------------------------------------------


def _is_blank_person(row: dict) -> bool:
    return not (row.get("role") or (row.get("first_name") or "").strip() or (row.get("last_name") or "").strip())


def _remove_person(dossier: Dossier, person: Person) -> None:
    # Rows that hang on a person go with it; documents stay with the dossier.
    for income in [i for i in dossier.incomes if i.person_id == person.id]:
        dossier.incomes.remove(income)
        db.session.delete(income)
    for item in [p for p in dossier.property_declarations if p.person_id == person.id]:
        item.person_id = None
    for entry in [a for a in dossier.addresses if a.person_id == person.id]:
        entry.person_id = None
    for document in [d for d in dossier.documents if d.person_id == person.id]:
        document.person_id = None
    dossier.persons.remove(person)
    db.session.delete(person)


def save_household(
    dossier: Dossier, *, version: int, contact: dict, persons: Iterable[dict], actor: Actor, now: datetime
) -> None:
    """Save who lives in the household, who is a dependant and why, disabilities, and the contact data."""
    begin_step(dossier, version)
    dossier.contact_phone = contact.get("contact_phone") or None
    dossier.contact_email = contact.get("contact_email") or None
    dossier.language = contact.get("language") or dossier.language
    dossier.family_reunification_expected = contact.get("family_reunification_expected") or 0
    by_id = {p.id: p for p in dossier.persons}
    final_roles: dict[int, PersonRole] = {}
    new_rows = []
    for row in persons:
        person = by_id.get(row.get("person_id") or 0)
        if row.get("remove"):
            if person is not None:
                _remove_person(dossier, person)
            continue
        if _is_blank_person(row):
            continue
        if person is None:
            new_rows.append(row)
            continue
        person.first_name = row["first_name"].strip()
        person.last_name = row["last_name"].strip()
        person.is_dependant = bool(row.get("is_dependant"))
        person.dependant_reason = row.get("dependant_reason") or None if person.is_dependant else None
        person.has_recognised_disability = bool(row.get("has_recognised_disability"))
        person.is_domiciled = bool(row.get("is_domiciled", True))
        final_roles[person.id] = PersonRole(row["role"])
    # Two people may swap roles; park them first so the one-reference-tenant index never sees two.
    moving = [p for p in dossier.persons if p.id in final_roles and p.role != final_roles[p.id]]
    if moving:
        for person in moving:
            person.role = PersonRole.OTHER_ADULT
        db.session.flush()
        for person in moving:
            person.role = final_roles[person.id]
    position = max((p.position for p in dossier.persons), default=0)
    for row in new_rows:
        position += 1
        dossier.persons.append(
            Person(
                position=position,
                role=PersonRole(row["role"]),
                first_name=row["first_name"].strip(),
                last_name=row["last_name"].strip(),
                is_dependant=bool(row.get("is_dependant")),
                dependant_reason=(row.get("dependant_reason") or None) if row.get("is_dependant") else None,
                has_recognised_disability=bool(row.get("has_recognised_disability")),
                is_domiciled=bool(row.get("is_domiciled", True)),
            )
        )
    finish_step(dossier, step="household", actor=actor, now=now)


def save_identity(dossier: Dossier, *, version: int, rows: Iterable[dict], actor: Actor, now: datetime) -> None:
    """Save identity numbers, birth dates, register and language level per person."""
    begin_step(dossier, version)
    by_id = {p.id: p for p in dossier.persons}
    for row in rows:
        person = by_id.get(row.get("person_id") or 0)
        if person is None:
            continue
        kind = IdKind(row.get("id_kind") or IdKind.NONE)
        year, month, day = row.get("birth_year"), row.get("birth_month") or None, row.get("birth_day") or None
        number = None
        if kind in (IdKind.NATIONAL_NUMBER, IdKind.BIS_NUMBER) and row.get("national_number"):
            parsed = parse_national_number(row["national_number"])
            number, kind = parsed.number, IdKind(parsed.kind.value)
            # What the number knows fills what was left blank; the form already checked they agree.
            year = year or parsed.birth_year
            month = month or parsed.birth_month
            day = day or parsed.birth_day
        person.id_kind = kind
        person.national_number = number
        person.foreign_id = (row.get("foreign_id") or "").strip() or None if kind == IdKind.FOREIGN_ID else None
        person.birth_year, person.birth_month, person.birth_day = year, month, day
        person.register_type = row.get("register_type") or person.register_type
        person.is_emancipated = bool(row.get("is_emancipated"))
        person.has_guided_living = bool(row.get("has_guided_living"))
        person.language_level = row.get("language_level") or person.language_level
    finish_step(dossier, step="identity", actor=actor, now=now)


_INCOME_FIELDS = (
    "income_year",
    "taxable_total",
    "separately_taxed",
    "leefloon",
    "ivt",
    "foreign_exempt",
    "source",
    "uses_current_income",
    "current_income_months",
    "current_income_amount",
    "in_debt_settlement",
    "disposable_income",
)


def save_incomes(dossier: Dossier, *, version: int, rows: Iterable[dict], actor: Actor, now: datetime) -> None:
    """Save the income of the reference tenant and the partner (only they count)."""
    begin_step(dossier, version)
    applicants = {p.id: p for p in dossier.persons if p.is_adult_applicant}
    by_person = {i.person_id: i for i in dossier.incomes}
    for row in rows:
        person = applicants.get(row.get("person_id") or 0)
        if person is None:
            continue
        record = by_person.get(person.id)
        if record is None:
            record = IncomeRecord(person=person)
            dossier.incomes.append(record)
        for name in _INCOME_FIELDS:
            value = row.get(name)
            if name in ("uses_current_income", "in_debt_settlement"):
                value = bool(value)
            elif value == "":
                value = None
            setattr(record, name, value)
        if record.current_income_months is not None:
            record.current_income_months = int(record.current_income_months)
    finish_step(dossier, step="income", actor=actor, now=now)


def save_means_test(
    dossier: Dossier,
    *,
    version: int,
    total_balances: Decimal,
    excluded_amount: Decimal | None,
    declared_on: date,
    actor: Actor,
    now: datetime,
) -> None:
    """Save the balances declared on honour for the means test."""
    begin_step(dossier, version)
    if dossier.assets is None:
        dossier.assets = AssetsDeclaration(
            dossier_id=dossier.id, total_balances=total_balances, declared_on=declared_on
        )
    dossier.assets.total_balances = total_balances
    dossier.assets.excluded_amount = excluded_amount or Decimal(0)
    dossier.assets.declared_on = declared_on
    finish_step(dossier, step="means_test", actor=actor, now=now)


def save_property(
    dossier: Dossier, *, version: int, has_property: bool, items: Iterable[dict], actor: Actor, now: datetime
) -> None:
    """Save whether anyone holds a right on a dwelling or land, and each right with its exception."""
    begin_step(dossier, version)
    dossier.has_property = has_property
    by_id = {p.id: p for p in dossier.property_declarations}
    person_ids = {p.id for p in dossier.persons}
    for row in items:
        item = by_id.get(row.get("item_id") or 0)
        if row.get("remove") or not has_property:
            if item is not None:
                dossier.property_declarations.remove(item)
                db.session.delete(item)
            continue
        if not row.get("right_type"):
            continue
        if item is None:
            item = PropertyDeclaration(right_type=row["right_type"])
            dossier.property_declarations.append(item)
        item.person_id = row.get("person_id") if row.get("person_id") in person_ids else None
        item.country = (row.get("country") or "BE").upper()
        item.right_type = row["right_type"]
        item.share_pct = row.get("share_pct")
        item.exception = row.get("exception") or None
        item.note = (row.get("note") or "").strip() or None
    if not has_property:
        for item in list(dossier.property_declarations):
            dossier.property_declarations.remove(item)
            db.session.delete(item)
    finish_step(dossier, step="property", actor=actor, now=now)


def save_addresses(dossier: Dossier, *, version: int, rows: Iterable[dict], actor: Actor, now: datetime) -> None:
    """Save the address history (optional; it feeds the local-binding indicator)."""
    begin_step(dossier, version)
    by_id = {a.id: a for a in dossier.addresses}
    for row in rows:
        entry = by_id.get(row.get("entry_id") or 0)
        if row.get("remove"):
            if entry is not None:
                dossier.addresses.remove(entry)
                db.session.delete(entry)
            continue
        name = (row.get("municipality_name") or "").strip()
        if not name or not row.get("from_on"):
            continue
        if entry is None:
            entry = AddressHistoryEntry(municipality_name=name, from_on=row["from_on"])
            dossier.addresses.append(entry)
        entry.municipality_name = name
        entry.from_on = row["from_on"]
        entry.until_on = row.get("until_on")
    finish_step(dossier, step="addresses", actor=actor, now=now)


def save_preferences(
    dossier: Dossier,
    *,
    version: int,
    municipality_ids: Iterable[int],
    values: dict,
    actor: Actor,
    now: datetime,
    sub_municipality_ids: Iterable[int] = (),
) -> None:
    """Save where and how the household wants to live (whole municipalities, or only some deelgemeenten)."""
    begin_step(dossier, version)
    prefs = dossier.preferences
    if prefs is None:
        prefs = Preferences(dossier_id=dossier.id, dwelling_types=[])
        dossier.preferences = prefs
    wanted = set(municipality_ids)
    before = sorted(m.name for m in prefs.municipalities)
    chosen = list(db.session.scalars(db.select(Municipality).where(Municipality.id.in_(wanted)))) if wanted else []
    prefs.municipalities = sorted(chosen, key=lambda m: m.name)
    parts = set(sub_municipality_ids)
    before += sorted(s.name for s in prefs.sub_municipalities)
    prefs.sub_municipalities = (
        list(db.session.scalars(db.select(SubMunicipality).where(SubMunicipality.id.in_(parts)).order_by(
            SubMunicipality.name))) if parts else []
    )
    prefs.dwelling_types = sorted(values.get("dwelling_types") or [])
    for name in ("bedrooms_min", "bedrooms_max", "max_rent"):
        setattr(prefs, name, values.get(name))
    for name in ("needs_ground_floor", "needs_lift", "needs_wheelchair"):
        setattr(prefs, name, bool(values.get(name)))
    prefs.remarks = (values.get("remarks") or "").strip() or None
    after = sorted(m.name for m in prefs.municipalities) + sorted(s.name for s in prefs.sub_municipalities)
    extra = {"Preferences municipalities": {"municipalities": [before, after]}} if before != after else None
    finish_step(dossier, step="preferences", actor=actor, now=now, extra=extra)


def save_cir(
    dossier: Dossier,
    *,
    version: int,
    cir_registered: bool,
    cir_registered_on: date | None,
    cir_reference: str | None,
    actor: Actor,
    now: datetime,
) -> None:
    """Save whether the candidate was registered in the central register (CIR) during the appointment."""
    begin_step(dossier, version)
    dossier.cir_registered = cir_registered
    dossier.cir_registered_on = cir_registered_on if cir_registered else None
    dossier.cir_reference = ((cir_reference or "").strip() or None) if cir_registered else None
    finish_step(dossier, step="cir", actor=actor, now=now)
