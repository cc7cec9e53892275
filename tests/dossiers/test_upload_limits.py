"""Uploads are checked for what rendering them will cost, and PDFs lose their active content (issue 13.1, 13.2)."""

from __future__ import annotations

import io
import warnings

import pikepdf
import pytest
from PIL import Image

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.services import documents, errors
from inschrijving.landlords.portal.services import packets
from tests.dossiers.test_documents import jpeg, stored_files, upload
from tests.factories.dossiers import DossierFactory, PersonFactory
from tests.factories.files import minimal_pdf, shared_content_pdf
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory
from tests.rendering.hostile_pdf import hostile_pdf, markers_in, plain_bytes


@pytest.fixture
def dossier(db, request_ctx):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier)
    db.session.refresh(dossier)
    return dossier


def huge_png(width=10_000, height=10_000) -> bytes:
    """A few kilobytes on disk, some 700 MB once decoded."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def nothing_stored(app, db) -> bool:
    return stored_files(app) == [] and db.session.scalars(db.select(Document)).all() == []


def test_a_pdf_past_the_page_limit_is_refused_before_anything_is_stored(app, db, dossier):
    long_pdf = shared_content_pdf(4000)
    assert len(long_pdf) < 400_000  # small on disk: the size cap alone lets it through
    with pytest.raises(errors.UploadRefused, match="4000 pagina's.*hoogstens 50"):
        upload(dossier, long_pdf)
    assert nothing_stored(app, db)


def test_the_page_limit_is_a_setting(app, db, dossier):
    app.config["UPLOAD_MAX_PDF_PAGES"] = 3
    assert upload(dossier, minimal_pdf(pages=3)).content_type == "application/pdf"
    with pytest.raises(errors.UploadRefused, match="hoogstens 3"):
        upload(dossier, minimal_pdf(pages=4))


def test_a_huge_image_is_refused_from_its_header_without_decoding_it(app, db, dossier, monkeypatch):
    data = huge_png()
    assert len(data) < 100_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(errors.UploadRefused, match="10000 × 10000 beeldpunten"):
        upload(dossier, data, filename="foto.png")
    assert decoded == []
    assert nothing_stored(app, db)


def test_the_pixel_limit_is_a_setting_and_ordinary_photos_pass(app, db, dossier):
    assert upload(dossier, jpeg(4000, 3000)).content_type == "image/jpeg"  # a 12 MP phone photo
    app.config["UPLOAD_MAX_IMAGE_PIXELS"] = 1_000_000
    with pytest.raises(errors.UploadRefused, match="beeldpunten"):
        upload(dossier, jpeg(1200, 900))


def test_documents_per_dossier_are_limited(app, db, dossier):
    app.config["UPLOAD_MAX_DOCUMENTS"] = 2
    upload(dossier, jpeg())
    upload(dossier, jpeg())
    with pytest.raises(errors.UploadRefused, match="al 2 documenten"):
        upload(dossier, jpeg())
    assert len(stored_files(app)) == 2


def test_a_pdf_that_needs_a_password_is_refused_with_the_reason(app, db, dossier):
    pdf = pikepdf.open(io.BytesIO(minimal_pdf()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    with pytest.raises(errors.UploadRefused, match="wachtwoord"):
        upload(dossier, out.getvalue())
    assert nothing_stored(app, db)


def test_page_limit_message_shows_next_to_the_field(app, db, volunteer_client):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier)
    db.session.commit()
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(shared_content_pdf(60)), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "60 pagina&#39;s" in response.get_data(as_text=True)
    assert nothing_stored(app, db)


def test_an_uploaded_pdf_is_stored_without_active_content(app, db, dossier):
    document = upload(dossier, hostile_pdf())
    stored = documents.load_document(document)
    assert markers_in(stored) == []
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert len(pdf.pages) == 2


def test_scripts_and_actions_of_an_upload_never_reach_the_landlord(app, db, volunteer_client):
    landlord = LandlordFactory()
    moment = MomentFactory()
    dossier = shared_dossier(moment, [landlord], complete=False, scan=False)
    db.session.commit()
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(hostile_pdf()), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    dossier.status = DossierStatus.COMPLETE
    dossier.completed_at = utcnow()
    db.session.commit()
    with app.test_request_context():
        single = packets.dossier_pdf(dossier, now=utcnow())
        packet = packets.packet_pdf(landlord, moment, [dossier], now=utcnow())
    for pdf in (single, packet):
        assert b"Identiteitskaart" in plain_bytes(pdf)  # the scan's page is there
        assert markers_in(pdf) == []

