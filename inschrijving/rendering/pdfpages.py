"""Plain pages written as PDF operators directly: a page of lines (a cover) and a table over pages (contents).

WeasyPrint needs seconds to lay out a table of 100 rows across pages; these need milliseconds.
Text is written in embedded DejaVu Sans subsets (`pdffont`), right-to-left names shaped.

Each comes as a PDF (`text_page`, `table_pages`), a pikepdf document (`text_document`, `table_document`)
or, for a packet, straight as a prepared part (`text_part`, `table_part`): the same pages written into a
`pdfparts.making.PartBuilder` without pikepdf, each font's objects serialised once per subset. A packet's
download writes its cover and contents afresh: through pikepdf and `to_part` that cost some
5 ms of CPU more than laying out their text (every object, fonts included, made and serialised again
through pikepdf); written directly, a few tenths of a millisecond more (bench/cover_parts.py).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pikepdf
from pikepdf import Dictionary, Name

from inschrijving.rendering import pdffont
from inschrijving.rendering.pdfmerge import pdf_bytes, pdf_string
from inschrijving.rendering.pdfparts import making as parts

# A4 in points, and the table of contents' layout on it.
_A4 = (595.28, 841.89)
_MEDIABOX = (0.0, 0.0, *_A4)
ROWS_PER_PAGE = 40
_ROW_HEIGHT = 16.5
_TOP = 748.0


def _helvetica(bold: bool = False) -> Dictionary:
    return Dictionary(
        Type=Name.Font,
        Subtype=Name.Type1,
        BaseFont=Name("/Helvetica-Bold" if bold else "/Helvetica"),
        Encoding=Name.WinAnsiEncoding,
    )


@functools.cache
def _helvetica_objects(bold: bool) -> parts.Fragment:
    with pikepdf.new() as pdf:
        return parts.fragment(pdf.make_indirect(_helvetica(bold)))


class _PageFonts:
    """The regular (/TocR) and bold (/TocB) font of a plain page, and how to write and measure text in them.

    Embedded DejaVu Sans subsets holding exactly the characters used (`rendering.pdffont`), so names
    in every Latin, Greek, Cyrillic or Arabic script print as written; without the font, Helvetica (WinAnsi).
    """

    ELLIPSIS = "…"

    def __init__(self, regular_texts: Sequence[str], bold_texts: Sequence[str]):
        self.regular = pdffont.subset(False, frozenset("".join(regular_texts) + self.ELLIPSIS))
        self.bold = pdffont.subset(True, frozenset("".join(bold_texts) + self.ELLIPSIS))
        self.embedded = self.regular is not None and self.bold is not None

    def show(self, text: str, bold: bool) -> bytes:
        """The text with its text-showing operator (Tj, or TJ for an embedded font's glyph numbers)."""
        if not self.embedded:
            return pdf_string(text) + b" Tj"
        return (self.bold if bold else self.regular).show(text)

    def width(self, text: str, size: float, bold: bool) -> float:
        if not self.embedded:
            # Helvetica averages about half an em per character, digits 0.556 em.
            return sum(0.556 if c.isdigit() else 0.5 for c in text) * size
        return (self.bold if bold else self.regular).width(text, size)

    def clip(self, text: str, room: float, size: float, bold: bool) -> str:
        """The text, cut short with an ellipsis where it would not fit in `room` points."""
        if self.width(text, size, bold) <= room:
            return text
        while text and self.width(text + self.ELLIPSIS, size, bold) > room:
            text = text[:-1]
        return text.rstrip() + self.ELLIPSIS

    def wrap(self, text: str, room: float, size: float, bold: bool) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and self.width(candidate, size, bold) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        return [*lines, line]

    def resources(self, pdf: pikepdf.Pdf) -> pikepdf.Object:
        """A /Resources dictionary naming both fonts, added once to the PDF and shared by its pages."""
        if self.embedded:
            regular, bold = pdffont.font_object(pdf, self.regular), pdffont.font_object(pdf, self.bold)
        else:
            regular, bold = pdf.make_indirect(_helvetica()), pdf.make_indirect(_helvetica(True))
        return pdf.make_indirect(Dictionary(Font=Dictionary(TocR=regular, TocB=bold)))

    def part_fonts(self, builder: parts.PartBuilder) -> bytes:
        """Both fonts added to a part; returns the page's /Font entries naming them."""
        if self.embedded:
            regular, bold = self.regular.part_objects, self.bold.part_objects
        else:
            regular, bold = _helvetica_objects(False), _helvetica_objects(True)
        return b"/TocR " + parts.ref(builder.add_fragment(regular)) + b" /TocB " + parts.ref(
            builder.add_fragment(bold)
        )


def table_pages(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], columns: Sequence[float]) -> bytes:
    """Pages with a title and a plain table (last column right-aligned), written as PDF text directly."""
    return pdf_bytes(table_document(title, headers, rows, columns))


def table_document(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], columns: Sequence[float]
) -> pikepdf.Pdf:
    """`table_pages` as a pikepdf document, not yet written out."""
    return _document(*_table(title, headers, rows, columns))


def table_part(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], columns: Sequence[float]) -> bytes:
    """`table_pages` as a prepared part (`pdfparts`), written without pikepdf: the packet's table of contents.

    Its rows cost milliseconds (plus, for names never seen before in this process, a font subset:
    about 0.1 s per font).
    """
    return _part(*_table(title, headers, rows, columns))


def _table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], columns: Sequence[float]
) -> tuple[_PageFonts, list[bytes]]:
    """The table's fonts and the content stream of each of its pages."""
    size = 9.5
    fonts = _PageFonts([value for row in rows for value in row], [title, *headers])
    page_count = max(1, -(-len(rows) // ROWS_PER_PAGE))
    right = _A4[0] - 46
    rooms = [b - a - 6 for a, b in zip(columns, [*columns[1:], right], strict=True)]

    def cells(values: Sequence[str], y: float, bold: bool) -> bytes:
        ops = b""
        font = "TocB" if bold else "TocR"
        last = len(values) - 1
        for i, (value, x) in enumerate(zip(values, columns, strict=True)):
            value = fonts.clip(value, rooms[i], size, bold)
            if i == last:
                x = right - fonts.width(value, size, bold)
            ops += f"BT /{font} {size} Tf 1 0 0 1 {x:.1f} {y:.1f} Tm ".encode() + fonts.show(value, bold) + b" ET "
        return ops

    contents = []
    for index in range(page_count):
        y = _TOP
        ops = b"0 g "
        if index == 0:
            ops += f"BT /TocB 13 Tf 1 0 0 1 46 {y + 22:.1f} Tm ".encode() + fonts.show(title, True) + b" ET "
        ops += b"0.93 g 46 %.1f %.1f %.1f re f 0 g " % (y - 5, _A4[0] - 92, _ROW_HEIGHT)
        ops += cells(headers, y, True)
        for row in rows[index * ROWS_PER_PAGE : (index + 1) * ROWS_PER_PAGE]:
            y -= _ROW_HEIGHT
            ops += cells(row, y, False)
            ops += b"0.8 G 0.5 w 46 %.1f m %.1f %.1f l S " % (y - 5, right, y - 5)
        contents.append(ops)
    return fonts, contents


def text_page(lines: Sequence[tuple[float, bool, str]], *, top: float = 620.0) -> bytes:
    """One A4 page of left-aligned lines, each (size, bold, text), long lines wrapped."""
    return pdf_bytes(text_document(lines, top=top))


def text_document(lines: Sequence[tuple[float, bool, str]], *, top: float = 620.0) -> pikepdf.Pdf:
    """`text_page` as a pikepdf document, not yet written out."""
    return _document(*_text(lines, top))


def text_part(lines: Sequence[tuple[float, bool, str]], *, top: float = 620.0) -> bytes:
    """`text_page` as a prepared part (`pdfparts`), written without pikepdf: the packet's cover.

    A WeasyPrint render would cost a third of a second on every rebuild.
    """
    return _part(*_text(lines, top))


def _text(lines: Sequence[tuple[float, bool, str]], top: float) -> tuple[_PageFonts, list[bytes]]:
    """The page's fonts and its content stream."""
    fonts = _PageFonts([t for _s, bold, t in lines if not bold], [t for _s, bold, t in lines if bold])
    ops = b"0 g "
    y = top
    for size, bold, text in lines:
        if not text:
            y -= size
            continue
        for part in fonts.wrap(text, _A4[0] - 92, size, bold):
            # Step down by the line's own height first, so a large line never overlaps the one above.
            y -= size * 1.4
            font = "TocB" if bold else "TocR"
            ops += f"BT /{font} {size:.1f} Tf 1 0 0 1 46 {y:.1f} Tm ".encode() + fonts.show(part, bold) + b" ET "
    return fonts, [ops]


def _document(fonts: _PageFonts, contents: Sequence[bytes]) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    resources = fonts.resources(pdf)
    for content in contents:
        page = pdf.add_blank_page(page_size=_A4)
        page.obj.Contents = pdf.make_stream(content)
        page.obj.Resources = resources
    return pdf


def _part(fonts: _PageFonts, contents: Sequence[bytes]) -> bytes:
    builder = parts.PartBuilder()
    font_entries = fonts.part_fonts(builder)
    for content in contents:
        builder.add_page([builder.add_stream(b"", content)], font_entries, _MEDIABOX)
    return builder.finish()
