"""The OpenAPI 3.1 document of /api/v1/: its paths and responses here, every schema generated from `schemas`
(the bodies it publishes are listed in RESPONSES and REQUESTS; the document's own shape is `OpenApiDocument`)."""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from inschrijving.landlords.portal import schemas

REF_TEMPLATE = "#/components/schemas/{model}"


class OpenApiDocument(BaseModel):
    """The shape this document itself promises; the rest is OpenAPI's own."""

    model_config = ConfigDict(extra="allow")

    openapi: Literal["3.1.0"]
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


# Bodies the API sends, and the one it receives: the document publishes their schemas.
RESPONSES: tuple[type[BaseModel], ...] = (
    schemas.Error,
    schemas.MomentList,
    schemas.MomentDossiers,
    schemas.Dossier,
    schemas.MomentExport,
    schemas.PacketPreparing,
    OpenApiDocument,
)
REQUESTS: tuple[type[BaseModel], ...] = (schemas.StatusUpdate,)


class _ComponentSchema(GenerateJsonSchema):
    # A property's title would only repeat its name.
    def field_title_should_be_set(self, schema) -> bool:
        return False


@functools.cache
def component_schemas() -> dict[str, Any]:
    """The schema of every body (and of what they contain), by name, generated from the pydantic models."""
    models = [(model, "serialization") for model in RESPONSES]
    models += [(model, "validation") for model in REQUESTS]
    _refs, document = models_json_schema(
        models, ref_template=REF_TEMPLATE, union_format="primitive_type_array", schema_generator=_ComponentSchema
    )
    return document["$defs"]


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


def _page_parameters() -> list[dict[str, Any]]:
    """The list endpoints' query parameters, from the pydantic model that also reads them."""
    schema = schemas.PageQuery.model_json_schema()
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": prop.pop("description", ""),
            "schema": {k: v for k, v in prop.items() if k != "title"},
        }
        for name, prop in schema["properties"].items()
    ]


BAD_PAGE = {"400": _error_response("`page` or `per_page` is not a whole number in range (bad_request)")}


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
                    "parameters": _page_parameters(),
                    "responses": {
                        "200": {
                            "description": "The moments, newest first",
                            "content": _json("MomentList"),
                        },
                        **BAD_PAGE,
                        "401": ERRORS["401"],
                        **INTERNAL_ERROR,
                    },
                }
            },
            "/moments/{moment_id}/dossiers": {
                "get": {
                    "operationId": "listDossiers",
                    "summary": "The dossiers of a moment for your landlord",
                    "parameters": [_id("moment_id"), *_page_parameters()],
                    "responses": {
                        "200": {
                            "description": "The dossiers, one page",
                            "content": _json("MomentDossiers"),
                        },
                        **BAD_PAGE,
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
                            "content": _json("OpenApiDocument"),
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
            "schemas": component_schemas(),
        },
    }
