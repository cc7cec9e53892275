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
from typing import BinaryIO

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


# Large blobs that can be made again (the packet's cached sections, each with its scans) are files too,
# under UPLOAD_FOLDER/blobs/, encrypted with AES-256-GCM with a key derived from each document key: the
# same keys and the same rotation as the documents, but one pass without base64 (Fernet's encoding would
# add a third to every section and double the work of a packet download). A blob is MAGIC, the key's
# 4-byte id, a 12-byte nonce, then the ciphertext. Files, not a database column: a packet of 100
# sections with two scans each (65 MB) took 90 ms of CPU to read from PostgreSQL and 50 ms from SQLite
# (its overflow pages), more than half of the download (docs/performance.md, "The rebuild target met").
BLOB_FOLDER = "blobs"
_BLOB_MAGIC = b"GIb1"
_NONCE_BYTES = 12
_BLOB_HEAD = len(_BLOB_MAGIC) + 4 + _NONCE_BYTES


def _blob_keys() -> list[tuple[bytes, AESGCM]]:
    return [_blob_key(key) for key in _keys()]


@functools.lru_cache(maxsize=16)
def _blob_key(key: bytes) -> tuple[bytes, AESGCM]:
    # Derived once per document key: a packet asks for the keys once per section (HKDF each time cost 3 ms a packet).
    raw = base64.urlsafe_b64decode(key)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"database-blob").derive(raw)
    return hashlib.sha256(derived).digest()[:4], AESGCM(derived)


def encrypt_blob(data: bytes) -> bytes:
    """Encrypt bytes with the newest document key (see `decrypt_blob`)."""
    key_id, cipher = _blob_keys()[0]
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return _BLOB_MAGIC + key_id + nonce + cipher.encrypt(nonce, data, _BLOB_MAGIC + key_id)


def blob_opens(token: bytes | memoryview) -> bool:
    """Tell whether a configured key wrote this blob (whether it will open, unless it was damaged).

    Only its first bytes are read: the head of a blob file tells as much as the whole file.
    """
    head = len(_BLOB_MAGIC)
    key_id = bytes(token[head : head + 4])
    return bytes(token[:head]) == _BLOB_MAGIC and any(candidate == key_id for candidate, _cipher in _blob_keys())


def decrypt_blob(token: bytes | memoryview) -> bytes:
    """Decrypt what encrypt_blob wrote, with whichever configured key wrote it; Undecryptable otherwise."""
    return _decrypt_blob(memoryview(token), _blob_keys())


def _decrypt_blob(token: memoryview, keys: list[tuple[bytes, AESGCM]]) -> bytes:
    head = len(_BLOB_MAGIC)
    if bytes(token[:head]) != _BLOB_MAGIC or len(token) < _BLOB_HEAD:
        raise Undecryptable("blob")
    key_id, nonce = bytes(token[head : head + 4]), bytes(token[head + 4 : _BLOB_HEAD])
    for candidate_id, cipher in keys:
        if candidate_id == key_id:
            try:
                # A view, not a slice: a packet's sections are tens of MB, and a slice copies them.
                return cipher.decrypt(nonce, token[_BLOB_HEAD:], _BLOB_MAGIC + key_id)
            except InvalidTag as exc:
                raise Undecryptable("blob") from exc
    raise Undecryptable("blob")


def _blob_path(key: str) -> Path:
    if not _KEY_PATTERN.match(key):
        raise UnknownKey(key)
    return Path(current_app.config["UPLOAD_FOLDER"]) / BLOB_FOLDER / key[:2] / key


def store_blob(data: bytes) -> str:
    """Encrypt and store a blob as a file (`encrypt_blob`); return its new random key."""
    key = secrets.token_hex(32)
    _write_atomically(_blob_path(key), encrypt_blob(data))
    return key


def open_blob(key: str) -> BinaryIO | None:
    """The blob's file, opened now and read later (`blob_reader`); None when a configured key cannot open it.

    An open file is still read whole after its name is deleted (POSIX): a download that opened its
    sections sends them even when a newer version replaces one of them meanwhile.
    :raises UnknownKey: no file under this key.
    """
    try:
        file = _blob_path(key).open("rb", buffering=0)
    except FileNotFoundError as exc:
        raise UnknownKey(key) from exc
    if blob_opens(os.pread(file.fileno(), _BLOB_HEAD, 0)):
        return file
    file.close()
    return None


def blob_file_opens(key: str) -> bool:
    """Tell whether the blob's file is there and a configured key wrote it (its head read, not the whole file)."""
    try:
        file = open_blob(key)
    except UnknownKey:
        return False
    if file is None:
        return False
    file.close()
    return True


def discard_opened_blob(file: BinaryIO) -> None:
    """Delete the file of an opened blob that did not read (damaged): what it held is made again next time.

    By the name it was opened under, so this works after the request, without the app's settings.
    """
    file.close()
    Path(file.name).unlink(missing_ok=True)


def blob_reader() -> Callable[[BinaryIO], bytes]:
    """Read and decrypt opened blob files one after the other, with the keys read now.

    For a response body written after the request has ended. Each file is read into one buffer kept
    for the next (a fresh 1 MB for every section cost its page faults again), then closed.
    """
    keys = _blob_keys()
    buffer = bytearray()

    def read(file: BinaryIO) -> bytes:
        nonlocal buffer
        with file:
            size = os.fstat(file.fileno()).st_size
            if len(buffer) < size:
                buffer = bytearray(size)
            with memoryview(buffer) as view, view[:size] as token:
                done = 0
                while done < size:  # a read may return less than asked for
                    got = file.readinto(token[done:])
                    if not got:
                        raise Undecryptable("blob")  # cut short since it was opened
                    done += got
                return _decrypt_blob(token, keys)

    return read


def delete_blob(key: str) -> None:
    """Remove a blob file; a missing file is not an error (deletion is idempotent)."""
    _blob_path(key).unlink(missing_ok=True)


def stored_blobs() -> list[tuple[str, float]]:
    """Every blob in the store with the time it was written (a Unix time), to find the ones nothing uses."""
    root = Path(current_app.config["UPLOAD_FOLDER"]) / BLOB_FOLDER
    if not root.is_dir():
        return []
    found = []
    for path in root.glob("*/*"):
        if _KEY_PATTERN.match(path.name):
            try:
                found.append((path.name, path.stat().st_mtime))
            except FileNotFoundError:  # deleted meanwhile
                continue
    return sorted(found)


def encrypt_text(text: str) -> str:
    """Encrypt a short secret for a database column, with the same keys as the documents."""
    return _cipher().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    """Decrypt what encrypt_text wrote (with any configured key, so rotation keeps it readable)."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise Undecryptable("text") from exc
