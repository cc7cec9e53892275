"""Joining PDFs on pikepdf (a section: data pages and uploads); uploaded PDFs checked."""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfReader, PdfWriter

from inschrijving.rendering import pdfmerge, pdfpages


def _pages(count: int, label: str) -> bytes:
    return pdfpages.table_pages(label, ["A"], [[f"{label} {i}"] for i in range(count * pdfpages.ROWS_PER_PAGE)], [46])


def test_join_counts_the_pages_of_all_parts():
    pdf, pages = pdfmerge.join([_pages(1, "a"), _pages(2, "b")])
    assert pages == 3 == pdfmerge.page_count(pdf)


def encrypted(source: bytes, *, user: str) -> bytes:
    """The PDF locked with this password to open it (and an owner password against changes)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user, owner_password="eigenaar")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_uploaded_pdf_is_refused_with_its_reason_or_rewritten_to_join():
    good = _pages(1, "attest")
    damaged = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"

    assert pdfmerge.readable_pdf(damaged) == (None, pdfmerge.DAMAGED)
    assert pdfmerge.readable_pdf(b"not a pdf") == (None, pdfmerge.DAMAGED)
    assert pdfmerge.readable_pdf(encrypted(good, user="geheim")) == (None, pdfmerge.ENCRYPTED)
    # Locked only against changes (an owner password): it opens, and is written without encryption.
    rewritten, reason = pdfmerge.readable_pdf(encrypted(good, user=""))
    assert reason is None and not PdfReader(io.BytesIO(rewritten)).is_encrypted
    assert "attest 0" in PdfReader(io.BytesIO(rewritten)).pages[0].extract_text()


def test_an_upload_whose_pages_inherit_their_size_keeps_it_when_joined():
    # Uploads may keep /MediaBox on the page tree; `readable_pdf` rewrites them with it on each page.
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(300, 400))
        del page.obj.MediaBox
        pdf.Root.Pages.MediaBox = pikepdf.Array([0, 0, 300, 400])
        out = io.BytesIO()
        pdf.save(out)
    rewritten, _reason = pdfmerge.readable_pdf(out.getvalue())

    joined, pages = pdfmerge.join([_pages(1, "sectie"), rewritten])

    with pikepdf.open(io.BytesIO(joined)) as opened:
        assert pages == 2 and [float(v) for v in opened.pages[1].mediabox] == [0, 0, 300, 400]
