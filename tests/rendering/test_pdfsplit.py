"""One rendered document cut into parts: each part its own pages, its scan pages drawn directly, its PDFs appended."""

from __future__ import annotations

import gc
import io

import pikepdf
import pytest
from pikepdf import Name

from inschrijving.rendering import pdf, pdfpages, pdfsplit
from tests.factories.packets import scan_jpeg
from tests.rendering.test_pdffont import pdftotext

TWO_PARTS = """<html><body>
  <div id="first"><p>Eerste deel</p></div>
  <div id="second" style="page-break-before: always"><p>Tweede deel</p></div>
</body></html>"""


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def images(page: pikepdf.Page) -> list[pikepdf.Object]:
    xobjects = page.obj.Resources.get(Name.XObject, {})
    return [x for x in xobjects.values() if x.get(Name.Subtype) == Name.Image]


def test_each_part_gets_its_pages_then_its_scan_pages_then_its_appended_pdf(app):
    document, anchors = pdf.html_to_pdf_with_anchors(TWO_PARTS)
    jpeg = scan_jpeg("foto", size=(400, 300))
    scan = pdfsplit.ScanPage(jpeg, 400, 300, grey=False, label="Paspoort", details=" · Ayşe Öztürk · foto.jpg")
    appended = pdfpages.text_page([(12, False, "Bijlage")])

    [(first, first_pages), (second, second_pages)] = pdfsplit.split(
        document,
        [
            pdfsplit.Part(anchors["first"], anchors["second"], scans=[scan, scan]),
            pdfsplit.Part(anchors["second"], None, appended=[appended]),
        ],
    )

    assert (anchors["first"], anchors["second"]) == (0, 1)
    assert (first_pages, second_pages) == (3, 2)
    pages = pdftotext(first).split("\f")
    assert "Eerste deel" in pages[0] and "Tweede deel" not in pdftotext(first)
    assert " ".join(pages[1].split()) == "Paspoort · Ayşe Öztürk · foto.jpg"  # searchable
    assert "Tweede deel" in pdftotext(second) and "Bijlage" in pdftotext(second)
    with pikepdf.open(io.BytesIO(first)) as opened:
        [image] = images(opened.pages[1])
        assert image.read_raw_bytes() == jpeg  # embedded as it is, not decoded and encoded again
        assert image.Filter == Name.DCTDecode and image.ColorSpace == Name.DeviceRGB
    with pikepdf.open(io.BytesIO(second)) as opened:
        assert not any(images(page) for page in opened.pages)


def test_a_long_caption_wraps_and_the_scan_moves_down_under_it(app):
    document, _anchors = pdf.html_to_pdf_with_anchors(TWO_PARTS)
    details = " · " + " ".join(["Verylongfamilyname"] * 12) + " · scan.jpg"
    scan = pdfsplit.ScanPage(scan_jpeg(size=(400, 300)), 400, 300, grey=False, label="Paspoort", details=details)

    [(part, _pages)] = pdfsplit.split(document, [pdfsplit.Part(0, 1, scans=[scan])])

    caption = [line for line in pdftotext(part).split("\f")[1].splitlines() if line.strip()]
    assert len(caption) > 1 and " ".join(" ".join(caption).split()) == "Paspoort " + " ".join(details.split())
    with pikepdf.open(io.BytesIO(part)) as opened:
        operators = pikepdf.parse_content_stream(opened.pages[1])
        last_baseline = [float(ops[5]) for ops, op in operators if op == pikepdf.Operator("Tm")][-1]
        placed = [operands for operands, op in operators if op == pikepdf.Operator("cm")][-1]
        width, _b, _c, height, _x, bottom = (float(v) for v in placed)
    assert bottom + height < last_baseline - 2  # the scan's top under the caption's last line
    assert (round(width, 2), round(height, 2)) == (300, 225)  # at its own size: 1 px per CSS px, 0.75 pt


def test_captions_in_latin_letters_can_be_written_others_are_left_to_weasyprint():
    assert pdfsplit.can_caption("Rijbewijs", " · Łukasz Wójcik · Ayşe Öztürk · Ærø · scan (1).jpg")
    assert not pdfsplit.can_caption("Paspoort", " · محمد · scan.jpg")
    assert not pdfsplit.can_caption("Paspoort", " · Дмитрий · scan.jpg")
    assert not pdfsplit.can_caption("Attest Öztürk", " · scan.jpg")  # the bold label's subset is ASCII


def test_collections_wait_for_the_end_of_the_block_and_a_disabled_collector_stays_disabled():
    assert gc.isenabled()
    with pdf.collections_after():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with pdf.collections_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
