"""The OpenAPI 3.1 document of /api/v1/; its schemas also define the JSON export (docs/landlords.md)."""

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


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Amounts travel as decimal strings ("29515.00"): no binary rounding on money.
MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
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
    "LandlordStatus": _object(
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
    "MomentSummary": _object(
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
    "Moment": _object({"id": INTEGER, "date": DATE, "location": STRING, "address": STRING}),
    "DossierListItem": _object(
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
    "Person": _object(
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
    "Income": _object(
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
    "Document": _object(
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
    "Dossier": _object(
        {
            "id": INTEGER,
            "reference": STRING,
            "moment": _object({"id": INTEGER, "date": DATE}),
            "completed_at": _nullable(DATETIME),
            "version": INTEGER,
            "language": STRING,
            "contact": _object({"phone": _nullable(STRING), "email": _nullable(STRING)}),
            "family_reunification_expected": INTEGER,
            "persons": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            "incomes": {"type": "array", "items": {"$ref": "#/components/schemas/Income"}},
            "assets": {
                "oneOf": [
                    {"type": "null"},
                    _object({"total_balances": MONEY, "excluded_amount": MONEY, "declared_on": DATE}),
                ]
            },
            "has_property": _nullable(BOOLEAN),
            "property_declarations": {
                "type": "array",
                "items": _object(
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
                "items": _object(
                    {"person_id": _nullable(INTEGER), "municipality": STRING, "from": DATE, "until": _nullable(DATE)}
                ),
            },
            "preferences": {
                "oneOf": [
                    {"type": "null"},
                    _object(
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
            "cir": _object(
                {"registered": _nullable(BOOLEAN), "registered_on": _nullable(DATE), "reference": _nullable(STRING)}
            ),
            "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
            "landlord_status": {"$ref": "#/components/schemas/LandlordStatus"},
        }
    ),
    "MomentExport": _object(
        {
            "schema_version": {"const": 1},
            "generated_at": DATETIME,
            "moment": {"$ref": "#/components/schemas/Moment"},
            "dossiers": {"type": "array", "items": {"$ref": "#/components/schemas/Dossier"}},
        }
    ),
    "PacketPreparing": _object({"status": {"const": "preparing"}, "ready": INTEGER, "total": INTEGER}),
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


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


ERRORS = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "500": {"$ref": "#/components/responses/InternalError"},
}
INTERNAL_ERROR = {"500": ERRORS["500"]}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document, as served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Groepsinschrijving landlord API",
            "version": "1.0.0",
            "description": "Dossiers that chose your landlord, as JSON and PDF, and your status reports. "
            "Authenticate with `Authorization: Bearer <token>`; a coordinator gives you the token. "
            "Every error is an `Error` with a stable code. A method a path does not offer gets 405 "
            "(`method_not_allowed`, components/responses/MethodNotAllowed) with an `Allow` header.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/moments": {
                "get": {
                    "operationId": "listMoments",
                    "summary": "Moments with dossiers for your landlord",
                    "responses": {
                        "200": {
                            "description": "The moments, newest first",
                            "content": {
                                "application/json": {
                                    "schema": _object(
                                        {
                                            "moments": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/MomentSummary"},
                                            }
                                        }
                                    )
                                }
                            },
                        },
                        "401": ERRORS["401"],
                        **INTERNAL_ERROR,
                    },
                }
            },
            "/moments/{moment_id}/dossiers": {
                "get": {
                    "operationId": "listDossiers",
                    "summary": "The dossiers of a moment for your landlord",
                    "parameters": [_id("moment_id")],
                    "responses": {
                        "200": {
                            "description": "The dossiers",
                            "content": {
                                "application/json": {
                                    "schema": _object(
                                        {
                                            "moment": {"$ref": "#/components/schemas/Moment"},
                                            "dossiers": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/DossierListItem"},
                                            },
                                        }
                                    )
                                }
                            },
                        },
                        **ERRORS,
                    },
                }
            },
            "/moments/{moment_id}/packet.pdf": {
                "get": {
                    "operationId": "getPacket",
                    "summary": "The packet (PDF) of a moment for your landlord",
                    "parameters": [_id("moment_id")],
                    "responses": {
                        "200": {
                            "description": "The packet",
                            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        "202": {
                            "description": "A cold packet is being prepared: call again after Retry-After seconds",
                            "content": _json("PacketPreparing"),
                        },
                        **ERRORS,
                    },
                }
            },
            "/dossiers/{dossier_id}": {
                "get": {
                    "operationId": "getDossier",
                    "summary": "One dossier, whole",
                    "parameters": [_id("dossier_id")],
                    "responses": {"200": {"description": "The dossier", "content": _json("Dossier")}, **ERRORS},
                }
            },
            "/dossiers/{dossier_id}/status": {
                "put": {
                    "operationId": "setStatus",
                    "summary": "Report what you did with a dossier",
                    "parameters": [_id("dossier_id")],
                    "requestBody": {"required": True, "content": _json("StatusUpdate")},
                    "responses": {
                        "200": {"description": "The status as stored", "content": _json("LandlordStatus")},
                        "400": _error_response(
                            "The body is not a JSON object (invalid_json) or has a property StatusUpdate "
                            "does not define (unknown_property, `field` names it)"
                        ),
                        "422": _error_response(
                            "A value has the wrong type or form, or the status lacks what it needs "
                            "(invalid_status, `field` names the field)"
                        ),
                        **ERRORS,
                    },
                }
            },
            "/documents/{document_id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "An original document of a dossier",
                    "parameters": [_id("document_id")],
                    "responses": {
                        "200": {
                            "description": "The file, with its content type",
                            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **ERRORS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["openapi", "info", "paths", "components"],
                                        "properties": {"openapi": {"const": "3.1.0"}},
                                    }
                                }
                            },
                        },
                        **INTERNAL_ERROR,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Unauthorized": _error_response("Missing, unknown or revoked token"),
                "NotFound": _error_response("Not there, or not shared with your landlord"),
                "MethodNotAllowed": {
                    "description": "The path does not offer this method (code method_not_allowed)",
                    "headers": {
                        "Allow": {"description": "The methods the path offers", "schema": {"type": "string"}}
                    },
                    "content": _json("Error"),
                },
                "InternalError": _error_response("Something failed on our side (code internal_error)"),
            },
            "schemas": SCHEMAS,
        },
    }
