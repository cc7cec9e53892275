"""The API contract: every request and response body of /api/v1/ (and of the portal's JSON export) as pydantic models.

These models are the one source of the contract: they validate what a landlord's system sends,
serialise what it gets, and generate the schemas of the OpenAPI document (`api.openapi`). A
response is built from the database rows by the `of` constructors here, so the JSON export and
the API cannot drift apart. Field meanings are in docs/landlords.md. The contract lives in `portal/`
because the API is built on the portal's queries and services and the portal never imports the API. The OpenAPI
document's own shape and the list of the bodies it publishes sit with the document, in `api.openapi`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, Strict, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from inschrijving.dossiers import enums
from inschrijving.dossiers.models import consent as consent_rows
from inschrijving.dossiers.models import documents as document_rows
from inschrijving.dossiers.models import household as household_rows
from inschrijving.landlords.portal.queries import lists as list_queries
from inschrijving.landlords.portal.queries import shared as shared_queries

# Amounts travel as decimal strings ("29515.00"): no binary rounding on money.
Money = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}),
]
# As Python writes them (2026-12-01T09:30:00+00:00), the form this API has always sent.
Timestamp = Annotated[
    datetime,
    PlainSerializer(datetime.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
# RFC 3339 full-date only: strict, so 20261103 or 2026-W45-2 are refused, not read as a date.
Day = Annotated[date, Strict()]

ErrorCode = Literal[
    "unauthorized",
    "not_found",
    "invalid_json",
    "unknown_property",
    "invalid_status",
    "method_not_allowed",
    "bad_request",
    "too_large",
    "internal_error",
    "error",
]


class Body(BaseModel):
    """A JSON object of exactly these properties."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class ErrorDetail(Body):
    code: ErrorCode
    message: str
    field: str | SkipJsonSchema[None] = None


class Error(Body):
    error: ErrorDetail


class LandlordStatus(Body):
    status: enums.ChoiceStatus
    landlord_reference: str | None
    registered_on: Day | None
    note: str | None
    status_set_at: Timestamp | None
    first_downloaded_at: Timestamp | None
    last_downloaded_at: Timestamp | None

    @classmethod
    def of(cls, choice: consent_rows.LandlordChoice) -> LandlordStatus:
        return cls.model_validate(list_queries.ChoiceState.of(choice))


class Moment(Body):
    id: int
    date: Day
    location: str
    address: str

    @classmethod
    def of(cls, moment: Any) -> Moment:
        """From a `RegistrationMoment` or a `MomentSummary` (both have these attributes)."""
        return cls(id=moment.id, date=moment.held_on, location=moment.location_name, address=moment.address)


class MomentSummary(Body):
    id: int
    date: Day
    location: str
    address: str
    dossiers: int
    new: int = Field(description="Dossiers your landlord never downloaded.")
    changed: int = Field(
        description="Dossiers completed again (corrected) after your landlord's last download of them."
    )

    @classmethod
    def of(cls, summary: shared_queries.MomentSummary) -> MomentSummary:
        return cls(
            **Moment.of(summary).model_dump(), dossiers=summary.dossiers, new=summary.new, changed=summary.changed
        )


MAX_PER_PAGE = 500


class PageQuery(BaseModel):
    """The query parameters of every list: which page, and how many items a page holds."""

    model_config = ConfigDict(extra="ignore")

    # Bounded so the OFFSET stays a number every database takes (the API fuzz test found 2^63).
    page: int = Field(default=1, ge=1, le=1_000_000, description="Which page, from 1 to 1,000,000.")
    per_page: int = Field(default=100, ge=1, le=MAX_PER_PAGE, description="Items per page, at most 500.")


class Paging(Body):
    """Where this page is in the whole list; the order is stable, so walking `next_page` sees every item once."""

    page: int
    per_page: int
    total: int = Field(description="Items in the whole list.")
    next_page: int | None = Field(description="The next page's number; null on the last page.")

    @classmethod
    def of(cls, query: PageQuery, total: int) -> Paging:
        more = query.page * query.per_page < total
        return cls(page=query.page, per_page=query.per_page, total=total, next_page=query.page + 1 if more else None)


class MomentList(Body):
    moments: list[MomentSummary] = Field(description="Newest first (then by id).")
    paging: Paging


class DossierListItem(Body):
    id: int
    reference: str
    reference_tenant: str | None
    household_size: int
    municipalities: list[str]
    documents: int
    changed_since_download: bool = Field(
        description="Completed again (corrected) after your landlord's last download of it."
    )
    landlord_status: LandlordStatus

    @classmethod
    def of(cls, row: list_queries.DossierRow) -> DossierListItem:
        return cls.model_validate(row)


class MomentDossiers(Body):
    moment: Moment
    dossiers: list[DossierListItem] = Field(description="By reference tenant's name, then dossier reference.")
    paging: Paging


class Person(Body):
    id: int
    role: enums.PersonRole
    first_name: str
    last_name: str
    id_kind: enums.IdKind
    national_number: Annotated[str, Field(pattern=r"^\d{11}$")] | None
    foreign_id: str | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    register_type: enums.RegisterType
    is_dependant: bool
    dependant_reason: enums.DependantReason | None
    is_domiciled: bool
    has_recognised_disability: bool
    language_level: enums.LanguageLevel


class Income(Body):
    person_id: int
    income_year: int | None
    source: enums.IncomeSource | None
    taxable_total: Money | None
    separately_taxed: Money | None
    leefloon: Money | None
    ivt: Money | None
    foreign_exempt: Money | None
    reference_total: Money
    uses_current_income: bool
    current_income_months: int | None
    current_income_amount: Money | None
    in_debt_settlement: bool
    disposable_income: Money | None


class Document(Body):
    id: int
    kind: enums.DocumentKind
    person_id: int | None
    filename: str
    content_type: str
    size_bytes: int
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]

    @classmethod
    def of(cls, document: document_rows.Document) -> Document:
        return cls(
            id=document.id,
            kind=document.kind,
            person_id=document.person_id,
            filename=document.original_filename,
            content_type=document.content_type,
            size_bytes=document.size_bytes,
            sha256=document.sha256,
        )


class DossierMoment(Body):
    id: int
    date: Day


class Contact(Body):
    phone: str | None
    email: str | None


class Assets(Body):
    total_balances: Money
    excluded_amount: Money
    declared_on: Day


class PropertyDeclaration(Body):
    person_id: int | None
    country: str
    right_type: enums.PropertyRight
    share_pct: Money | None
    exception: enums.PropertyException | None
    note: str | None


class Address(Body):
    model_config = ConfigDict(populate_by_name=True)

    person_id: int | None
    municipality: str
    from_on: Day = Field(alias="from")
    until: Day | None

    @classmethod
    def of(cls, entry: Any) -> Address:
        return cls(
            person_id=entry.person_id, municipality=entry.municipality_name, from_on=entry.from_on, until=entry.until_on
        )


class Preferences(Body):
    municipalities: list[str] = Field(description="Whole municipalities, by name.")
    sub_municipalities: list[str] = Field(
        description='Deelgemeenten wanted without their whole municipality, as "Bellegem (Kortrijk)".'
    )
    dwelling_types: list[str]
    bedrooms_min: int | None
    bedrooms_max: int | None
    max_rent: Money | None
    needs_ground_floor: bool
    needs_lift: bool
    needs_wheelchair: bool
    remarks: str | None


class Cir(Body):
    registered: bool | None
    registered_on: Day | None
    reference: str | None


class Dossier(Body):
    id: int
    reference: str
    moment: DossierMoment
    completed_at: Timestamp | None
    version: int
    language: str
    contact: Contact
    family_reunification_expected: int
    persons: list[Person]
    incomes: list[Income]
    assets: Assets | None
    has_property: bool | None
    property_declarations: list[PropertyDeclaration]
    addresses: list[Address]
    preferences: Preferences | None
    cir: Cir
    documents: list[Document]
    landlord_status: LandlordStatus

    @classmethod
    def of(cls, dossier: household_rows.Dossier, choice: consent_rows.LandlordChoice) -> Dossier:
        """The whole dossier as the landlord of this choice sees it."""
        prefs = dossier.preferences
        return cls(
            id=dossier.id,
            reference=dossier.reference,
            moment=DossierMoment(id=dossier.moment_id, date=dossier.moment.held_on),
            completed_at=dossier.completed_at,
            version=dossier.version,
            language=dossier.language,
            contact=Contact(phone=dossier.contact_phone, email=dossier.contact_email),
            family_reunification_expected=dossier.family_reunification_expected,
            persons=[Person.model_validate(p) for p in dossier.persons],
            incomes=[Income.model_validate(i) for i in dossier.incomes],
            assets=None if dossier.assets is None else Assets.model_validate(dossier.assets),
            has_property=dossier.has_property,
            property_declarations=[PropertyDeclaration.model_validate(p) for p in dossier.property_declarations],
            addresses=[Address.of(a) for a in dossier.addresses],
            preferences=None
            if prefs is None
            else Preferences(
                municipalities=list_queries.preferred_municipalities(dossier),
                sub_municipalities=list_queries.preferred_sub_municipalities(dossier),
                dwelling_types=list(prefs.dwelling_types or []),
                bedrooms_min=prefs.bedrooms_min,
                bedrooms_max=prefs.bedrooms_max,
                max_rent=prefs.max_rent,
                needs_ground_floor=prefs.needs_ground_floor,
                needs_lift=prefs.needs_lift,
                needs_wheelchair=prefs.needs_wheelchair,
                remarks=prefs.remarks,
            ),
            cir=Cir(
                registered=dossier.cir_registered,
                registered_on=dossier.cir_registered_on,
                reference=dossier.cir_reference,
            ),
            documents=[Document.of(d) for d in sorted(dossier.documents, key=lambda d: d.id)],
            landlord_status=LandlordStatus.of(choice),
        )


class MomentExport(Body):
    schema_version: Literal[1]
    generated_at: Timestamp
    moment: Moment
    dossiers: list[Dossier]


class PacketPreparing(Body):
    status: Literal["preparing"]
    ready: int
    total: int


class StatusUpdate(Body):
    """Another property is a 400 (unknown_property), a wrong value a 422 (invalid_status).

    A field that belongs to another status is not stored: a report clears the fields of the other statuses.
    """

    status: Literal["registered", "incomplete", "refused"]
    landlord_reference: str | None = Field(
        default=None,
        description="Your registration number; required for registered, not kept with other statuses.",
    )
    registered_on: Day | None = Field(
        default=None,
        description="YYYY-MM-DD; required for registered, not in the future, not kept with other statuses.",
    )
    note: str | None = Field(
        default=None,
        description="What is missing (incomplete) or why (refused); required for those, not kept with registered.",
    )
