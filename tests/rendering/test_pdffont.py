"""Embedded font subsets for text written as plain PDF (the packet's cover and contents)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from inschrijving.landlords import pdfmerge
from inschrijving.rendering import pdffont


def test_a_subset_holds_the_characters_asked_for_and_measures_them():
    font = pdffont.subset(False, frozenset("Şahin Ö"))
    assert font is not None and font.name.endswith("+DejaVuSans")
    assert {"Ş", "a", "h", "i", "n", "Ö", "?"} <= set(font.glyphs)
    assert font.width("Şahin", 10) > font.width("ahin", 10) > 0
    # Glyph numbers, two bytes each, in a hex string.
    assert font.encode("Şa") == f"<{font.glyphs['Ş']:04X}{font.glyphs['a']:04X}>".encode()
    # The same characters give the same (cached) subset, whatever ASCII comes with them.
    assert pdffont.subset(False, "Ö 12:34 Şahin") is font


def test_right_to_left_letters_print_as_a_question_mark_not_as_broken_glyphs():
    font = pdffont.subset(False, frozenset("Ali علي"))
    assert "ع" not in font.glyphs
    assert font.encode("ع") == font.encode("?")


def test_text_on_a_plain_page_can_be_searched_and_copied():
    writer = PdfWriter()
    font = pdffont.subset(False, frozenset("Dąbrowska Ковальчук"))
    page = writer.add_blank_page(595, 842)
    content = DecodedStreamObject()
    content.set_data(b"BT /F 12 Tf 50 700 Td " + font.encode("Dąbrowska Ковальчук") + b" Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    fonts = DictionaryObject({NameObject("/F"): writer._add_object(pdffont.font_object(writer, font))})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    out = io.BytesIO()
    writer.write(out)
    assert "Dąbrowska Ковальчук" in PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()


def test_without_dejavu_the_pages_fall_back_to_helvetica(monkeypatch, caplog):
    monkeypatch.setattr(pdffont, "FONT_DIRECTORIES", ())
    pdffont.clear_cache()
    try:
        page = PdfReader(io.BytesIO(pdfmerge.text_page([(12, True, "Dossiers voor SVK De Poort")]))).pages[0]
        assert "Dossiers voor SVK De Poort" in page.extract_text()
        assert {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()} == {"/Helvetica", "/Helvetica-Bold"}
        assert "fonts-dejavu-core" in caplog.text
    finally:
        pdffont.clear_cache()
