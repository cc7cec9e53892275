"""The landlord portal pages and downloads."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from inschrijving.accounts.models import AuditEvent
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.portal.services import sections
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import landlord_client
from tests.query_count import count_queries


def _actions():
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_home_counts_dossiers_and_new_ones(app):
    moment = MomentFactory()
    landlord = LandlordFactory(name="SVK De Poort")
    first = shared_dossier(moment, [landlord])
    shared_dossier(moment, [landlord])
    shared_dossier(moment, [landlord], complete=False)
    first.landlord_choices[0].first_downloaded_at = first.completed_at
    client = landlord_client(app, landlord)

    page = client.get("/verhuurder/").get_data(as_text=True)

    assert "SVK De Poort" in page
    assert ">2<" in page and "1 nieuw" in page
    assert "portal.home" in _actions()


def test_moment_page_lists_dossiers_in_a_constant_number_of_queries(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    kortrijk = MunicipalityFactory(name="Kortrijk")
    shared_dossier(moment, [landlord], last_name="Aerts", municipalities=[kortrijk])
    client = landlord_client(app, landlord)
    url = f"/verhuurder/momenten/{moment.id}"

    client.get(url)
    db.session.commit()  # both measured requests start from an expired session
    with count_queries() as few:
        page = client.get(url).get_data(as_text=True)
    for _ in range(6):
        shared_dossier(moment, [landlord], municipalities=[kortrijk])
    db.session.commit()
    with count_queries() as many:
        client.get(url)

    assert "Aerts" in page and "Kortrijk" in page
    assert len(many) == len(few)
    assert "portal.moment_view" in _actions()


def test_dossier_page_shows_documents_and_records_status(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Claes")
    document = dossier.documents[0]
    version = dossier.version
    client = landlord_client(app, landlord)

    page = client.get(f"/verhuurder/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Claes" in page and f"/verhuurder/documenten/{document.id}" in page

    missing = client.post(f"/verhuurder/dossiers/{dossier.id}", data={"status": "registered", "reference": "1234"})
    assert missing.status_code == 200
    assert "Vul de datum van inschrijving in." in missing.get_data(as_text=True)
    assert 'value="1234"' in missing.get_data(as_text=True)  # nothing typed is lost

    saved = client.post(
        f"/verhuurder/dossiers/{dossier.id}",
        data={"status": "registered", "reference": "1234", "registered_on": "2026-11-03"},
    )
    assert saved.status_code == 302
    choice = db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == dossier.id))
    assert choice.status == ChoiceStatus.REGISTERED and choice.landlord_reference == "1234"
    db.session.refresh(dossier)
    assert dossier.version == version  # the landlord never changes the dossier itself

    download = client.get(f"/verhuurder/documenten/{document.id}")
    assert download.status_code == 200 and download.data[:3] == b"\xff\xd8\xff"
    assert {"portal.dossier_view", "portal.status_set", "portal.document_download"} <= set(_actions())


def test_packet_download_marks_dossiers_downloaded(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord])
    client = landlord_client(app, landlord)

    response = client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.data)).outline) == 1
    choice = db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == dossier.id))
    assert choice.status == ChoiceStatus.DOWNLOADED and choice.first_downloaded_at is not None
    assert "portal.packet_download" in _actions()


@pytest.mark.parametrize(("asked", "download", "mimetype"), [("pakket.pdf", "pdf", "application/pdf"),
                                                              ("pakket.zip", "zip", "application/zip")])
def test_cold_packet_shows_progress_then_starts_the_download_that_was_asked(app, monkeypatch, asked, download,
                                                                            mimetype):
    monkeypatch.setattr(sections, "INSTANT_RENDER_LIMIT", 0)
    monkeypatch.setattr(sections, "SECTIONS_PER_STEP", 1)
    moment = MomentFactory()
    landlord = LandlordFactory()
    shared_dossier(moment, [landlord])
    shared_dossier(moment, [landlord])
    client = landlord_client(app, landlord)
    base = f"/verhuurder/momenten/{moment.id}"

    first = client.get(f"{base}/{asked}")
    assert first.status_code == 302 and first.location.endswith(f"{base}/pakket?download={download}")
    step = client.get(first.location).get_data(as_text=True)
    assert "1 van 2 dossiers zijn klaar." in step and 'http-equiv="refresh" content="1"' in step
    last = client.get(first.location).get_data(as_text=True)
    assert "Uw pakket is klaar" in last and "2 dossiers staan in het pakket." in last
    assert f'http-equiv="refresh" content="0; url={base}/{asked}"' in last and f'href="{base}/{asked}"' in last
    assert ("Download het pakket (PDF)" if download == "pdf" else "Download de ZIP") in last

    assert client.get(f"{base}/{asked}").mimetype == mimetype
    prepared = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "portal.packet_prepare")).all()
    assert {e.detail["download"] for e in prepared} == {download}


def test_the_progress_page_forwards_only_to_a_packet_download(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    shared_dossier(moment, [landlord])
    client = landlord_client(app, landlord)
    base = f"/verhuurder/momenten/{moment.id}"

    for asked in ("https://evil.example/x", "//evil.example", "export_csv", "portal.home"):
        page = client.get(f"{base}/pakket", query_string={"download": asked}).get_data(as_text=True)
        assert f'content="0; url={base}/pakket.pdf"' in page and "evil" not in page


def test_a_new_status_clears_the_old_fields_and_the_form_shows_only_its_own(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Claes")
    client = landlord_client(app, landlord)
    url = f"/verhuurder/dossiers/{dossier.id}"
    client.post(url, data={"status": "registered", "reference": "REG-77", "registered_on": "2026-11-03"})

    saved = client.post(url, data={"status": "refused", "note": "Buiten ons werkgebied", "reference": "REG-77",
                                   "registered_on": "2026-11-03"})

    assert saved.status_code == 302
    choice = db.session.scalar(sa.select(LandlordChoice).where(LandlordChoice.dossier_id == dossier.id))
    assert (choice.status, choice.landlord_reference, choice.registered_on) == (ChoiceStatus.REFUSED, None, None)
    page = client.get(url).get_data(as_text=True)
    assert "REG-77" not in page and "2026-11-03" not in page and "Buiten ons werkgebied" in page
    csv_text = client.get(f"/verhuurder/momenten/{moment.id}/dossiers.csv").get_data(as_text=True)
    assert "REG-77" not in csv_text and "Buiten ons werkgebied" in csv_text

    client.post(url, data={"status": "registered", "reference": "REG-78", "registered_on": "2026-11-04",
                           "note": "Buiten ons werkgebied"})
    db.session.refresh(choice)
    assert choice.status_note is None
    page = client.get(url).get_data(as_text=True)
    assert 'value="REG-78"' in page and "Buiten ons werkgebied" not in page


def test_home_and_moment_page_show_a_dossier_corrected_since_the_last_download(app):
    moment = MomentFactory()
    landlord = LandlordFactory(name="SVK De Poort")
    corrected = shared_dossier(moment, [landlord], last_name="Aerts")
    seen = shared_dossier(moment, [landlord], last_name="Bauwens")
    shared_dossier(moment, [landlord], last_name="Claes")  # never downloaded
    earlier = corrected.completed_at - timedelta(days=2)
    for choice in (corrected.landlord_choices[0], seen.landlord_choices[0]):
        choice.first_downloaded_at = choice.last_downloaded_at = earlier
    seen.landlord_choices[0].last_downloaded_at = seen.completed_at + timedelta(minutes=1)
    client = landlord_client(app, landlord)

    home = client.get("/verhuurder/").get_data(as_text=True)
    assert "1 nieuw" in home and "1 gewijzigd" in home

    page = client.get(f"/verhuurder/momenten/{moment.id}").get_data(as_text=True)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = {name: row for row in body.split("</tr>") for name in ("Aerts", "Bauwens", "Claes") if name in row}
    assert "gewijzigd sinds uw laatste download" in rows["Aerts"]
    assert "gewijzigd sinds" not in rows["Bauwens"] + rows["Claes"]

    client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf")
    home = client.get("/verhuurder/").get_data(as_text=True)
    assert "gewijzigd" not in home.split("<tbody>")[1].split("</tbody>")[0]


def test_exports_csv_json_zip_and_single_dossier_pdf(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Dewitte")
    client = landlord_client(app, landlord)
    base = f"/verhuurder/momenten/{moment.id}"

    response = client.get(f"{base}/dossiers.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["reference_tenant_last_name"] for r in rows] == ["Dewitte"]
    text = client.get(f"{base}/dossiers.csv?scheiding=,").get_data(as_text=True).lstrip("\ufeff")
    assert [r["reference_tenant_last_name"] for r in csv.DictReader(io.StringIO(text))] == ["Dewitte"]

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/dossiers.xlsx").data))
    assert workbook["Dossiers"]["C2"].value == "Dewitte"

    data = json.loads(client.get(f"{base}/dossiers.json").data)
    assert data["dossiers"][0]["reference"] == dossier.reference

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/pakket.zip").data))
    names = archive.namelist()
    assert names[0].endswith(".pdf") and any(n.startswith(f"{dossier.reference}/") for n in names)

    single = client.get(f"/verhuurder/dossiers/{dossier.id}/dossier.pdf")
    assert single.mimetype == "application/pdf"
    exports = {"portal.export_csv", "portal.export_xlsx", "portal.export_json", "portal.export_zip"}
    assert exports | {"portal.dossier_pdf"} <= set(_actions())


def test_portal_refuses_other_roles(app, client, auth):
    from tests.factories.accounts import UserFactory

    volunteer = UserFactory()
    db.session.commit()
    auth.login(volunteer)
    assert client.get("/verhuurder/").status_code == 403
