"""Uploads: type by content, size cap before storing, encrypted at rest, served only as attachment."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import DocumentKind
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.services import documents, errors, reads
from inschrijving.rendering import storage
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory, PersonFactory
from tests.factories.files import minimal_pdf

PDF = minimal_pdf()
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def jpeg(width=64, height=48, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    return out.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(dossier, data, filename="scan.pdf", kind=DocumentKind.IDENTITY, max_bytes=10 * 1024 * 1024):
    return documents.upload_document(
        dossier,
        kind=kind,
        person_id=None,
        filename=filename,
        stream=io.BytesIO(data),
        max_bytes=max_bytes,
        actor=Actor.of(UserFactory()),
        now=utcnow(),
    )


@pytest.fixture
def dossier(db, request_ctx):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier)
    db.session.refresh(dossier)
    return dossier


@pytest.mark.parametrize(
    ("data", "mime"),
    [(PDF, "application/pdf"), (jpeg(), "image/jpeg"), (png(), "image/png")],
)
def test_accepted_types_are_decided_by_content(app, dossier, data, mime):
    document = upload(dossier, data, filename="whatever.bin")
    assert document.content_type == mime
    assert documents.load_document(document) == data


def test_gif_and_tiff_are_accepted(app, dossier):
    for fmt, mime in (("GIF", "image/gif"), ("TIFF", "image/tiff")):
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, format=fmt)
        assert upload(dossier, out.getvalue()).content_type == mime


def test_pdf_renamed_to_jpg_is_stored_as_a_pdf(app, dossier):
    document = upload(dossier, PDF, filename="foto.jpg")
    assert document.content_type == "application/pdf"
    assert document.original_filename == "foto.pdf"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (EXE, "attest.pdf"),  # an executable renamed .pdf
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "scan.jpg"),
        (b"<html><script>alert(1)</script></html>", "scan.png"),
        (b"%PDF-1.4 truncated without end marker", "scan.pdf"),  # starts right, is not a whole PDF
        (b"\xff\xd8\xff\xe0 not really a jpeg", "scan.jpg"),
        (b"", "leeg.pdf"),
    ],
)
def test_disguised_or_broken_files_are_refused_without_storing_a_byte(app, db, dossier, data, filename):
    with pytest.raises(errors.UploadRefused):
        upload(dossier, data, filename=filename)
    assert stored_files(app) == []
    assert db.session.scalars(db.select(Document)).all() == []


def test_oversize_is_refused_without_storing_a_byte(app, db, dossier):
    big = PDF[:-7] + b"0" * 2000 + b"\n%%EOF\n"
    with pytest.raises(errors.UploadRefused, match="te groot"):
        upload(dossier, big, max_bytes=1000)
    assert stored_files(app) == []
    assert db.session.scalars(db.select(Document)).all() == []


def test_stored_file_is_encrypted_and_hashed(app, dossier):
    import hashlib

    document = upload(dossier, PDF)
    (path,) = stored_files(app)
    assert b"%PDF" not in path.read_bytes()
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert len(document.storage_key) == 64 and document.storage_key == path.name


def test_filename_cannot_walk_out_of_its_folder(app, dossier):
    document = upload(dossier, PDF, filename="../../etc/passwd.pdf")
    assert "/" not in document.original_filename and ".." not in document.original_filename


def test_phone_photo_is_turned_upright_when_rendered_and_kept_original_when_stored(app, dossier):
    photo = jpeg(4032, 3024, orientation=6)  # a phone held upright: pixels stored sideways
    document = upload(dossier, photo, filename="IMG_0001.JPG")
    assert documents.load_document(document) == photo  # the original, byte for byte
    upright, mime = documents.load_upright_image(document)
    with Image.open(io.BytesIO(upright)) as image:
        assert image.size == (3024, 4032)
    assert mime == "image/jpeg"


def test_tampered_file_is_not_served(app, dossier):
    document = upload(dossier, PDF)
    document.sha256 = "0" * 64
    with pytest.raises(storage.StorageError):
        documents.load_document(document)


def test_handing_out_a_scan_is_written_and_a_file_that_fails_its_check_is_not(app, db, dossier):
    user = UserFactory()
    document = upload(dossier, PDF)
    assert reads.hand_out_document(document, actor=Actor.of(user, ip="10.0.0.7")) == PDF
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert (event.action, event.user_id, event.object_type, event.object_id, event.detail, event.ip) == (
        "document.downloaded", user.id, "document", document.id, {"dossier_id": dossier.id, "kind": "identity"},
        "10.0.0.7",
    )
    document.sha256 = "0" * 64
    with pytest.raises(storage.StorageError):
        reads.hand_out_document(document, actor=Actor.of(user))
    assert len(db.session.scalars(db.select(AuditEvent)).all()) == 1


# --- over HTTP -----------------------------------------------------------------------------------


def test_upload_and_download_over_http(app, db, volunteer_client):
    dossier = DossierFactory()
    person = PersonFactory(dossier=dossier)
    db.session.commit()
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": str(person.id), "file": (io.BytesIO(PDF), "id.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalars(db.select(Document)).one()
    response = volunteer_client.get(f"/dossiers/{dossier.id}/documenten/{document.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "id.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "document.downloaded")).one()


def test_refused_upload_shows_the_reason_next_to_the_field(app, db, volunteer_client):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier)
    db.session.commit()
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(EXE), "attest.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Dit soort bestand kan niet" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_document_of_another_dossier_is_not_found(app, db, volunteer_client):
    dossier, other = DossierFactory(), DossierFactory()
    with app.test_request_context("/"):
        document = upload(other, PDF)
    db.session.commit()
    assert volunteer_client.get(f"/dossiers/{dossier.id}/documenten/{document.id}").status_code == 404


def test_landlord_staff_cannot_download_through_the_staff_pages(app, db, client, auth):
    dossier = DossierFactory()
    with app.test_request_context("/"):
        document = upload(dossier, PDF)
    landlord_user = UserFactory(landlord_staff=True)
    db.session.commit()
    auth.login(landlord_user)
    assert client.get(f"/dossiers/{dossier.id}/documenten/{document.id}").status_code == 403


def test_delete_removes_the_stored_file(app, db, volunteer_client):
    dossier = DossierFactory()
    with app.test_request_context("/"):
        document = upload(dossier, PDF)
    db.session.commit()
    assert len(stored_files(app)) == 1
    document_id = document.id  # the request deletes the row; the expired object cannot be read after it
    response = volunteer_client.post(f"/dossiers/{dossier.id}/documenten/{document_id}/verwijderen")
    assert response.status_code == 302
    assert stored_files(app) == []
    assert db.session.get(Document, document_id) is None


def test_oversized_request_is_refused_with_413_before_parsing(app, db, volunteer_client):
    dossier = DossierFactory()
    db.session.commit()
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(PDF + b"0" * 8000), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert stored_files(app) == []
    assert db.session.scalars(db.select(Document)).all() == []


def test_upload_between_the_file_cap_and_the_request_cap_is_refused_next_to_the_field(app, db, volunteer_client):
    dossier = DossierFactory()
    db.session.commit()
    app.config["UPLOAD_MAX_BYTES"] = 1024
    big = PDF[:-7] + b"0" * 4000 + b"\n%%EOF\n"
    response = volunteer_client.post(
        f"/dossiers/{dossier.id}/documenten",
        data={"kind": "identity", "person_id": "", "file": (io.BytesIO(big), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "te groot" in response.get_data(as_text=True)
    assert stored_files(app) == []
