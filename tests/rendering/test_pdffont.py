"""Embedded font subsets for text written as plain PDF (the packet's cover and contents), right-to-left shaped."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from inschrijving.rendering import pdffont, pdfpages

ARABIC_NAME = "محمد العلي"


def pdftotext(pdf: bytes) -> str:
    """The text as poppler's pdftotext reads it, without the embedding marks it puts around right-to-left runs."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode().replace("\u202b", "").replace("\u202c", "")


def test_a_subset_holds_the_characters_asked_for_and_measures_them():
    font = pdffont.subset(False, "Şahin Ö")
    assert font is not None and font.name.endswith("+DejaVuSans")
    assert {"Ş", "a", "h", "i", "n", "Ö", "?"} <= set(font.cmap)
    assert font.width("Şahin", 10) > font.width("ahin", 10) > 0
    # Glyph numbers, two bytes each, in a TJ array.
    assert font.show("Şa") == f"[<{font.cmap['Ş']:04X}{font.cmap['a']:04X}>] TJ".encode()
    # The same characters give the same (cached) subset, whatever ASCII comes with them.
    assert pdffont.subset(False, "Ö 12:34 Şahin") is font


def test_a_line_is_split_into_runs_in_display_order():
    assert pdffont.visual_runs("Dossiers voor SVK") == [("Dossiers voor SVK", False)]
    # The Arabic words are one run, right to left; the Latin name before them stays first on the line.
    assert pdffont.visual_runs(f"Testa {ARABIC_NAME}") == [("Testa ", False), (ARABIC_NAME, True)]
    assert pdffont.visual_runs(f"{ARABIC_NAME} (K7F-3QX)")[0] == (ARABIC_NAME, True)


def test_arabic_letters_are_joined_and_written_right_to_left():
    font = pdffont.subset(False, ARABIC_NAME)
    glyphs = font.glyphs("علي")
    # Display order: the last letter (ي, here in its final form) comes first, from the left.
    assert [g.text for g in glyphs] == ["ي", "ل", "ع"]
    # Joined forms, not the isolated letters of the character map.
    assert [g.gid for g in glyphs] != [font.cmap[c] for c in "يلع"]
    # A ligature stands for both its letters.
    assert [g.text for g in font.glyphs("لا")] == ["لا"]


def test_text_on_a_plain_page_can_be_searched_and_copied():
    page = pdfpages.text_page([(12, False, "Dąbrowska Ковальчук"), (12, False, f"Testa {ARABIC_NAME}")])
    assert "Dąbrowska Ковальчук" in PdfReader(io.BytesIO(page)).pages[0].extract_text()
    text = pdftotext(page)
    assert "Dąbrowska Ковальчук" in text and ARABIC_NAME in text


@pytest.mark.parametrize("bold", [False, True])
def test_an_arabic_name_is_measured_as_it_is_drawn(bold):
    font = pdffont.subset(bold, ARABIC_NAME)
    assert font.width(ARABIC_NAME, 10) == pytest.approx(sum(g.advance for g in font.glyphs(ARABIC_NAME)) / 100)
    assert font.width(ARABIC_NAME, 10) > font.width("محمد", 10) > 0


def test_without_dejavu_the_pages_fall_back_to_helvetica(monkeypatch, caplog):
    monkeypatch.setattr(pdffont, "FONT_DIRECTORIES", ())
    pdffont.clear_cache()
    try:
        pdf = pdfpages.text_page([(12, True, "Dossiers voor SVK De Poort")])
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        assert "Dossiers voor SVK De Poort" in page.extract_text()
        assert {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()} == {"/Helvetica", "/Helvetica-Bold"}
        assert "fonts-dejavu-core" in caplog.text
    finally:
        pdffont.clear_cache()
