"""The schemas of the OpenAPI document; they also define the JSON export (docs/landlords.md)."""

from __future__ import annotations

from typing import Any

from inschrijving.dossiers.models import (
    ChoiceStatus,
    DependantReason,
    DocumentKind,
    IdKind,
    IncomeSource,
    LanguageLevel,
    PersonRole,
    PropertyException,
    PropertyRight,
    RegisterType,
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "type": [schema["type"], "null"], "enum": [*schema["enum"], None]}
    return {**schema, "type": [schema["type"], "null"]}


def _enum(enum_cls) -> dict[str, Any]:
    return {"type": "string", "enum": [m.value for m in enum_cls]}


def object_schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Amounts travel as decimal strings ("29515.00"): no binary rounding on money.
MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}

SCHEMAS: dict[str, Any] = {
    "Error": object_schema(
        {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": [
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
                        ],
                    },
                    "message": STRING,
                    "field": STRING,
                },
            }
        }
    ),
    "LandlordStatus": object_schema(
        {
            "status": _enum(ChoiceStatus),
            "landlord_reference": _nullable(STRING),
            "registered_on": _nullable(DATE),
            "note": _nullable(STRING),
            "status_set_at": _nullable(DATETIME),
            "first_downloaded_at": _nullable(DATETIME),
            "last_downloaded_at": _nullable(DATETIME),
        }
    ),
    "MomentSummary": object_schema(
        {
            "id": INTEGER,
            "date": DATE,
            "location": STRING,
            "address": STRING,
            "dossiers": INTEGER,
            "new": {**INTEGER, "description": "Dossiers your landlord never downloaded."},
            "changed": {
                **INTEGER,
                "description": "Dossiers completed again (corrected) after your landlord's last download of them.",
            },
        }
    ),
    "Moment": object_schema({"id": INTEGER, "date": DATE, "location": STRING, "address": STRING}),
    "DossierListItem": object_schema(
        {
            "id": INTEGER,
            "reference": STRING,
            "reference_tenant": _nullable(STRING),
            "household_size": INTEGER,
            "municipalities": {"type": "array", "items": STRING},
            "documents": INTEGER,
            "changed_since_download": {
                **BOOLEAN,
                "description": "Completed again (corrected) after your landlord's last download of it.",
            },
            "landlord_status": {"$ref": "#/components/schemas/LandlordStatus"},
        }
    ),
    "Person": object_schema(
        {
            "id": INTEGER,
            "role": _enum(PersonRole),
            "first_name": STRING,
            "last_name": STRING,
            "id_kind": _enum(IdKind),
            "national_number": _nullable({"type": "string", "pattern": r"^\d{11}$"}),
            "foreign_id": _nullable(STRING),
            "birth_year": _nullable(INTEGER),
            "birth_month": _nullable(INTEGER),
            "birth_day": _nullable(INTEGER),
            "register_type": _enum(RegisterType),
            "is_dependant": BOOLEAN,
            "dependant_reason": _nullable(_enum(DependantReason)),
            "is_domiciled": BOOLEAN,
            "has_recognised_disability": BOOLEAN,
            "language_level": _enum(LanguageLevel),
        }
    ),
    "Income": object_schema(
        {
            "person_id": INTEGER,
            "income_year": _nullable(INTEGER),
            "source": _nullable(_enum(IncomeSource)),
            "taxable_total": _nullable(MONEY),
            "separately_taxed": _nullable(MONEY),
            "leefloon": _nullable(MONEY),
            "ivt": _nullable(MONEY),
            "foreign_exempt": _nullable(MONEY),
            "reference_total": MONEY,
            "uses_current_income": BOOLEAN,
            "current_income_months": _nullable(INTEGER),
            "current_income_amount": _nullable(MONEY),
            "in_debt_settlement": BOOLEAN,
            "disposable_income": _nullable(MONEY),
        }
    ),
    "Document": object_schema(
        {
            "id": INTEGER,
            "kind": _enum(DocumentKind),
            "person_id": _nullable(INTEGER),
            "filename": STRING,
            "content_type": STRING,
            "size_bytes": INTEGER,
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        }
    ),
    "Dossier": object_schema(
        {
            "id": INTEGER,
            "reference": STRING,
            "moment": object_schema({"id": INTEGER, "date": DATE}),
            "completed_at": _nullable(DATETIME),
            "version": INTEGER,
            "language": STRING,
            "contact": object_schema({"phone": _nullable(STRING), "email": _nullable(STRING)}),
            "family_reunification_expected": INTEGER,
            "persons": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            "incomes": {"type": "array", "items": {"$ref": "#/components/schemas/Income"}},
            "assets": {
                "oneOf": [
                    {"type": "null"},
                    object_schema({"total_balances": MONEY, "excluded_amount": MONEY, "declared_on": DATE}),
                ]
            },
            "has_property": _nullable(BOOLEAN),
            "property_declarations": {
                "type": "array",
                "items": object_schema(
                    {
                        "person_id": _nullable(INTEGER),
                        "country": STRING,
                        "right_type": _enum(PropertyRight),
                        "share_pct": _nullable(MONEY),
                        "exception": _nullable(_enum(PropertyException)),
                        "note": _nullable(STRING),
                    }
                ),
            },
            "addresses": {
                "type": "array",
                "items": object_schema(
                    {"person_id": _nullable(INTEGER), "municipality": STRING, "from": DATE, "until": _nullable(DATE)}
                ),
            },
            "preferences": {
                "oneOf": [
                    {"type": "null"},
                    object_schema(
                        {
                            "municipalities": {"type": "array", "items": STRING},
                            "dwelling_types": {"type": "array", "items": STRING},
                            "bedrooms_min": _nullable(INTEGER),
                            "bedrooms_max": _nullable(INTEGER),
                            "max_rent": _nullable(MONEY),
                            "needs_ground_floor": BOOLEAN,
                            "needs_lift": BOOLEAN,
                            "needs_wheelchair": BOOLEAN,
                            "remarks": _nullable(STRING),
                        }
                    ),
                ]
            },
            "cir": object_schema(
                {"registered": _nullable(BOOLEAN), "registered_on": _nullable(DATE), "reference": _nullable(STRING)}
            ),
            "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
            "landlord_status": {"$ref": "#/components/schemas/LandlordStatus"},
        }
    ),
    "MomentExport": object_schema(
        {
            "schema_version": {"const": 1},
            "generated_at": DATETIME,
            "moment": {"$ref": "#/components/schemas/Moment"},
            "dossiers": {"type": "array", "items": {"$ref": "#/components/schemas/Dossier"}},
        }
    ),
    "PacketPreparing": object_schema({"status": {"const": "preparing"}, "ready": INTEGER, "total": INTEGER}),
    # Held to in api.py: another property is a 400 (unknown_property), a wrong value a 422. A field
    # that belongs to another status is not stored: a report clears the fields of the other statuses.
    "StatusUpdate": {
        "type": "object",
        "required": ["status"],
        "additionalProperties": False,
        "properties": {
            "status": {"type": "string", "enum": ["registered", "incomplete", "refused"]},
            "landlord_reference": {
                **_nullable(STRING),
                "description": "Your registration number; required for registered, not kept with other statuses.",
            },
            "registered_on": {
                **_nullable(DATE),
                "description": "YYYY-MM-DD; required for registered, not in the future, not kept with other statuses.",
            },
            "note": {
                **_nullable(STRING),
                "description": "What is missing (incomplete) or why (refused); required for those, "
                "not kept with registered.",
            },
        },
    },
}
