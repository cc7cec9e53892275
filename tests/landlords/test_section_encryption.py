"""The packet's section cache holds the household's scans: encrypted at rest with the document keys (issue 13.3)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from pypdf import PdfReader

from inschrijving.db_types import utcnow
from inschrijving.landlords.portal.services import packets, section_pages, sections
from inschrijving.rendering import storage
from inschrijving.rendering.pdfparts import making as parts
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import add_document, scan_jpeg, shared_dossier
from tests.factories.planning import MomentFactory


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _raw_sections(app, db) -> list[bytes]:
    # Read the files as a copy of the disk would, past the app: the ones the rows name.
    keys = db.session.execute(sa.text("SELECT storage_key FROM dossier_sections")).scalars()
    folder = Path(app.config["UPLOAD_FOLDER"]) / storage.BLOB_FOLDER
    return [(folder / key[:2] / key).read_bytes() for key in keys]


def test_the_raw_section_file_holds_no_pdf_and_no_scan(app, db):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()])
    scan = scan_jpeg("Paspoort")
    add_document(dossier, scan)
    sections.ensure_sections([dossier], now=utcnow())
    db.session.flush()

    [raw] = _raw_sections(app, db)

    assert b"%PDF" not in raw and b"/Type" not in raw
    assert b"\xff\xd8\xff" not in raw and b"JFIF" not in raw  # no JPEG start anywhere
    assert scan[200:264] not in raw
    # The packet still reads the section back.
    pdf = packets.dossier_pdf(dossier, now=utcnow())
    assert dossier.reference in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_sections_follow_the_document_key_rotation_and_a_retired_key_only_costs_a_render(app, db, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["DOCUMENT_KEYS"] = old
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()])
    sections.ensure_sections([dossier], now=utcnow())
    rendered = []
    original = section_pages.render_sections_pdf
    monkeypatch.setattr(
        section_pages, "render_sections_pdf", lambda ds: rendered.extend(d.id for d in ds) or original(ds)
    )

    app.config["DOCUMENT_KEYS"] = f"{new},{old}"  # step 1 of the rotation: the old key still opens
    packets.dossier_pdf(dossier, now=utcnow())
    assert rendered == []

    for key in storage.stored_keys():  # step 2: the files re-encrypted (docs/dossiers.md, "Key rotation")
        storage.rotate(key)
    app.config["DOCUMENT_KEYS"] = new  # step 3: the old key retired: the section is rendered again, with the new key
    pdf = packets.dossier_pdf(dossier, now=utcnow())
    assert rendered == [dossier.id]
    assert dossier.reference in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    [raw] = _raw_sections(app, db)
    assert storage.decrypt_blob(raw).startswith(parts.MAGIC)


def test_a_tampered_blob_does_not_open(app):
    token = bytearray(storage.encrypt_blob(b"%PDF-1.7 geheim"))
    token[-1] ^= 1
    with pytest.raises(storage.Undecryptable):
        storage.decrypt_blob(bytes(token))
    with pytest.raises(storage.Undecryptable):
        storage.decrypt_blob(b"%PDF-1.7 never encrypted")
