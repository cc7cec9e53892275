"""CSV and JSON exports against their documented schemas."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import IncomeSource
from inschrijving.dossiers.models.means import IncomeRecord
from inschrijving.extensions import db
from inschrijving.landlords.api.openapi import openapi_document
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import exports, spreadsheet
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
    return moment, shared_queries.moment_choices(landlord.id, moment.id)


def test_csv_has_the_documented_columns_and_one_row_per_dossier(app, request_context):
    _moment, choices = _choices(app)
    text = exports.dossiers_csv(choices)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))

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


HOSTILE = ["=HYPERLINK(1)", "Jan;=cmd|' /C calc'!A0", "Piet,@SUM(1)", "\t=1+1", "Ann;\"=2+2", "x\n=3+3", "-2+3"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_choices():
    moment = MomentFactory()
    landlord = LandlordFactory()
    for name in HOSTILE:
        shared_dossier(moment, [landlord], last_name=name)
    return shared_queries.moment_choices(landlord.id, moment.id)


@pytest.mark.parametrize("written_with", [";", ","])
@pytest.mark.parametrize("read_with", [";", ","])
def test_csv_starts_no_formula_under_either_separator(app, request_context, written_with, read_with):
    """13.10: a spreadsheet reading the file with either list separator finds no cell that starts a formula."""
    choices = _hostile_choices()
    text = exports.dossiers_csv(choices, separator=written_with)[1:]
    assert "\n" not in text.replace("\r\n", "")  # no line break inside a cell: one line per row
    for row in csv.reader(io.StringIO(text), delimiter=read_with):
        for cell in row:
            # Excel also takes a cell's leading quote or space as part of a quoted or padded formula.
            assert not cell.lstrip(' "').startswith(FORMULA_STARTS) or cell == "+32470000000", cell
    if written_with == read_with:
        rows = list(csv.DictReader(io.StringIO(text), delimiter=read_with))
        assert len(rows) == len(HOSTILE)
        names = {r["reference_tenant_last_name"] for r in rows}
        assert "'=HYPERLINK(1)" in names and "Jan;'=cmd|' /C calc'!A0" in names
        assert {r["household_size"] for r in rows} == {"2"}


def test_xlsx_has_typed_cells_dutch_headers_and_values(app, request_context):
    moment = MomentFactory()
    landlord = LandlordFactory()
    menen = MunicipalityFactory(name="Menen")
    dossier = shared_dossier(moment, [landlord], last_name="Dewitte", municipalities=[menen], persons=3)
    dossier.preferences.max_rent = Decimal("650.50")
    tenant = dossier.reference_tenant
    db.session.add(IncomeRecord(dossier=dossier, person=tenant, income_year=2024, taxable_total=Decimal("29515.00"),
                                source=IncomeSource.ASSESSMENT))
    shared_dossier(moment, [landlord], last_name="=HYPERLINK(1)")
    db.session.flush()
    choices = shared_queries.moment_choices(landlord.id, moment.id)

    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheet.dossiers_xlsx(choices)))
    assert workbook.sheetnames == ["Dossiers", "Personen"]
    sheet = workbook["Dossiers"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["Referentie", "Datum moment", "Naam", "Voornaam", "Rijksregisternummer", "Geboortedatum"]
    rows = {row[2]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows["Dewitte"]
    assert row["Datum moment"] == datetime.combine(moment.held_on, datetime.min.time())
    assert row["Geboortedatum"] == datetime(1985, 7, 30)
    assert row["Rijksregisternummer"] == "85.07.30-033.28"
    assert row["Personen"] == 3 and row["Ten laste"] == 1
    assert row["Gezinsinkomen"] == 29515 and row["Maximale huur"] == 650.5
    assert row["Soort woning"] == "Appartement" and row["Gemeenten"] == "Menen"
    assert row["Status"] == "Nieuw"
    assert isinstance(row["Afgerond op"], datetime)
    amount_cell = sheet.cell(row=2 + list(rows).index("Dewitte"), column=header.index("Gezinsinkomen") + 1)
    assert amount_cell.data_type == "n" and "€" in amount_cell.number_format
    # A candidate's text is a text cell, never a formula.
    hostile = sheet.cell(row=2 + list(rows).index("=HYPERLINK(1)"), column=3)
    assert hostile.data_type == "s" and hostile.value == "=HYPERLINK(1)" and hostile.quotePrefix

    persons = workbook["Personen"]
    header = [cell.value for cell in persons[1]]
    people = [dict(zip(header, r, strict=True)) for r in persons.iter_rows(min_row=2, values_only=True)]
    assert len(people) == 3 + 2
    first = next(p for p in people if p["Naam"] == "Dewitte" and p["Rol"] == "Referentiehuurder")
    assert first["Belastbaar inkomen"] == 29515 and first["Bron inkomen"] == "Aanslagbiljet"
    assert first["Register"] == "Bevolkingsregister" and first["Ten laste"] == "nee"
    assert {p["Rol"] for p in people} == {"Referentiehuurder", "Partner", "Kind"}


def test_json_export_is_compact(app, request_context):
    moment, choices = _choices(app)
    text = exports.moment_json_text(moment, choices, now=utcnow())
    assert "\n" not in text and ": " not in text
    assert json.loads(text)["dossiers"] == exports.moment_json(moment, choices, now=utcnow())["dossiers"]
