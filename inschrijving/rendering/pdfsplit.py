"""One rendered document cut into several PDFs, each with its scan pages drawn directly and its PDFs appended.

Knows no domain. Several parts rendered in one WeasyPrint document cost a good third less than each on its own
(the stylesheet, fonts and PDF writing are paid once). A scan's page is written here as PDF operators: a caption
(a bold label, then the details) above the JPEG, its bytes as they are (/DCTDecode, as WeasyPrint embeds a JPEG),
laid out as `.scan-page` in templates/pdf/_packet_style.html lays it out; WeasyPrint needs about 5 ms for such a
page, this a fraction of one. Captions are written in two DejaVu Sans subsets of the Latin letters
(`pdffont`), the same for every section, so they are made once per process; a caption with other letters
(`can_caption`) is left to WeasyPrint.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name

from inschrijving.rendering import pdffont
from inschrijving.rendering.pdfmerge import pdf_bytes, pdf_string

# The page as templates/pdf/_packet_style.html sets it, in points: A4 as WeasyPrint writes it, the page margins
# (18 mm top, 16 mm sides), the 8 px a section's first page gets from `.dossier` on its sides, 9.5 pt text in
# lines of 1.35, 2 mm under the caption, a scan at most the text's width and 240 mm high (1 px = 0.75 pt).
_MM = 72 / 25.4
_PX = 0.75
_PAGE = (595.275591, 841.889764)
_LEFT = 16 * _MM + 8 * _PX
_WIDTH = _PAGE[0] - 2 * _LEFT
_TOP = _PAGE[1] - 18 * _MM
_SIZE = 9.5
_LINE = 1.35 * _SIZE
_GAP = 2 * _MM
_MAX_HEIGHT = 240 * _MM
_COLOUR = b"0.066667 0.066667 0.066667 rg"  # #111
# What the captions' subsets hold: printable ASCII (the bold labels) and the Latin letters of Western, Central
# and Eastern European and Turkish names (the details). The same subsets for every section: a new one costs
# 0.1 to 0.4 s.
_LATIN = "".join(map(chr, range(0xC0, 0x180)))
_CAPTION_CHARACTERS = pdffont.BASE_CHARACTERS | frozenset(_LATIN)


def can_caption(label: str, details: str) -> bool:
    """Tell whether a caption can be written here: the bold label in ASCII, the details in Latin letters."""
    return pdffont.BASE_CHARACTERS.issuperset(label) and _CAPTION_CHARACTERS.issuperset(details)


@dataclass(frozen=True)
class ScanPage:
    """A scan on a page of its own (an upright RGB or grey JPEG), under its caption: a bold label, then details.

    The caption's characters must pass `can_caption`; others would print as "?".
    """

    jpeg: bytes
    width: int
    height: int
    grey: bool
    label: str
    details: str


@dataclass(frozen=True)
class Part:
    """The document's pages [first_page, end_page), then its scan pages, then the pages of its appended PDFs."""

    first_page: int
    end_page: int | None  # None: to the end of the document
    scans: Sequence[ScanPage] = ()
    appended: Sequence[bytes] = ()


def split(document: bytes, parts: Sequence[Part]) -> list[tuple[bytes, int]]:
    """Each part as a PDF of its own, and its number of pages.

    `document` is WeasyPrint's output; an appended PDF is pikepdf's (an upload passes `pdfmerge.readable_pdf`).
    """
    results = []
    fonts = _CaptionFonts()
    with (
        pikepdf.open(io.BytesIO(document), inherit_page_attributes=False) as source,
        pikepdf.open(io.BytesIO(_fonts_pdf())) as made_fonts,
    ):
        for part in parts:
            with pikepdf.new() as out:
                out.pages.extend(source.pages[part.first_page : part.end_page])
                if part.scans:
                    font_dictionary = out.copy_foreign(made_fonts.Root.GIFonts)
                    for scan in part.scans:
                        _add_scan_page(out, scan, fonts, font_dictionary)
                for appended in part.appended:
                    with pikepdf.open(io.BytesIO(appended), inherit_page_attributes=False) as pdf:
                        out.pages.extend(pdf.pages)
                # WeasyPrint gives every page of a document one /Resources: without this, each part would carry
                # every image of the step, other households' scans among them (drawn, unseen, by no page of its own).
                out.remove_unreferenced_resources()
                results.append((pdf_bytes(out), len(out.pages)))
    return results


class _CaptionFonts:
    """The bold (/GIB) and regular (/GIR) fonts of the captions: DejaVu Sans subsets, Helvetica without them."""

    def __init__(self) -> None:
        self.bold = pdffont.subset(True, "")  # labels are ours: ASCII
        self.regular = pdffont.subset(False, _LATIN)
        self.embedded = self.bold is not None and self.regular is not None

    def show(self, text: str, bold: bool) -> bytes:
        if not self.embedded:
            return pdf_string(text) + b" Tj"
        return (self.bold if bold else self.regular).show(text)

    def width(self, text: str, bold: bool) -> float:
        if not self.embedded:
            return len(text) * 0.5 * _SIZE  # Helvetica averages about half an em
        return (self.bold if bold else self.regular).width(text, _SIZE)

    def first_baseline(self) -> float:
        """How far below the caption's top its first baseline lies (the line's half-leading, then the ascent)."""
        ascent, descent = (self.regular.ascent, self.regular.descent) if self.embedded else (718.0, -207.0)
        return (_LINE - (ascent - descent) * _SIZE / 1000) / 2 + ascent * _SIZE / 1000

    def dictionary(self, pdf: pikepdf.Pdf) -> pikepdf.Object:
        """Both fonts, added once to the PDF and shared by its scan pages."""
        if self.embedded:
            bold, regular = _font(pdf, self.bold), _font(pdf, self.regular)
        else:
            bold, regular = (
                pdf.make_indirect(
                    Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(base), Encoding=Name.WinAnsiEncoding)
                )
                for base in ("/Helvetica-Bold", "/Helvetica")
            )
        return pdf.make_indirect(Dictionary(GIB=bold, GIR=regular))


@functools.lru_cache(maxsize=1)
def _fonts_pdf() -> bytes:
    """A PDF holding the captions' font dictionary (/GIFonts in its catalogue): made once, copied into each part.

    The subsets are the same on every call (`pdffont` makes a subset of the same characters the same way).
    """
    with pikepdf.new() as pdf:
        pdf.Root.GIFonts = _CaptionFonts().dictionary(pdf)
        return pdf_bytes(pdf)


def _font(pdf: pikepdf.Pdf, subset: pdffont.Subset) -> pikepdf.Object:
    font = pdffont.font_object(pdf, subset)
    # The font file compressed (as WeasyPrint's are): each section carries its own copy.
    font.DescendantFonts[0].FontDescriptor.FontFile2.write(zlib.compress(subset.data), filter=Name.FlateDecode)
    return font


def _caption_lines(scan: ScanPage, fonts: _CaptionFonts) -> list[list[tuple[str, bool]]]:
    """The caption's words, bold or not, in lines that fit the text's width (a word wider than it stays whole)."""
    words = [(word, True) for word in scan.label.split()] + [(word, False) for word in scan.details.split()]
    lines: list[list[tuple[str, bool]]] = [[]]
    used = 0.0
    for word, bold in words:
        width = fonts.width(word if not lines[-1] else " " + word, bold)
        if lines[-1] and used + width > _WIDTH:
            lines.append([])
            used, width = 0.0, fonts.width(word, bold)
        lines[-1].append((word, bold))
        used += width
    return lines


def _add_scan_page(pdf: pikepdf.Pdf, scan: ScanPage, fonts: _CaptionFonts, font_dictionary: pikepdf.Object) -> None:
    lines = _caption_lines(scan, fonts)
    ops = [b"q", _COLOUR, b"BT"]
    for number, line in enumerate(lines):
        baseline = _TOP - fonts.first_baseline() - number * _LINE
        ops.append(f"1 0 0 1 {_LEFT:.4f} {baseline:.4f} Tm".encode())
        # Runs of one weight, each word after the first with the space before it.
        runs: list[tuple[str, bool]] = []
        for index, (word, bold) in enumerate(line):
            text = word if index == 0 else " " + word
            if runs and runs[-1][1] == bold:
                runs[-1] = (runs[-1][0] + text, bold)
            else:
                runs.append((text, bold))
        for text, bold in runs:
            ops += [f"/{'GIB' if bold else 'GIR'} {_SIZE} Tf".encode(), fonts.show(text, bold)]
    ops += [b"ET", b"Q"]
    # At its own size (1 px per CSS px), shrunk to the text's width and 240 mm, and to the room under the caption.
    top = _TOP - len(lines) * _LINE - _GAP
    natural_width, natural_height = scan.width * _PX, scan.height * _PX
    scale = min(1.0, _WIDTH / natural_width, _MAX_HEIGHT / natural_height, max(top - 20 * _MM, 1) / natural_height)
    width, height = natural_width * scale, natural_height * scale
    x = _LEFT + (_WIDTH - width) / 2
    ops.append(f"q {width:.4f} 0 0 {height:.4f} {x:.4f} {top - height:.4f} cm /GIScan Do Q".encode())

    image = pikepdf.Stream(pdf, scan.jpeg)
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
    image.Width, image.Height, image.BitsPerComponent = scan.width, scan.height, 8
    image.ColorSpace = Name.DeviceGray if scan.grey else Name.DeviceRGB
    image.Interpolate = True
    page = pdf.add_blank_page(page_size=_PAGE)
    page.obj.Contents = pdf.make_stream(b"\n".join(ops))
    page.obj.Resources = Dictionary(Font=font_dictionary, XObject=Dictionary(GIScan=image))
