from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from inschrijving import create_app
from inschrijving.rendering import storage


def test_store_and_load_round_trip(app):
    key = storage.store(b"%PDF-1.7 scan")
    assert storage.load(key) == b"%PDF-1.7 scan"
    assert key in storage.stored_keys()


def test_bytes_on_disk_are_not_readable(app, tmp_path):
    secret = b"Rijksregisternummer 85.07.30-033.28"
    key = storage.store(secret)
    on_disk = (tmp_path / "uploads" / key[:2] / key).read_bytes()
    assert b"Rijksregister" not in on_disk
    assert secret not in on_disk


def test_delete_is_idempotent(app):
    key = storage.store(b"x")
    storage.delete(key)
    storage.delete(key)
    with pytest.raises(storage.UnknownKey):
        storage.load(key)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a" * 63, "A" * 64, ""])
def test_malformed_keys_never_reach_the_filesystem(app, bad):
    with pytest.raises(storage.UnknownKey):
        storage.load(bad)


def test_key_rotation_keeps_old_files_readable(app):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["DOCUMENT_KEYS"] = old
    key = storage.store(b"oud document")
    app.config["DOCUMENT_KEYS"] = f"{new},{old}"
    assert storage.load(key) == b"oud document"
    storage.rotate(key)
    app.config["DOCUMENT_KEYS"] = new
    assert storage.load(key) == b"oud document"


def test_wrong_key_is_refused(app):
    app.config["DOCUMENT_KEYS"] = Fernet.generate_key().decode()
    key = storage.store(b"geheim")
    app.config["DOCUMENT_KEYS"] = Fernet.generate_key().decode()
    with pytest.raises(storage.Undecryptable):
        storage.load(key)


def test_production_refuses_to_start_without_a_key(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(storage.MissingDocumentKey):
        create_app(
            {
                "SECRET_KEY": "a-real-secret-for-this-test-long-enough-to-pass",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "DOCUMENT_KEYS": "",
                "UPLOAD_FOLDER": str(tmp_path),
            }
        )


def test_production_starts_with_a_key(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app = create_app(
        {
            "SECRET_KEY": "a-real-secret-for-this-test-long-enough-to-pass",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "DOCUMENT_KEYS": Fernet.generate_key().decode(),
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    assert app.config["DOCUMENT_KEYS"]


# Blob files: the packet's cached sections ------------------------------------------------------------


def test_blob_files_are_encrypted_and_read_back_one_after_the_other_through_one_buffer(app, tmp_path):
    blobs = [b"%PDF-1.7 " + bytes([n]) * size for n, size in enumerate([70_000, 300, 250_000, 0, 70_001])]
    keys = [storage.store_blob(blob) for blob in blobs]
    for key, blob in zip(keys, blobs, strict=True):
        on_disk = (tmp_path / "uploads" / storage.BLOB_FOLDER / key[:2] / key).read_bytes()
        assert b"%PDF" not in on_disk and blob[-64:] not in on_disk
    assert sorted(key for key, _written in storage.stored_blobs()) == sorted(keys)
    assert storage.stored_keys() == []  # not documents: no rotation or document listing sees them

    read = storage.blob_reader()
    files = [storage.open_blob(key) for key in keys]
    # Larger, smaller, larger again: the buffer kept between reads never leaks one blob into the next.
    assert [read(file) for file in files] == blobs
    assert all(file.closed for file in files)


def test_an_opened_blob_is_read_after_its_file_is_deleted(app):
    key = storage.store_blob(b"section, version 1")
    file = storage.open_blob(key)
    storage.delete_blob(key)
    storage.delete_blob(key)  # idempotent
    assert storage.blob_reader()(file) == b"section, version 1"
    with pytest.raises(storage.UnknownKey):
        storage.open_blob(key)


def test_a_blob_of_a_retired_key_does_not_open_and_a_damaged_one_does_not_read(app, tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["DOCUMENT_KEYS"] = old
    retired = storage.store_blob(b"old section")
    damaged = storage.store_blob(b"damaged section")
    app.config["DOCUMENT_KEYS"] = f"{new},{old}"
    assert storage.blob_reader()(storage.open_blob(retired)) == b"old section"
    app.config["DOCUMENT_KEYS"] = new
    assert storage.open_blob(retired) is None

    app.config["DOCUMENT_KEYS"] = old
    path = tmp_path / "uploads" / storage.BLOB_FOLDER / damaged[:2] / damaged
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(storage.Undecryptable):
        storage.blob_reader()(storage.open_blob(damaged))


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a" * 63, ""])
def test_malformed_blob_keys_never_reach_the_filesystem(app, bad):
    with pytest.raises(storage.UnknownKey):
        storage.open_blob(bad)
