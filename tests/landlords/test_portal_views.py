"""The landlord portal pages and downloads."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import sqlalchemy as sa
from pypdf import PdfReader

from inschrijving.accounts.models import AuditEvent
from inschrijving.dossiers.models import ChoiceStatus, LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords import portal_views
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


def test_cold_packet_shows_progress_until_ready(app, monkeypatch):
    monkeypatch.setattr(portal_views, "INSTANT_RENDER_LIMIT", 0)
    monkeypatch.setattr(portal_views, "SECTIONS_PER_STEP", 1)
    moment = MomentFactory()
    landlord = LandlordFactory()
    shared_dossier(moment, [landlord])
    shared_dossier(moment, [landlord])
    client = landlord_client(app, landlord)

    first = client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf")
    assert first.status_code == 302 and first.location.endswith(f"/verhuurder/momenten/{moment.id}/pakket")
    step = client.get(first.location).get_data(as_text=True)
    assert "1 van 2 dossiers zijn klaar." in step and 'http-equiv="refresh" content="1"' in step
    last = client.get(first.location).get_data(as_text=True)
    assert "2 van 2 dossiers zijn klaar." in last and "pakket.pdf" in last

    assert client.get(f"/verhuurder/momenten/{moment.id}/pakket.pdf").mimetype == "application/pdf"


def test_exports_csv_json_zip_and_single_dossier_pdf(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Dewitte")
    client = landlord_client(app, landlord)
    base = f"/verhuurder/momenten/{moment.id}"

    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/dossiers.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["reference_tenant_last_name"] for r in rows] == ["Dewitte"]

    data = json.loads(client.get(f"{base}/dossiers.json").data)
    assert data["dossiers"][0]["reference"] == dossier.reference

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/pakket.zip").data))
    names = archive.namelist()
    assert names[0].endswith(".pdf") and any(n.startswith(f"{dossier.reference}/") for n in names)

    single = client.get(f"/verhuurder/dossiers/{dossier.id}/dossier.pdf")
    assert single.mimetype == "application/pdf"
    assert {"portal.export_csv", "portal.export_json", "portal.export_zip", "portal.dossier_pdf"} <= set(_actions())


def test_portal_refuses_other_roles(app, client, auth):
    from tests.factories.accounts import UserFactory

    volunteer = UserFactory()
    db.session.commit()
    auth.login(volunteer)
    assert client.get("/verhuurder/").status_code == 403
