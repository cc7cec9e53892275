"""Uploaded scans: type decided by content, size capped before storing, encrypted at rest."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import pikepdf
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from inschrijving import transactions
from inschrijving.accounts.services.audit import Actor
from inschrijving.dossiers.enums import DocumentKind
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.services.errors import DossierLocked, UploadRefused
from inschrijving.dossiers.services.history import finish_step, track_changes
from inschrijving.extensions import db
from inschrijving.rendering import pdfmerge, pdfsafety, storage

# What the central register (CIR) accepts, by the first bytes of the file.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
ALLOWED_TYPES = {mime for _sig, mime in _SIGNATURES}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/tiff": "tif",
}
# Large scans and phone photos are fine; a decompression bomb is not.
Image.MAX_IMAGE_PIXELS = 60_000_000


def detect_content_type(data: bytes) -> str | None:
    """Name the file type from its first bytes, or None when it is not one we accept."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return None


def _looks_whole(data: bytes, mime: str) -> bool:
    # The first bytes alone would let a polyglot or a truncated file through.
    if mime == "application/pdf":
        return b"%%EOF" in data[-2048:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _check_image_size(data: bytes, max_pixels: int) -> None:
    # Opening reads the header only: the size is known before a single pixel is decoded, so a
    # 12 KB PNG that would unpack to 700 MB in the packet is refused here for the price of its header.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the check below says it better
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width, height = max_pixels, 2  # past Pillow's own ceiling: certainly too large
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return  # _looks_whole refuses it with its own message
    if width * height > max_pixels:
        raise UploadRefused(
            _(
                "Deze afbeelding is te groot (%(width)s × %(height)s beeldpunten). Hoogstens %(mp)s miljoen "
                "beeldpunten: scan op 300 dpi of kies een kleinere foto.",
                width=width, height=height, mp=round(max_pixels / 1_000_000, 1),
            )
        )


def _cleaned_pdf(data: bytes, max_pages: int) -> bytes:
    """The upload without scripts, launch or link actions and embedded files (rendering.pdfsafety)."""
    try:
        cleaned, _pages = pdfsafety.sanitised_pdf(data, max_pages=max_pages)
    except pdfsafety.TooManyPages as exc:
        raise UploadRefused(
            _(
                "Dit PDF-bestand heeft %(pages)s pagina's. Het mag er hoogstens %(num)s hebben: "
                "scan alleen de pagina's die nodig zijn.",
                pages=exc.pages, num=max_pages,
            )
        ) from exc
    except pikepdf.PasswordError as exc:
        raise UploadRefused(
            _("Dit PDF-bestand is beveiligd met een wachtwoord. Scan het document of bewaar het zonder wachtwoord.")
        ) from exc
    except pdfsafety.UnsafePdf as exc:
        raise UploadRefused(_("Het bestand is beschadigd of onvolledig. Scan of fotografeer het opnieuw.")) from exc
    return cleaned


def _check_room(dossier: Dossier, max_documents: int) -> None:
    if len(dossier.documents) >= max_documents:
        raise UploadRefused(
            ngettext(
                "Dit dossier heeft al %(num)s document. Meer kan niet: verwijder eerst een document dat niet nodig is.",
                "Dit dossier heeft al %(num)s documenten. Meer kan niet: verwijder eerst een document dat niet "
                "nodig is.",
                max_documents,
            )
        )
def _page_count(data: bytes, mime: str) -> int | None:
    if mime != "application/pdf":
        return 1
    try:
        return pdfmerge.page_count(data)
    except Exception:  # a PDF pikepdf cannot open is still stored; the page just shows no count
        return None


def _safe_filename(name: str, mime: str) -> str:
    stem = re.sub(r"[^\w.\- ]+", "_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .") or "document"
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    # The extension follows the content, so a PDF named .jpg downloads as a .pdf.
    return f"{stem[:180]}.{EXTENSIONS[mime]}"


def upload_document(
    dossier: Dossier,
    *,
    kind: DocumentKind,
    person_id: int | None,
    filename: str,
    stream: BinaryIO,
    max_bytes: int,
    actor: Actor,
    now: datetime,
) -> Document:
    """Check and store one upload; nothing is written when it is refused.

    Besides type and size, what rendering the file will cost is checked before anything is stored
    (documents per dossier, pages per PDF, pixels per image: UPLOAD_MAX_DOCUMENTS, UPLOAD_MAX_PDF_PAGES,
    UPLOAD_MAX_IMAGE_PIXELS), and a PDF is stored cleaned of scripts, actions and embedded files; its
    size and sha256 are those of the stored (cleaned) file.
    """
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    config = current_app.config
    _check_room(dossier, config["UPLOAD_MAX_DOCUMENTS"])
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(
            _("Het bestand is te groot. Het mag hoogstens %(mb)s MB zijn.", mb=round(max_bytes / 1024 / 1024, 1))
        )
    if not data:
        raise UploadRefused(_("Het bestand is leeg."))
    mime = detect_content_type(data)
    if mime is None:
        raise UploadRefused(_("Dit soort bestand kan niet. Gebruik een PDF of een foto (JPEG, PNG, GIF of TIFF)."))
    if mime != "application/pdf":
        _check_image_size(data, config["UPLOAD_MAX_IMAGE_PIXELS"])
    if not _looks_whole(data, mime):
        raise UploadRefused(_("Het bestand is beschadigd of onvolledig. Scan of fotografeer het opnieuw."))
    if mime == "application/pdf":
        data = _cleaned_pdf(data, config["UPLOAD_MAX_PDF_PAGES"])
    person_ids = {p.id for p in dossier.persons}
    track_changes()
    key = storage.store(data)
    # Written before its row: if the row does not commit (a refused file after it, a failed step), the file goes.
    transactions.on_rollback(("document file", key), functools.partial(storage.delete, key))
    document = Document(
        kind=kind,
        person_id=person_id if person_id in person_ids else None,
        original_filename=_safe_filename(filename, mime),
        content_type=mime,
        size_bytes=len(data),
        page_count=_page_count(data, mime),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_at=now,
        uploaded_by_id=actor.user_id,
    )
    dossier.documents.append(document)
    finish_step(dossier, step="documents", actor=actor, now=now)
    return document


@dataclass(frozen=True)
class Upload:
    """One file of a request: what it is, whose, and where it came from (the form field, for its error)."""

    kind: DocumentKind
    person_id: int | None
    filename: str
    stream: BinaryIO
    field: str


def upload_documents(
    dossier: Dossier, uploads: list[Upload], *, max_bytes: int, actor: Actor, now: datetime
) -> list[Document]:
    """Store several files of one request, each checked on its own by `upload_document`; all or none.

    :raises UploadRefused: for the first refused file (its `field` and file name added); the files stored
        before it go with the caller's rollback.
    """
    stored: list[Document] = []
    for upload in uploads:
        try:
            stored.append(
                upload_document(dossier, kind=upload.kind, person_id=upload.person_id, filename=upload.filename,
                                stream=upload.stream, max_bytes=max_bytes, actor=actor, now=now)
            )
        except UploadRefused as exc:
            exc.field = upload.field
            exc.filename = upload.filename
            raise
    return stored


def delete_document(dossier: Dossier, document: Document, *, actor: Actor, now: datetime) -> None:
    """Remove a document from the dossier; its file goes when the transaction commits."""
    if dossier.is_complete:
        raise DossierLocked(dossier.reference)
    key = document.storage_key
    transactions.on_commit(("document file", key), functools.partial(storage.delete, key))
    track_changes()
    dossier.documents.remove(document)
    db.session.delete(document)
    finish_step(dossier, step="documents", actor=actor, now=now)


def load_document(document: Document) -> bytes:
    """Return the original bytes of a document, checked against the sha256 taken at upload."""
    data = storage.load(document.storage_key)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise storage.Undecryptable(document.storage_key)
    return data


def load_upright_image(document: Document) -> tuple[bytes, str]:
    """For rendering (packets, previews): the image turned upright per its EXIF orientation.

    The stored file stays the original (its sha256 is the proof of what was handed in); rotation is
    applied only when rendering. PDFs come back unchanged.
    """
    data = load_document(document)
    if document.content_type == "application/pdf":
        return data, document.content_type
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=88)
    return out.getvalue(), "image/jpeg"


def by_person(dossier: Dossier) -> list[tuple[Person | None, list[Document]]]:
    """The documents grouped per person in household order (the household's own papers last), oldest first."""
    groups: list[tuple[Person | None, list[Document]]] = []
    ordered = sorted(dossier.documents, key=lambda d: d.uploaded_at)
    for person in [*dossier.persons, None]:
        mine = [d for d in ordered if d.person_id == (person.id if person else None)]
        if mine:
            groups.append((person, mine))
    return groups
