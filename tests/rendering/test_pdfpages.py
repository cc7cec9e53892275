"""A packet's cover and contents written straight as parts: the same pages as through pikepdf and `to_part`."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from inschrijving.rendering import pdffont, pdfpages
from inschrijving.rendering.pdfparts import making as parts
from inschrijving.rendering.pdfparts import writing as pdfwrite
from tests.rendering.test_pdffont import ARABIC_NAME, pdftotext

NAMES = ["Dąbrowska Şahin", "Ковальчук Олена", ARABIC_NAME]
COVER = [
    (9.5, False, "Groepsinschrijving sociale huur · Regio Kortrijk"),
    (6, False, ""),
    (24, True, "Dossiers voor SVK De Poort " + NAMES[1]),
    (11, False, f"Referentiehuurders: {', '.join(NAMES)}"),
    (11, True, "Vertrouwelijk. Dit pakket bevat persoonsgegevens. Bewaar het niet langer dan nodig en geef het niet "
     "door."),
]
TABLE = (
    "Inhoud",
    ["Referentiehuurder", "Dossier", "Personen", "Pagina"],
    [(f"{NAMES[i % 3]} {i}", f"K7F-{i:03d}", str(1 + i % 4), str(4 + 2 * i)) for i in range(100)],
    [46, 330, 420, 500],
)
# Each way of writing the cover and the contents: (through pikepdf, straight as a part).
WAYS = {
    "cover": (lambda: parts.to_part(pdfpages.text_document(COVER)), lambda: pdfpages.text_part(COVER)),
    "contents": (lambda: parts.to_part(pdfpages.table_document(*TABLE)), lambda: pdfpages.table_part(*TABLE)),
}


def _written(part: bytes) -> bytes:
    count = pdfwrite.page_count(part)
    return b"".join(
        pdfwrite.write(
            [part],
            left_texts=[f"Dossiers voor SVK {n}" for n in range(count)],
            right_texts=[f"pagina {n + 1} van {count}" for n in range(count)],
            outline=[("Inhoud", 0)],
            title="Pakket",
        )
    )


def _resolved(obj: object) -> object:
    """A page's objects as plain values (streams as their dictionary and bytes), without its /Parent."""
    if isinstance(obj, pikepdf.Stream):
        return {"dict": _resolved(pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})),
                "data": obj.read_bytes()}
    if isinstance(obj, pikepdf.Dictionary):
        return {key: _resolved(value) for key, value in obj.items() if key != "/Parent"}
    if isinstance(obj, pikepdf.Array):
        return [_resolved(item) for item in obj]
    if isinstance(obj, pikepdf.Object):
        return str(obj)
    return obj


def _pages(pdf: bytes) -> list[object]:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert opened.check_pdf_syntax() == []
        return [_resolved(page.obj) for page in opened.pages]


def _check_the_same_pages(way: str, tmp_path) -> tuple[bytes, bytes]:
    through_pikepdf, direct = (make() for make in WAYS[way])
    assert pdfwrite.page_count(direct) == pdfwrite.page_count(through_pikepdf)
    old, new = _written(through_pikepdf), _written(direct)
    # Every page alike, object for object: content streams (the q before, the footer after), fonts, size.
    assert _pages(new) == _pages(old)
    path = tmp_path / f"{way}.pdf"
    path.write_bytes(new)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
    assert pdftotext(new) == pdftotext(old)
    reader = PdfReader(io.BytesIO(new))
    count = pdfwrite.page_count(direct)
    assert len(reader.pages) == count
    assert all(f"pagina {n + 1} van {count}" in page.extract_text() for n, page in enumerate(reader.pages))
    return old, new


@pytest.mark.parametrize("way", WAYS)
def test_written_straight_as_a_part_the_pages_are_those_of_the_pikepdf_way(way, tmp_path):
    _old, new = _check_the_same_pages(way, tmp_path)

    text = pdftotext(new)
    assert all(name in text for name in NAMES)
    assert "pagina 1 van" in text and "Dossiers voor SVK 0" in text
    if way == "contents":
        assert pdfwrite.page_count(pdfpages.table_part(*TABLE)) == 3


@pytest.mark.parametrize("way", WAYS)
def test_without_dejavu_the_part_falls_back_to_helvetica_as_the_pikepdf_way_does(way, tmp_path, monkeypatch):
    monkeypatch.setattr(pdffont, "FONT_DIRECTORIES", ())
    pdffont.clear_cache()
    try:
        _old, new = _check_the_same_pages(way, tmp_path)
    finally:
        pdffont.clear_cache()

    page = PdfReader(io.BytesIO(new)).pages[0]
    assert {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()} == {"/Helvetica", "/Helvetica-Bold"}
    assert "Dossiers voor SVK" in page.extract_text()


@pytest.mark.parametrize("way", WAYS)
def test_the_first_page_looks_the_same_both_ways(way, tmp_path):
    images = []
    for make in WAYS[way]:
        path = tmp_path / "page.pdf"
        path.write_bytes(_written(make()))
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                       check=True)
        [png] = tmp_path.glob("page*.png")
        with Image.open(png) as image:
            images.append(image.convert("RGB"))
        png.unlink()
    assert images[0].size == images[1].size
    assert ImageChops.difference(*images).getbbox() is None  # not one pixel differs


def test_a_font_subset_is_serialised_once_and_copied_into_every_part_after(monkeypatch):
    first = pdfpages.text_part(COVER)
    monkeypatch.setattr(pdffont, "font_object", lambda *_args: pytest.fail("the font was serialised again"))

    assert pdfpages.text_part(COVER) == first
