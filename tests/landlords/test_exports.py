"""CSV and JSON exports against their documented schemas."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from inschrijving.db_types import utcnow
from inschrijving.landlords.api.openapi import openapi_document
from inschrijving.landlords.portal import queries
from inschrijving.landlords.portal.services import exports
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory

DOCS = Path(__file__).resolve().parents[2] / "docs" / "landlords.md"


def _choices(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    menen = MunicipalityFactory(name="Menen")
    shared_dossier(moment, [landlord], last_name="=HYPERLINK(1)", municipalities=[menen])
    shared_dossier(moment, [landlord], persons=4)
    return moment, queries.moment_choices(landlord.id, moment.id)


def test_csv_has_the_documented_columns_and_one_row_per_dossier(app, request_context):
    _moment, choices = _choices(app)
    rows = list(csv.reader(io.StringIO(exports.dossiers_csv(choices))))

    header = [name for name, _meaning in exports.CSV_COLUMNS]
    assert rows[0] == header
    assert len(rows) == 1 + len(choices)
    csv_section = DOCS.read_text(encoding="utf-8").split("## CSV export", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", csv_section, flags=re.MULTILINE)
    assert documented == header
    by_name = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {r["household_size"] for r in by_name} == {"2", "4"}
    # A candidate's text never runs as a spreadsheet formula.
    assert any(r["reference_tenant_last_name"] == "'=HYPERLINK(1)" for r in by_name)


def test_json_export_fits_the_published_schema(app, request_context):
    moment, choices = _choices(app)
    data = exports.moment_json(moment, choices, now=utcnow())

    document = openapi_document()
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    validator = jsonschema.Draft202012Validator(
        {"$ref": "urn:openapi#/components/schemas/MomentExport"},
        registry=registry,
        format_checker=jsonschema.FormatChecker(),
    )
    validator.validate(data)
    assert len(data["dossiers"]) == 2
    assert data["dossiers"][0]["persons"][0]["national_number"] == "85073003328"
