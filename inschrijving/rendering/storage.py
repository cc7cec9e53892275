"""Upload storage: opaque bytes in, a random key out, encrypted at rest.

Knows no domain. Files live under UPLOAD_FOLDER (never under static/), named by a random key,
and are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). DOCUMENT_KEYS is a comma-separated
list of Fernet keys: the first encrypts, every key decrypts, so a new key can be put in front
and old files re-encrypted at leisure (see docs/dossiers.md, "Key rotation").
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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


def _keys() -> list[bytes]:
    """The document keys, newest first (DOCUMENT_KEYS, or the development key in debug and tests)."""
    app = current_app
    keys = _configured_keys(app)
    if not keys:
        if not (app.debug or app.testing):
            raise MissingDocumentKey("DOCUMENT_KEYS is not set")
        return [_dev_key(app)]
    return [k.encode() for k in keys]


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


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


# Large blobs kept in the database (the packet's cached sections, each with its scans) use AES-256-GCM
# with a key derived from each document key: the same keys and the same rotation as the files, but one
# pass without base64 (Fernet's encoding would add a third to every section and double the work of a
# warm packet download). A blob is MAGIC, the key's 4-byte id, a 12-byte nonce, then the ciphertext.
_BLOB_MAGIC = b"GIb1"
_NONCE_BYTES = 12


def _blob_keys() -> list[tuple[bytes, AESGCM]]:
    return [_blob_key(key) for key in _keys()]


@functools.lru_cache(maxsize=16)
def _blob_key(key: bytes) -> tuple[bytes, AESGCM]:
    # Derived once per document key: a packet asks for the keys once per section (HKDF each time cost 3 ms a packet).
    raw = base64.urlsafe_b64decode(key)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"database-blob").derive(raw)
    return hashlib.sha256(derived).digest()[:4], AESGCM(derived)


def encrypt_blob(data: bytes) -> bytes:
    """Encrypt bytes for a database column with the newest document key (see `decrypt_blob`)."""
    key_id, cipher = _blob_keys()[0]
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return _BLOB_MAGIC + key_id + nonce + cipher.encrypt(nonce, data, _BLOB_MAGIC + key_id)


def blob_opener() -> Callable[[bytes], bytes]:
    """`decrypt_blob` with the keys read now: for a response body written after the request has ended."""
    keys = _blob_keys()
    return lambda token: _decrypt_blob(token, keys)


def blob_opens(token: bytes) -> bool:
    """Tell whether a configured key wrote this blob (whether it will open, unless it was damaged)."""
    head = len(_BLOB_MAGIC)
    key_id = bytes(token[head : head + 4])
    return bytes(token[:head]) == _BLOB_MAGIC and any(candidate == key_id for candidate, _cipher in _blob_keys())


def decrypt_blob(token: bytes) -> bytes:
    """Decrypt what encrypt_blob wrote, with whichever configured key wrote it; Undecryptable otherwise."""
    return _decrypt_blob(token, _blob_keys())


def _decrypt_blob(token: bytes, keys: list[tuple[bytes, AESGCM]]) -> bytes:
    token = bytes(token)
    head = len(_BLOB_MAGIC)
    if not token.startswith(_BLOB_MAGIC) or len(token) < head + 4 + _NONCE_BYTES:
        raise Undecryptable("blob")
    key_id, nonce = token[head : head + 4], token[head + 4 : head + 4 + _NONCE_BYTES]
    for candidate_id, cipher in keys:
        if candidate_id == key_id:
            try:
                # A view, not a slice: a packet's sections are tens of MB, and a slice copies them.
                return cipher.decrypt(nonce, memoryview(token)[head + 4 + _NONCE_BYTES :], _BLOB_MAGIC + key_id)
            except InvalidTag as exc:
                raise Undecryptable("blob") from exc
    raise Undecryptable("blob")


def encrypt_text(text: str) -> str:
    """Encrypt a short secret for a database column, with the same keys as the documents."""
    return _cipher().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    """Decrypt what encrypt_text wrote (with any configured key, so rotation keeps it readable)."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise Undecryptable("text") from exc
