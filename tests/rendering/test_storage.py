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
