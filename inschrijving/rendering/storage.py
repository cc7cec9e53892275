"""Upload storage: opaque bytes in, a random key out, encrypted at rest.

Knows no domain. Files live under UPLOAD_FOLDER (never under static/), named by a random key,
and are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). DOCUMENT_KEYS is a comma-separated
list of Fernet keys: the first encrypts, every key decrypts, so a new key can be put in front
and old files re-encrypted at leisure (see docs/dossiers.md, "Key rotation").
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app

from inschrijving.config import is_maintenance_command

_KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class StorageError(Exception):
    """Base class for storage failures."""


class MissingDocumentKey(StorageError):
    """Production was started without DOCUMENT_KEYS."""


class UnknownKey(StorageError):
    """No stored file under this key (or the key is malformed)."""


class Undecryptable(StorageError):
    """The file exists but none of the configured keys opens it."""


def init_app(app: Flask) -> None:
    """Refuse to serve in production without an encryption key for uploads."""
    if _configured_keys(app):
        return
    # Migrations and other CLI chores read no scans; only serving needs the key at start-up.
    if app.debug or app.testing or is_maintenance_command():
        return
    raise MissingDocumentKey(
        "DOCUMENT_KEYS is not set. Uploaded scans are encrypted at rest and production needs a real key. "
        "Create one with `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'` "
        "and set DOCUMENT_KEYS to it."
    )


def _configured_keys(app: Flask) -> list[str]:
    raw = app.config.get("DOCUMENT_KEYS") or ""
    return [k.strip() for k in raw.split(",") if k.strip()]


def _dev_key(app: Flask) -> bytes:
    # Debug and tests only: a stable key derived from the secret, so restarts can still read files.
    digest = hashlib.sha256(b"document-storage:" + str(app.config["SECRET_KEY"]).encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _cipher() -> MultiFernet:
    app = current_app
    keys = _configured_keys(app)
    if not keys:
        if not (app.debug or app.testing):
            raise MissingDocumentKey("DOCUMENT_KEYS is not set")
        return MultiFernet([Fernet(_dev_key(app))])
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _path_for(key: str) -> Path:
    if not _KEY_PATTERN.match(key):
        raise UnknownKey(key)
    # Two-level fan-out keeps directories small.
    return Path(current_app.config["UPLOAD_FOLDER"]) / key[:2] / key


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store(data: bytes) -> str:
    """Encrypt and store bytes; return the new random key."""
    key = secrets.token_hex(32)
    _write_atomically(_path_for(key), _cipher().encrypt(data))
    return key


def load(key: str) -> bytes:
    """Return the decrypted bytes stored under a key."""
    path = _path_for(key)
    try:
        token = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnknownKey(key) from exc
    try:
        return _cipher().decrypt(token)
    except InvalidToken as exc:
        raise Undecryptable(key) from exc


def delete(key: str) -> None:
    """Remove a stored file; a missing file is not an error (deletion is idempotent)."""
    _path_for(key).unlink(missing_ok=True)


def rotate(key: str) -> None:
    """Re-encrypt one stored file with the first (newest) key."""
    path = _path_for(key)
    try:
        token = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnknownKey(key) from exc
    try:
        _write_atomically(path, _cipher().rotate(token))
    except InvalidToken as exc:
        raise Undecryptable(key) from exc


def stored_keys() -> list[str]:
    """List every key in the store (for rotation and backups)."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.glob("*/*") if _KEY_PATTERN.match(p.name))


def encrypt_text(text: str) -> str:
    """Encrypt a short secret for a database column, with the same keys as the documents."""
    return _cipher().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    """Decrypt what encrypt_text wrote (with any configured key, so rotation keeps it readable)."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise Undecryptable("text") from exc
