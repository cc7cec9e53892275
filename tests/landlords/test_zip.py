"""The ZIP export (16, 13.11): streamed with one document in memory at a time; compressed formats stored as they are."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

from inschrijving.db_types import utcnow
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import exports
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import add_document, shared_dossier
from tests.factories.planning import MomentFactory
from tests.landlords.conftest import landlord_client

MB = 1024 * 1024


def test_the_zip_streams_in_bounded_memory_and_stores_compressed_files(app, request_context):
    moment = MomentFactory()
    landlord = LandlordFactory()
    originals = {}
    for n in range(24):
        dossier = shared_dossier(moment, [landlord], scan=False)
        # Random bytes: as incompressible as a real JPEG, and big enough to show in the memory peak.
        photo = os.urandom(MB)
        add_document(dossier, photo, filename=f"foto{n}.jpg")
        text = (f"Verklaring {n} " * 20000).encode()
        add_document(dossier, text, content_type="text/plain", filename=f"verklaring{n}.txt")
        originals[dossier.reference] = (photo, text)
    entries = exports.zip_entries(shared_queries.moment_choices(landlord.id, moment.id, details=False))
    total = sum(len(p) + len(t) for p, t in originals.values())
    assert total > 30 * MB

    stream = exports.packet_zip(b"%PDF-1.7 packet", "pakket.pdf", entries, now=utcnow())
    tracemalloc.start()
    out = io.BytesIO()
    try:
        largest_chunk = 0
        for chunk in stream:
            largest_chunk = max(largest_chunk, len(chunk))
            out.write(chunk)
            out.seek(0)  # keep what was sent out of the measure: a client, not this process, holds it
            out.truncate()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # One stored document at a time (1 MB; Fernet's base64 and decryption hold a few copies while loading),
    # never the moment's 31 MB: the peak does not grow with the number of documents.
    print(f"zip: {total / MB:.1f} MB of documents, peak {peak / MB:.1f} MB")
    assert peak < 6 * MB and peak < total / 5, (peak, total)
    assert largest_chunk <= exports.ZIP_CHUNK


def test_the_streamed_zip_is_a_valid_archive(app, request_context):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord])  # with a JPEG scan
    text = ("Verklaring op eer " * 5000).encode()
    add_document(dossier, text, content_type="text/plain", filename="verklaring.txt")
    entries = exports.zip_entries(shared_queries.moment_choices(landlord.id, moment.id, details=False))

    data = b"".join(exports.packet_zip(b"%PDF-1.7 packet", "pakket.pdf", entries, now=utcnow()))

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    infos = {info.filename.rsplit("/", 1)[-1].split("-", 1)[-1]: info for info in archive.infolist()}
    assert archive.namelist()[0] == "pakket.pdf"
    assert infos["pakket.pdf"].compress_type == zipfile.ZIP_STORED
    assert infos["scan.jpg"].compress_type == zipfile.ZIP_STORED
    assert not infos["scan.jpg"].flag_bits & 0x08  # sizes in the local header: streaming unzips read it too
    assert infos["verklaring.txt"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["verklaring.txt"].compress_size < len(text) // 10
    assert archive.read(f"{dossier.reference}/{exports.document_filename(dossier.documents[-1])}") == text


def test_the_portal_streams_the_zip(app):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord])
    client = landlord_client(app, landlord)

    response = client.get(f"/verhuurder/momenten/{moment.id}/pakket.zip")
    assert response.is_streamed and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    assert any(name.startswith(f"{dossier.reference}/") for name in archive.namelist())
