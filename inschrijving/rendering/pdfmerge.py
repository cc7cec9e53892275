"""Joining PDFs into one, with a footer on every page, bookmarks and a title: pikepdf (qpdf) underneath.

Knows no domain: the caller words the footers (already translated) and the bookmark titles.
qpdf copies each part's objects without decoding its streams, so merging 100 cached dossier
sections costs about a tenth of a second (docs/performance.md, "Packets").

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
from pikepdf import AccessMode, Dictionary, Name, OutlineItem, Stream, StreamDecodeLevel

from inschrijving.rendering import pdfsafety

logger = logging.getLogger(__name__)

# Why an uploaded PDF could not be appended.
ENCRYPTED = "encrypted"
DAMAGED = "damaged"
FOOTER_FONT = Name("/GIFooter")


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


def footer_stream(left: str, right: str, mediabox: Sequence[float]) -> bytes:
    """The footer's page content: grey 8 pt Helvetica, left and right, above the bottom edge."""
    x0, y0, x1, _y1 = mediabox
    return (
        b"Q q BT /GIFooter 8 Tf 0.33 0.33 0.33 rg "
        + f"1 0 0 1 {x0 + 42:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(left)
        + b" Tj "
        + f"1 0 0 1 {x1 - 150:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(right)
        + b" Tj ET Q"
    )


def merge(
    parts: Sequence[bytes],
    *,
    left_texts: Sequence[str],
    right_texts: Sequence[str],
    outline: Sequence[tuple[str, int]],
    title: str,
) -> bytes:
    """Merge the parts into one PDF with a footer on every page, bookmarks and a title.

    `left_texts` and `right_texts` (e.g. the page number) have one footer text per page of the
    result; `outline` holds (title, 0-based page). The reader opens it with the bookmarks shown.
    Each part is WeasyPrint's or pikepdf's output (this module's `join`, `pdfpages`).
    """
    with pikepdf.new() as out, _opened(parts) as opened:
        for pdf in opened:
            out.pages.extend(pdf.pages)
        if not len(out.pages) == len(left_texts) == len(right_texts):
            raise ValueError("one footer text per page expected")
        _add_footers(out, left_texts, right_texts)
        with out.open_outline() as bookmarks:
            bookmarks.root.extend(OutlineItem(text, page) for text, page in outline)
        out.Root.PageMode = Name.UseOutlines
        out.docinfo[Name.Title] = title
        out.docinfo[Name.Producer] = "Groepsinschrijving"
        return pdf_bytes(out)


def _add_footers(out: pikepdf.Pdf, left_texts: Sequence[str], right_texts: Sequence[str]) -> None:
    font = out.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    # The page's own content is wrapped in q/Q so its graphics state cannot move or hide the footer.
    save_state = out.make_stream(b"q ")
    for page, left, right in zip(out.pages, left_texts, right_texts, strict=True):
        resources = page.obj.get(Name.Resources)
        if resources is None:
            resources = page.obj.Resources = Dictionary()
        fonts = resources.get(Name.Font)
        if fonts is None:
            fonts = resources.Font = Dictionary()
        fonts[FOOTER_FONT] = font
        page.contents_add(save_state, prepend=True)
        page.contents_add(Stream(out, footer_stream(left, right, [float(v) for v in page.mediabox])))
