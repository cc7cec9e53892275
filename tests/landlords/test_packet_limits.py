"""No single dossier can make a packet fail for the others (issue 13.1, packet side).

An upload that would cost too much to put in a section (a PDF of thousands of pages sharing one content
stream, a small PNG of a hundred million pixels), stored before the upload check refused such files or
injected past it, is named in its section as not added, with the pointer to the original, in bounded
time and pages; the other dossiers' sections are built as usual.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image
from pypdf import PdfReader

from inschrijving.db_types import utcnow
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import packets, section_pages, sections
from inschrijving.rendering import pdfmerge, pdfsplit
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import add_document, shared_dossier
from tests.factories.planning import MomentFactory


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def many_page_pdf(pages: int) -> bytes:
    """A PDF whose pages all share one content stream: tiny on disk, huge to append and stamp."""
    pdf = pikepdf.new()
    content = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Pagina) Tj ET")
    tree = pdf.Root.Pages
    kids = Array()
    for _ in range(pages):
        kids.append(
            pdf.make_indirect(Dictionary(Type=Name.Page, Parent=tree, MediaBox=[0, 0, 595, 842], Contents=content))
        )
    tree.Kids, tree.Count = kids, pages
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 million pixels in a few kB
    return out.getvalue()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_pdf_of_thousands_of_shared_pages_is_named_not_appended_and_the_packet_is_built(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    costly = shared_dossier(moment, [landlord], last_name="Duizend")
    bomb = many_page_pdf(5000)
    assert len(bomb) < 1_000_000 and pdfmerge.page_count(bomb) == 5000
    add_document(costly, bomb, content_type="application/pdf", filename="duizend.pdf")  # past the upload check
    other = shared_dossier(moment, [landlord], last_name="Gewoon")

    choices = shared_queries.moment_choices(landlord.id, moment.id)
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=utcnow())

    reader = PdfReader(io.BytesIO(pdf))
    assert [item.title.split()[1] for item in reader.outline] == ["Duizend", "Gewoon"]
    assert len(reader.pages) < 10  # cover, contents, and each dossier's page and scan
    text = _text(pdf)
    assert "duizend.pdf (niet toegevoegd: te groot om in het pakket op te nemen)" in text
    assert f"in de map {costly.reference}" in text
    assert other.reference in text


def test_the_page_limit_for_an_appended_pdf_is_configurable(app, db):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], scan=False)
    add_document(dossier, many_page_pdf(3), content_type="application/pdf", filename="drie.pdf")

    app.config["PACKET_PDF_MAX_PAGES"] = 2
    _pdf, pages = section_pages.render_section_pdf(dossier)
    assert pages == 1
    app.config["PACKET_PDF_MAX_PAGES"] = 3
    _pdf, pages = section_pages.render_section_pdf(dossier)
    assert pages == 4


def test_a_picture_of_too_many_pixels_is_not_decoded_and_is_named(app, db, monkeypatch):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], last_name="Reuzenfoto")
    add_document(dossier, huge_png(), content_type="image/png", filename="reus.png")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self, *a: decoded.append(self.size))

    section_pdf, pages = section_pages.render_section_pdf(dossier)

    assert (8000, 8000) not in decoded
    assert pages == 2  # the data and the other (ordinary) scan
    assert "reus.png (niet toegevoegd: te groot om in het pakket op te nemen)" in _text(section_pdf)


def _joining_fails_for_pdfs_of(monkeypatch, pages: int) -> None:
    """qpdf opens every upload, but cannot join a PDF of this many pages into its section."""
    original = pdfsplit.split

    def split(document, parts):
        if any(pdfmerge.page_count(pdf) == pages for part in parts for pdf in part.appended):
            raise RuntimeError("qpdf gave up")
        return original(document, parts)

    monkeypatch.setattr(pdfsplit, "split", split)


def test_a_section_whose_pdfs_cannot_be_joined_goes_without_them(app, db, monkeypatch):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], scan=False)
    add_document(dossier, many_page_pdf(1), content_type="application/pdf", filename="een.pdf")
    _joining_fails_for_pdfs_of(monkeypatch, 1)

    section_pdf, pages = section_pages.render_section_pdf(dossier)

    assert pages == 1
    assert "een.pdf (niet toegevoegd: het bestand is beschadigd)" in _text(section_pdf)


def test_a_pdf_that_cannot_be_joined_costs_only_its_own_section_its_pdfs(app, db, monkeypatch):
    # A cold build's step renders several sections in one document: the others keep their PDFs.
    moment = MomentFactory()
    landlord = LandlordFactory()
    failing, fine = shared_dossier(moment, [landlord], scan=False), shared_dossier(moment, [landlord])
    add_document(failing, many_page_pdf(2), content_type="application/pdf", filename="twee.pdf")
    add_document(fine, many_page_pdf(3), content_type="application/pdf", filename="drie.pdf")
    _joining_fails_for_pdfs_of(monkeypatch, 2)

    [(failing_pdf, failing_pages), (fine_pdf, fine_pages)] = section_pages.render_sections_pdf([failing, fine])

    assert failing_pages == 1
    assert "twee.pdf (niet toegevoegd: het bestand is beschadigd)" in _text(failing_pdf)
    assert fine_pages == 1 + 1 + 3  # data page, scan, the PDF's pages
    assert "drie.pdf (achteraan dit dossier)" in _text(fine_pdf)


def test_a_step_of_the_cold_build_loads_its_dossiers_in_a_fixed_number_of_queries(app, db):
    from tests.factories.packets import full_dossier
    from tests.query_count import count_queries

    moment = MomentFactory()
    landlord = LandlordFactory()

    def queries_for(count: int) -> int:
        for _ in range(count):
            full_dossier(moment, [landlord])
        db.session.commit()
        db.session.expire_all()
        choices = shared_queries.moment_choices(landlord.id, moment.id, details=False)
        dossiers = [c.dossier for c in choices]
        with count_queries() as statements:
            sections.ensure_sections(dossiers, now=utcnow(), limit=count)
        return len(statements)

    two, five = queries_for(2), queries_for(5)
    # Only the cache's own writes grow with the step (delete and insert per section), not the reads.
    per_section = 2
    assert five - two <= 3 * per_section + 1
