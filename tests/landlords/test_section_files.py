"""A cached section's part is an encrypted file: it lives exactly as long as its row, and a download reads it."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords.models import DossierSection
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import packets, section_pages, sections
from inschrijving.privacy import services as privacy
from inschrijving.rendering import storage
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import shared_dossier
from tests.factories.planning import MomentFactory


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _files() -> set[str]:
    return {key for key, _written in storage.stored_blobs()}


def _rows() -> set[str]:
    return set(db.session.scalars(sa.select(DossierSection.storage_key)))


def _newer_template(monkeypatch) -> None:
    # Any change misses the cache; a new template version is the simplest one to make.
    monkeypatch.setattr(sections, "TEMPLATE_VERSION", sections.TEMPLATE_VERSION + "-next")


def test_a_newer_version_removes_the_older_file_only_when_it_commits(app, monkeypatch):
    dossier = shared_dossier(MomentFactory(), [LandlordFactory()], scan=False)
    first = sections.render_section(dossier, now=utcnow()).storage_key
    db.session.commit()
    assert _files() == _rows() == {first}

    _newer_template(monkeypatch)
    second = sections.render_section(dossier, now=utcnow()).storage_key
    assert _files() == {first, second}  # the older row may still come back with a rollback
    db.session.commit()
    assert _files() == _rows() == {second}


def test_a_section_of_a_transaction_that_rolls_back_leaves_no_file_and_keeps_the_older_one(app, monkeypatch):
    dossier = shared_dossier(MomentFactory(), [LandlordFactory()], scan=False)
    first = sections.render_section(dossier, now=utcnow()).storage_key
    db.session.commit()

    _newer_template(monkeypatch)
    sections.render_section(dossier, now=utcnow())
    db.session.rollback()
    assert _files() == _rows() == {first}


def test_a_download_sends_the_version_it_opened_when_a_newer_one_replaces_it_meanwhile(app, monkeypatch):
    landlord, moment = LandlordFactory(), MomentFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Aerts")
    sections.ensure_sections([dossier], now=utcnow())
    db.session.commit()
    entries = shared_queries.packet_entries(landlord.id, moment.id)
    chunks = packets.merge_packet(landlord, moment, entries, now=utcnow())  # the request: files opened

    _newer_template(monkeypatch)
    sections.render_section(dossier, now=utcnow())
    db.session.commit()  # the older file's name is gone before the answer is sent

    reader = PdfReader(io.BytesIO(b"".join(chunks)))
    assert dossier.reference in "".join(page.extract_text() for page in reader.pages)


def test_a_section_whose_file_is_gone_is_rendered_again(app, monkeypatch):
    landlord, moment = LandlordFactory(), MomentFactory()
    dossier = shared_dossier(moment, [landlord], scan=False)
    gone = sections.render_section(dossier, now=utcnow()).storage_key
    db.session.commit()
    storage.delete_blob(gone)
    rendered = []
    original = section_pages.render_sections_pdf
    monkeypatch.setattr(section_pages, "render_sections_pdf", lambda ds: rendered.extend(ds) or original(ds))

    pdf = packets.packet_pdf(landlord, moment, [dossier], now=utcnow())

    assert rendered == [dossier]
    assert dossier.reference in PdfReader(io.BytesIO(pdf)).pages[2].extract_text()
    db.session.commit()
    assert _files() == _rows() and gone not in _rows()


def test_an_answer_nobody_reads_closes_its_files(app):
    landlord, moment = LandlordFactory(), MomentFactory()
    dossiers = [shared_dossier(moment, [landlord], scan=False) for _ in range(3)]
    sections.ensure_sections(dossiers, now=utcnow())
    opened = []
    original = storage.open_blob

    def open_blob(key):
        opened.append(original(key))
        return opened[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "open_blob", open_blob)
        chunks = packets.merge_packet(landlord, moment, shared_queries.packet_entries(landlord.id, moment.id),
                                      now=utcnow())
    next(chunks)  # the server sent the start, then the landlord went away
    held = [file for file in opened if not file.closed]  # a look at a file's head closes it again
    assert len(held) == len(dossiers)
    chunks.close()
    assert all(file.closed for file in held)


def test_the_erasure_and_the_purge_remove_section_files_and_orphans_only_once_they_are_old(app):
    landlord, moment = LandlordFactory(), MomentFactory()
    kept, erased = (shared_dossier(moment, [landlord], scan=False) for _ in range(2))
    sections.ensure_sections([kept, erased], now=utcnow())
    db.session.commit()
    erased_key = sections.cached_sections([erased])[erased.id].storage_key
    orphan = storage.store_blob(b"left by a worker that died before its commit")

    privacy._delete_dossiers([erased.id])
    db.session.commit()
    assert erased_key not in _files() and orphan in _files()

    assert sections.remove_orphan_files(now=utcnow()) == 0  # young: its transaction may still commit
    assert sections.remove_orphan_files(now=utcnow() + timedelta(hours=2)) == 1
    assert _files() == _rows() == {sections.cached_sections([kept])[kept.id].storage_key}


def test_a_restored_database_without_the_section_files_prepares_them_in_steps(app, monkeypatch):
    # `flask backup` leaves the files out: the rows name files that are not there.
    landlord, moment = LandlordFactory(), MomentFactory()
    dossiers = [shared_dossier(moment, [landlord], scan=False) for _ in range(sections.INSTANT_RENDER_LIMIT + 1)]
    sections.ensure_sections(dossiers, now=utcnow())
    db.session.commit()
    entries = shared_queries.packet_entries(landlord.id, moment.id)
    assert not sections.needs_preparing(entries)
    for key in _rows():
        storage.delete_blob(key)

    assert sections.needs_preparing(entries)
    assert sections.ensure_sections(entries, now=utcnow(), limit=2) == len(dossiers) - 2
    db.session.commit()
    assert len(_files()) == 2 and _files() <= _rows()


def test_a_file_found_damaged_while_it_is_sent_is_dropped_and_the_next_download_renders_it(app, caplog):
    landlord, moment = LandlordFactory(), MomentFactory()
    dossier = shared_dossier(moment, [landlord], scan=False)
    damaged = sections.render_section(dossier, now=utcnow()).storage_key
    db.session.commit()
    file = Path(app.config["UPLOAD_FOLDER"]) / storage.BLOB_FOLDER / damaged[:2] / damaged
    file.write_bytes(file.read_bytes()[:-100])  # cut short on disk

    with pytest.raises(storage.Undecryptable):
        packets.packet_pdf(landlord, moment, [dossier], now=utcnow())
    assert "failed while it was written" in caplog.text
    assert damaged not in _files()

    pdf = packets.packet_pdf(landlord, moment, [dossier], now=utcnow())
    assert dossier.reference in PdfReader(io.BytesIO(pdf)).pages[2].extract_text()


class _Undone(Exception):
    pass


def test_a_savepoint_that_rolls_back_takes_its_files_back_and_one_released_hands_them_on(app, monkeypatch):
    dossier = shared_dossier(MomentFactory(), [LandlordFactory()], scan=False)
    first = sections.render_section(dossier, now=utcnow()).storage_key
    db.session.commit()
    _newer_template(monkeypatch)

    with pytest.raises(_Undone), db.session.begin_nested():
        sections.render_section(dossier, now=utcnow())
        raise _Undone
    with pytest.raises(_Undone), db.session.begin_nested():
        sections.drop_sections([dossier.id])
        raise _Undone
    db.session.commit()
    assert _files() == _rows() == {first}  # the row is back, and so is (still) its file

    with db.session.begin_nested():
        second = sections.render_section(dossier, now=utcnow()).storage_key
    assert _files() == {first, second}  # released, not committed
    db.session.commit()
    assert _files() == _rows() == {second}
