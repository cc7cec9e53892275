"""Joining and merging PDFs on pikepdf: pages, footers, bookmarks, title; uploaded PDFs checked."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from inschrijving.rendering import pdfmerge, pdfpages


def _pages(count: int, label: str) -> bytes:
    return pdfpages.table_pages(label, ["A"], [[f"{label} {i}"] for i in range(count * pdfpages.ROWS_PER_PAGE)], [46])


@pytest.mark.parametrize("in_memory_files", [True, False])
def test_merge_keeps_every_page_in_order_with_footers_bookmarks_and_a_title(monkeypatch, in_memory_files):
    # With Linux in-memory files and, as on other systems, through BytesIO.
    monkeypatch.setattr(pdfmerge, "_IN_MEMORY_FILES", in_memory_files and pdfmerge._IN_MEMORY_FILES)
    parts = [_pages(1, "Voorblad"), _pages(2, "Eerste"), _pages(3, "Tweede")]
    total = 6
    pdf = pdfmerge.merge(
        parts,
        left_texts=[f"links {n}" for n in range(total)],
        right_texts=[f"pagina {n + 1} van {total}" for n in range(total)],
        outline=[("Eerste", 1), ("Tweede", 3)],
        title="Pakket",
    )

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == total
    texts = [page.extract_text() for page in reader.pages]
    assert "Voorblad 0" in texts[0] and "Eerste 0" in texts[1] and "Tweede 0" in texts[3]
    assert all(f"pagina {n + 1} van {total}" in text and f"links {n}" in text for n, text in enumerate(texts))
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Eerste", 1),
        ("Tweede", 3),
    ]
    assert reader.metadata.title == "Pakket"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_join_counts_the_pages_of_all_parts():
    pdf, pages = pdfmerge.join([_pages(1, "a"), _pages(2, "b")])
    assert pages == 3 == pdfmerge.page_count(pdf)


def test_a_footer_can_not_be_hidden_by_the_page_s_own_graphics_state():
    # A page that leaves a white fill and a transformation behind still shows the footer, in grey, in place.
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Contents = pdf.make_stream(b"1 g 0.1 0 0 0.1 0 0 cm")
        out = io.BytesIO()
        pdf.save(out)
    merged = pdfmerge.merge([out.getvalue()], left_texts=["links"], right_texts=["rechts"], outline=[], title="t")
    with pikepdf.open(io.BytesIO(merged)) as opened:
        operators = [str(op) for _operands, op in pikepdf.parse_content_stream(opened.pages[0])]
    assert operators[0] == "q" and operators.count("q") == operators.count("Q")
    assert operators.index("Q") < operators.index("BT")


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
