"""Uploaded PDFs lose every script, launch, link out, form submission and embedded file; the pages stay."""

from __future__ import annotations

import io

import pikepdf

from inschrijving.rendering import pdfsafety
from tests.rendering.hostile_pdf import MARKERS, hostile_pdf, markers_in


def test_the_hostile_sample_carries_everything_it_should():
    # The test below is only as good as its sample: every marker is in it before cleaning.
    data = hostile_pdf()
    assert markers_in(data) == list(MARKERS)
    assert pdfsafety.active_content(data)


def test_sanitised_pdf_keeps_the_pages_and_nothing_active():
    cleaned, pages = pdfsafety.sanitised_pdf(hostile_pdf(pages=3))
    assert pages == 3
    assert markers_in(cleaned) == []
    assert pdfsafety.active_content(cleaned) == []
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 3
        assert b"Identiteitskaart" in pdf.pages[0].obj.Contents.read_bytes()
        # A note without an action is kept.
        assert [str(a.Subtype) for a in pdf.pages[0].obj.Annots] == ["/Text"]


def test_sanitise_in_place_reports_what_it_removed():
    with pikepdf.open(io.BytesIO(hostile_pdf())) as pdf:
        removed = pdfsafety.sanitise(pdf)
        assert any("JavaScript" in r for r in removed)
        assert pdfsafety.sanitise(pdf) == []  # a second pass finds nothing


def test_a_jump_inside_the_document_is_kept():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    goto = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit]))
    pdf.pages[0].obj["/Annots"] = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=goto))])
    out = io.BytesIO()
    pdf.save(out)
    cleaned, _pages = pdfsafety.sanitised_pdf(out.getvalue())
    with pikepdf.open(io.BytesIO(cleaned)) as opened:
        assert opened.pages[0].obj.Annots[0].A.S == pikepdf.Name.GoTo


def test_unreadable_pdf_is_reported():
    import pytest

    with pytest.raises(pdfsafety.UnsafePdf):
        pdfsafety.sanitised_pdf(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_the_packet_merge_cleans_a_pdf_stored_before_uploads_were_cleaned():
    # Files uploaded before issue 13.2 were stored as handed in: the merge itself must not pass them on.
    from inschrijving.rendering import pdfmerge

    raw = hostile_pdf()
    assert markers_in(raw)
    cleaned, problem = pdfmerge.readable_pdf(raw)
    assert problem is None and cleaned is not None
    assert not markers_in(cleaned)
