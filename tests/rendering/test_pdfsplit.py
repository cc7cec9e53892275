"""One rendered document cut into parts: each part its own pages, its pictures drawn as the JPEGs they are, its PDFs."""

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
  <div id="first"><p>Eerste deel</p><img id="picture" src="memory:picture.svg"></div>
  <div id="second" style="page-break-before: always"><p>Tweede deel</p></div>
</body></html>"""


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def images(page: pikepdf.Page) -> list[pikepdf.Object]:
    xobjects = page.obj.Resources.get(Name.XObject, {})
    return [x for x in xobjects.values() if x.get(Name.Subtype) == Name.Image]


def _contents(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(stream.read_bytes() for stream in streams)


def test_each_part_gets_its_pages_its_picture_in_its_box_and_its_appended_pdf(app):
    placeholder = pdfsplit.placeholder_svg(120, 60)
    document, anchors = pdf.html_to_pdf_with_anchors(TWO_PARTS, {"picture.svg": (placeholder, "image/svg+xml")})
    jpeg = scan_jpeg("foto", size=(120, 60))
    box = anchors["picture"].box
    picture = pdfsplit.Picture(jpeg, 120, 60, grey=False, page=anchors["picture"].page, box=box)
    appended = pdfpages.text_page([(12, False, "Bijlage")])

    [(first, first_pages), (second, second_pages)] = pdfsplit.split(
        document,
        [
            pdfsplit.Part(anchors["first"].page, anchors["second"].page, pictures=[picture]),
            pdfsplit.Part(anchors["second"].page, None, appended=[appended]),
        ],
    )

    # The placeholder took the picture's size: 120 x 60 CSS pixels are 90 x 45 points.
    assert (anchors["first"].page, anchors["picture"].page, anchors["second"].page) == (0, 0, 1)
    assert (round(box[2] - box[0], 2), round(box[3] - box[1], 2)) == (90, 45)
    assert (first_pages, second_pages) == (1, 2)
    assert "Eerste deel" in pdftotext(first) and "Tweede deel" not in pdftotext(first)
    assert "Tweede deel" in pdftotext(second) and "Bijlage" in pdftotext(second)
    with pikepdf.open(io.BytesIO(first)) as opened:
        page = opened.pages[0]
        [image] = images(page)
        assert image.read_raw_bytes() == jpeg  # embedded as it is, not decoded and encoded again
        assert image.Filter == Name.DCTDecode and image.ColorSpace == Name.DeviceRGB
        drawn = f"{box[2] - box[0]:.4f} 0 0 {box[3] - box[1]:.4f} {box[0]:.4f} {box[1]:.4f} cm"
        assert drawn.encode() in _contents(page)
    with pikepdf.open(io.BytesIO(second)) as opened:
        # WeasyPrint's pages share one resource dictionary: the picture went into its own page's only.
        assert not any(images(page) for page in opened.pages)


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
