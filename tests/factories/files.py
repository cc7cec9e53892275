"""Small real files for upload tests (an upload PDF must open in qpdf: it is cleaned before it is stored)."""

from __future__ import annotations

import io

import pikepdf


def minimal_pdf(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def shared_content_pdf(pages: int) -> bytes:
    """Many pages that share one content stream: small on disk, as costly to render as it is long."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].obj["/Contents"] = pdf.make_stream(b"0 0 m 100 100 l S")
    first = pdf.pages[0].obj
    for _ in range(pages - 1):
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=first.MediaBox, Contents=first.Contents))))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
