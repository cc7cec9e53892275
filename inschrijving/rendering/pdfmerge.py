"""Joining PDFs into one (a dossier's section: its data pages and appended uploads): pikepdf (qpdf) underneath.

qpdf copies each part's objects without decoding its streams. A packet of many sections is written
from prepared parts instead (`pdfparts`), which copies their bytes without parsing them again.

Uploaded PDFs are checked here too (`readable_pdf`): one that needs a password or that qpdf cannot
repair into at least one page is refused, with the reason, so the caller can say so instead.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator, Sequence
from typing import BinaryIO

import pikepdf
from pikepdf import AccessMode, StreamDecodeLevel

from inschrijving.rendering import pdfsafety

logger = logging.getLogger(__name__)

# Why an uploaded PDF could not be appended.
ENCRYPTED = "encrypted"
DAMAGED = "damaged"


# qpdf reads and writes a Python BytesIO through one Python call per chunk (some 130,000 for a
# 100-dossier packet); an anonymous in-memory file (Linux memfd: RAM only, no name on any disk) it
# reads and writes directly, which makes a merge a third cheaper. Elsewhere BytesIO serves.
_IN_MEMORY_FILES = hasattr(os, "memfd_create")


def _memory_file(data: bytes = b"") -> BinaryIO:
    file = os.fdopen(os.memfd_create("pdf", os.MFD_CLOEXEC), "w+b")
    file.write(data)
    file.flush()
    file.seek(0)
    return file


@contextlib.contextmanager
def _opened(parts: Sequence[bytes]) -> Iterator[list[pikepdf.Pdf]]:
    """The parts opened by qpdf, closed (with their files) on leaving.

    Parts are written by WeasyPrint or by pikepdf (uploads through `readable_pdf`): every page
    carries its own attributes, so the walk that copies inherited ones down is skipped.
    """
    with contextlib.ExitStack() as stack:
        pdfs = []
        for part in parts:
            if _IN_MEMORY_FILES:
                source, mode = stack.enter_context(_memory_file(part)), AccessMode.mmap
            else:
                source, mode = io.BytesIO(part), AccessMode.default
            pdfs.append(stack.enter_context(pikepdf.open(source, inherit_page_attributes=False, access_mode=mode)))
        yield pdfs


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    """The PDF written out, its streams as they are."""
    # Streams are copied as they are (no decoding and compressing again): most of a packet is
    # already-compressed images and fonts.
    options = {"stream_decode_level": StreamDecodeLevel.none, "fix_metadata_version": False}
    if not _IN_MEMORY_FILES:
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()
    with _memory_file() as out:
        pdf.save(out, **options)
        out.seek(0)
        return out.read()


def readable_pdf(data: bytes) -> tuple[bytes | None, str | None]:
    """An uploaded PDF rewritten without encryption or active content, ready to join; or None and why not.

    A PDF locked only by an owner password opens (qpdf tries the empty user password). Scripts, launch and
    link actions and embedded files are removed here too (`pdfsafety.sanitise`), so a file stored before
    uploads were cleaned (issue 13.2) never reaches a packet with them. Its original, downloaded on its own,
    is served as it was stored (docs/security.md, "Uploads").
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                return None, DAMAGED
            pdfsafety.sanitise(pdf)
            return pdf_bytes(pdf), None
    except pikepdf.PasswordError:
        return None, ENCRYPTED
    except Exception:  # damaged input makes qpdf raise more than one type of error
        logger.info("uploaded PDF not appended: unreadable", exc_info=True)
        return None, DAMAGED


def join(parts: Sequence[bytes]) -> tuple[bytes, int]:
    """The parts' pages one after the other in one PDF, and its number of pages.

    Each part is WeasyPrint's or pikepdf's output (an upload passes `readable_pdf` first).
    """
    with pikepdf.new() as out, _opened(parts) as opened:
        for pdf in opened:
            out.pages.extend(pdf.pages)
        return pdf_bytes(out), len(out.pages)


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252); what it cannot hold becomes "?"."""
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
