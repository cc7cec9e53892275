"""What a dossier still misses: one definition, used by the dossier page, completion, receipt and manage page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from inschrijving.dossiers.eligibility.rules import MEANS_TEST_START
from inschrijving.dossiers.enums import ConsentPurpose, DocumentKind, IdKind, IncomeSource, PersonRole, RegisterType
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.models.means import IncomeRecord


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    # Plain Dutch (lazy, translated when shown), without names or numbers: the candidate's manage page
    # shows these labels too.
    label: Any
    done: bool
    # The intake step where it is filled in.
    step: str
    # A paper the candidate can bring (shown on the manage page as "bring this").
    is_document: bool = False
    # For a paper: which kind, and whose (None: the household's), so an upload from this item is preselected.
    document_kind: DocumentKind | None = None
    person_id: int | None = None


_ROLE_WORDS = {
    PersonRole.REFERENCE_TENANT: _l("de referentiehuurder"),
    PersonRole.PARTNER: _l("de partner"),
    PersonRole.OTHER_ADULT: _l("een andere volwassene"),
    PersonRole.CHILD: _l("een kind"),
}


def _adults(dossier: Dossier) -> list[Person]:
    return [p for p in dossier.persons if p.role != PersonRole.CHILD]


def _identity_done(person: Person) -> bool:
    if person.id_kind in (IdKind.NATIONAL_NUMBER, IdKind.BIS_NUMBER):
        has_id = bool(person.national_number)
    elif person.id_kind == IdKind.FOREIGN_ID:
        has_id = bool(person.foreign_id)
    else:
        has_id = False
    return has_id and person.birth_year is not None and person.register_type != RegisterType.UNKNOWN


def income_filled(record: IncomeRecord | None) -> bool:
    """An income counts as filled in when one of the three ways to count it is complete."""
    if record is None:
        return False
    if record.in_debt_settlement and record.disposable_income is not None:
        return True
    if record.uses_current_income:
        return record.current_income_amount is not None and record.current_income_months in (3, 6)
    return record.income_year is not None and record.taxable_total is not None


def _has_document(dossier: Dossier, kind: DocumentKind, person: Person | None = None) -> bool:
    return any(d.kind == kind and (person is None or d.person_id == person.id) for d in dossier.documents)


def completeness_checklist(dossier: Dossier) -> list[ChecklistItem]:
    """Every required part of the dossier, done or missing, in intake order."""
    items: list[ChecklistItem] = []
    tenant = dossier.reference_tenant
    applicants = [p for p in dossier.persons if p.is_adult_applicant]
    items.append(ChecklistItem("household", _l("Wie er in het gezin woont"), tenant is not None, "household"))
    adults = _adults(dossier)
    items.append(
        ChecklistItem(
            "identity",
            _l("Identiteit, geboortedatum en register van elke volwassene"),
            bool(adults) and all(_identity_done(p) for p in adults),
            "identity",
        )
    )
    incomes = {i.person_id: i for i in dossier.incomes}
    items.append(
        ChecklistItem(
            "income",
            _l("Inkomen van de referentiehuurder en de partner"),
            bool(applicants) and all(income_filled(incomes.get(p.id)) for p in applicants),
            "income",
        )
    )
    if dossier.moment.held_on >= MEANS_TEST_START:
        items.append(
            ChecklistItem("means_test", _l("Spaargeld (middelentoets)"), dossier.assets is not None, "means_test")
        )
    property_done = dossier.has_property is False or (
        dossier.has_property is True and bool(dossier.property_declarations)
    )
    items.append(ChecklistItem("property", _l("Eigendom van een woning of grond"), property_done, "property"))
    prefs = dossier.preferences
    items.append(
        ChecklistItem(
            "preferences",
            _l("Voorkeuren: minstens één gemeente"),
            prefs is not None and bool(prefs.municipalities),
            "preferences",
        )
    )
    live_shares = [c for c in dossier.consents if c.purpose == ConsentPurpose.SHARE_WITH_LANDLORD and c.is_live]
    items.append(
        ChecklistItem(
            "landlords", _l("Minstens één verhuurder gekozen, met toestemming"), bool(live_shares), "landlords"
        )
    )
    disabled = [p for p in dossier.persons if p.has_recognised_disability]
    if disabled:
        health = any(c.purpose == ConsentPurpose.HEALTH_DATA and c.is_live for c in dossier.consents)
        items.append(
            ChecklistItem("health_consent", _l("Toestemming voor gegevens over de handicap"), health, "health")
        )
    for person in applicants:
        who = _ROLE_WORDS[person.role]
        items.append(
            ChecklistItem(
                f"doc_identity_{person.id}",
                _l("Identiteitskaart of verblijfsdocument van %(who)s", who=who),
                _has_document(dossier, DocumentKind.IDENTITY, person),
                "documents",
                is_document=True,
                document_kind=DocumentKind.IDENTITY,
                person_id=person.id,
            )
        )
        record = incomes.get(person.id)
        # Income known electronically (KSZ) needs no paper.
        if record is None or record.source != IncomeSource.KSZ:
            items.append(
                ChecklistItem(
                    f"doc_income_{person.id}",
                    _l("Bewijs van inkomen van %(who)s", who=who),
                    _has_document(dossier, DocumentKind.INCOME_PROOF, person),
                    "documents",
                    is_document=True,
                    document_kind=DocumentKind.INCOME_PROOF,
                    person_id=person.id,
                )
            )
        if record is not None and record.in_debt_settlement:
            items.append(
                ChecklistItem(
                    f"doc_debt_{person.id}",
                    _l("Vonnis of attest van de schuldenregeling van %(who)s", who=who),
                    _has_document(dossier, DocumentKind.DEBT_SETTLEMENT),
                    "documents",
                    is_document=True,
                    document_kind=DocumentKind.DEBT_SETTLEMENT,
                    person_id=person.id,
                )
            )
    for person in disabled:
        items.append(
            ChecklistItem(
                f"doc_disability_{person.id}",
                _l("Attest van de erkende handicap van %(who)s", who=_ROLE_WORDS[person.role]),
                _has_document(dossier, DocumentKind.DISABILITY_ATTEST, person),
                "documents",
                is_document=True,
                document_kind=DocumentKind.DISABILITY_ATTEST,
                person_id=person.id,
            )
        )
    if any(p.exception is not None for p in dossier.property_declarations):
        items.append(
            ChecklistItem(
                "doc_property_exception",
                _l("Bewijs voor de uitzondering op eigendom (akte, reden)"),
                _has_document(dossier, DocumentKind.PROPERTY_EXCEPTION),
                "documents",
                is_document=True,
                document_kind=DocumentKind.PROPERTY_EXCEPTION,
            )
        )
    items.append(
        ChecklistItem(
            "cir",
            _l("Inschrijving in het centraal register (CIR): gedaan of niet"),
            dossier.cir_registered is not None,
            "cir",
        )
    )
    return items


def missing_items(dossier: Dossier) -> list[ChecklistItem]:
    """The checklist items still missing; empty means the dossier can be completed."""
    return [item for item in completeness_checklist(dossier) if not item.done]


def missing_papers(dossier: Dossier) -> list[ChecklistItem]:
    """The missing items that a paper proves: the documents page asks for these, one upload field each."""
    return [item for item in missing_items(dossier) if item.document_kind is not None]


def can_complete(dossier: Dossier) -> bool:
    """A draft with nothing missing: the page offers "Dossier afronden" and `complete_dossier` accepts it."""
    return not dossier.is_complete and not missing_items(dossier)
