"""Text in any Latin, Greek or Cyrillic script on pages written as plain PDF, with an embedded font.

The packet's cover and table of contents are written as PDF operators directly (WeasyPrint needs
seconds for a 100-row table). The standard Helvetica of PDF readers only knows Western European
letters, so a name like "Şahin" printed as "?ahin". This embeds a subset of DejaVu Sans (the font
the rest of the packet uses, from Debian's fonts-dejavu-core) as a Type 0 font with Identity-H
encoding: every character is written as its glyph number, with a ToUnicode map so that text can
still be searched and copied. Every subset holds printable ASCII plus the characters asked for,
and is cached per character set: a packet's next download (a new time on the cover, the same
names) finds its subsets made, and a new one costs about 0.05 s.

Scripts that need shaping or run right to left (Arabic, Hebrew) cannot be written glyph by glyph;
their letters print as "?" here (the dossier's own section, rendered by WeasyPrint, shows them).
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

logger = logging.getLogger(__name__)

FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
REPLACEMENT = "?"
# In every subset, so that digits and times do not make a new one on every download.
BASE_CHARACTERS = frozenset(map(chr, range(32, 127))) | frozenset("…·–’€")


def font_path(bold: bool) -> Path | None:
    for directory in FONT_DIRECTORIES:
        candidate = directory / FONT_FILES[bold]
        if candidate.is_file():
            return candidate
    return None


def _printable(char: str) -> bool:
    # Right-to-left letters would come out unjoined and in the wrong order.
    return unicodedata.bidirectional(char) not in ("R", "AL", "AN")


@dataclass(frozen=True)
class Subset:
    """One font subset: glyph numbers and widths (1/1000 em) per character, and the font file."""

    name: str
    glyphs: dict[str, int]
    widths: dict[int, float]
    data: bytes
    bbox: tuple[float, float, float, float]
    ascent: float
    descent: float
    cap_height: float

    def encode(self, text: str) -> bytes:
        """The text as a PDF hex string of two-byte glyph numbers."""
        glyphs = self.glyphs
        fallback = glyphs.get(REPLACEMENT, 0)
        return b"<" + "".join(f"{glyphs.get(c, fallback):04X}" for c in text).encode() + b">"

    def width(self, text: str, size: float) -> float:
        """The text's advance width in points at this size."""
        glyphs = self.glyphs
        fallback = glyphs.get(REPLACEMENT, 0)
        return sum(self.widths.get(glyphs.get(c, fallback), 0.0) for c in text) * size / 1000


def subset(bold: bool, characters: frozenset[str] | set[str] | str) -> Subset | None:
    """A subset of DejaVu Sans (bold or regular) holding these characters, or None without the font."""
    return _cached_subset(bold, BASE_CHARACTERS | frozenset(characters))


def clear_cache() -> None:
    _cached_subset.cache_clear()


@functools.lru_cache(maxsize=64)
def _cached_subset(bold: bool, characters: frozenset[str]) -> Subset | None:
    path = font_path(bold)
    if path is None:
        logger.warning("DejaVu Sans not found (install fonts-dejavu-core): packet contents fall back to Helvetica")
        return None
    # fontTools comes with WeasyPrint; imported here so that only packet builds pay for it.
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = []
    # No shaping tables (the text is written glyph by glyph), nor FontForge's timestamps.
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    # Lazy: only the tables a subset needs are parsed (three times faster).
    with TTFont(path, lazy=True) as font:
        available = font.getBestCmap()
        wanted = {c for c in characters if ord(c) in available and _printable(c)} | {REPLACEMENT}
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in wanted])
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        cmap = font.getBestCmap()
        scale = 1000 / font["head"].unitsPerEm
        glyphs = {c: font.getGlyphID(cmap[ord(c)]) for c in wanted if ord(c) in cmap}
        widths = {gid: font["hmtx"][font.getGlyphName(gid)][0] * scale for gid in set(glyphs.values()) | {0}}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        data = out.getvalue()
        # A subset's name starts with six capitals that differ per subset (PDF 32000-1, 9.6.4).
        tag = "".join(chr(65 + (b % 26)) for b in hashlib.sha256(data).digest()[:6])
        return Subset(
            name=f"{tag}+{path.stem}",
            glyphs=glyphs,
            widths=widths,
            data=data,
            bbox=(head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale),
            ascent=hhea.ascent * scale,
            descent=hhea.descent * scale,
            cap_height=getattr(os2, "sCapHeight", hhea.ascent) * scale,
        )


def font_object(writer: PdfWriter, font: Subset) -> DictionaryObject:
    """Add the Type 0 font (with its descendant, descriptor, file and ToUnicode map) to a writer."""
    file_stream = DecodedStreamObject()
    file_stream.set_data(font.data)
    file_stream[NameObject("/Length1")] = NumberObject(len(font.data))
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/" + font.name),
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject(FloatObject(round(v, 1)) for v in font.bbox),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): FloatObject(round(font.ascent, 1)),
            NameObject("/Descent"): FloatObject(round(font.descent, 1)),
            NameObject("/CapHeight"): FloatObject(round(font.cap_height, 1)),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(file_stream),
        }
    )
    widths = ArrayObject()
    for gid in sorted(font.widths):
        widths += [NumberObject(gid), ArrayObject([FloatObject(round(font.widths[gid], 1))])]
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/" + font.name),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
            NameObject("/W"): widths,
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        }
    )
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(_to_unicode_cmap(font.glyphs))
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/" + font.name),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
            NameObject("/ToUnicode"): writer._add_object(to_unicode),
        }
    )


def _to_unicode_cmap(glyphs: dict[str, int]) -> bytes:
    pairs = sorted({gid: char for char, gid in glyphs.items()}.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    # At most 100 entries per block (PDF 32000-1, 9.10.3).
    for start in range(0, len(pairs), 100):
        block = pairs[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
