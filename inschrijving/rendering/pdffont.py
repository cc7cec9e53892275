"""Text in any Latin, Greek, Cyrillic or Arabic script on pages written as plain PDF, with an embedded font.

The packet's cover and table of contents are written as PDF operators directly (WeasyPrint needs
seconds for a 100-row table). The standard Helvetica of PDF readers only knows Western European
letters, so a name like "Şahin" printed as "?ahin". This embeds a subset of DejaVu Sans (the font
the rest of the packet uses, from Debian's fonts-dejavu-core) as a Type 0 font with Identity-H
encoding: every glyph is written as its number, with a ToUnicode map so that text can still be
searched and copied.

Right-to-left text needs two more steps before its glyphs can be written: the Unicode
bidirectional algorithm (python-bidi) puts the runs of a line in display order, and HarfBuzz
(uharfbuzz) shapes each right-to-left run: joined letter forms, ligatures such as lam-alef, and
the glyphs in display order. Left-to-right runs are written glyph by glyph from the font's
character map. Vertical mark offsets (vowel signs, rarely written in names) are not applied.

Every subset holds printable ASCII plus the characters asked for, with the font's shaping tables
for them, and is cached per character set: a packet's next download (a new time on the cover, the
same names) finds its subsets made, and a new one costs about 0.05 s.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import uharfbuzz
from bidi import algorithm as bidi_algorithm
from pikepdf import Array, Dictionary, Name

from inschrijving.rendering.pdfparts import making as parts

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


@dataclass(frozen=True)
class Glyph:
    """One glyph to write: its number in the subset, its advance (1/1000 em) and the text it stands for."""

    gid: int
    advance: float
    text: str


def visual_runs(text: str) -> list[tuple[str, bool]]:
    """The line's runs in display order, each (text in logical order, right to left?), on a left-to-right line."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in text):
        return [(text, False)] if text else []
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 0, "L"
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    runs: list[list] = []  # [level, text]
    for char in storage["chars"]:
        if runs and runs[-1][0] == char["level"]:
            runs[-1][1] += char["ch"]
        else:
            runs.append([char["level"], char["ch"]])
    # Rule L2: from the highest level down to the lowest odd one, reverse each sequence of runs at or above it.
    highest = max(level for level, _text in runs)
    for level in range(highest, 0, -1):
        start = None
        for index in range(len(runs) + 1):
            inside = index < len(runs) and runs[index][0] >= level
            if inside and start is None:
                start = index
            elif not inside and start is not None:
                runs[start:index] = runs[start:index][::-1]
                start = None
    return [(run_text, level % 2 == 1) for level, run_text in runs]


@dataclass(frozen=True, eq=False)
class Subset:
    """One font subset: what it holds, how to measure and write text in it, and the font file."""

    name: str
    cmap: dict[str, int]
    widths: dict[int, float]
    to_unicode: dict[int, str]
    data: bytes
    bbox: tuple[float, float, float, float]
    ascent: float
    descent: float
    cap_height: float

    @functools.cached_property
    def part_objects(self) -> parts.Fragment:
        """The font as `font_object` adds it, serialised once: every cover and contents after the first copies it."""
        with pikepdf.new() as pdf:
            return parts.fragment(font_object(pdf, self))

    @functools.cached_property
    def _right_to_left(self) -> frozenset[str]:
        return frozenset(c for c in self.cmap if unicodedata.bidirectional(c) in ("R", "AL", "AN"))

    def _left_to_right(self, text: str) -> bool:
        # Most names: no bidi and no shaping, so measuring them stays a dictionary lookup per letter.
        return self._right_to_left.isdisjoint(text)

    def glyphs(self, text: str) -> list[Glyph]:
        """The text's glyphs in display order: right-to-left runs shaped, the rest glyph by glyph."""
        fallback = self.cmap.get(REPLACEMENT, 0)
        if self._left_to_right(text):
            gids = [self.cmap.get(char, fallback) for char in text]
            return [Glyph(gid, self.widths.get(gid, 0.0), char) for gid, char in zip(gids, text, strict=True)]
        glyphs = []
        for run, right_to_left in visual_runs(text):
            if right_to_left:
                glyphs += _shape(self.data, run)
            else:
                for char in run:
                    gid = self.cmap.get(char, fallback)
                    glyphs.append(Glyph(gid, self.widths.get(gid, 0.0), char))
        return glyphs

    def show(self, text: str) -> bytes:
        """The operand and operator that write this text: a TJ array of two-byte glyph numbers."""
        if self._left_to_right(text):
            fallback = self.cmap.get(REPLACEMENT, 0)
            return f"[<{''.join(f'{self.cmap.get(char, fallback):04X}' for char in text)}>] TJ".encode()
        parts, pending = [], []
        for glyph in self.glyphs(text):
            pending.append(f"{glyph.gid:04X}")
            # TJ moves by the font's own width; a shaped glyph's advance may differ (a joined form).
            adjust = round(self.widths.get(glyph.gid, 0.0) - glyph.advance, 1)
            if adjust:
                parts.append(f"<{''.join(pending)}> {adjust:g}")
                pending = []
        if pending:
            parts.append(f"<{''.join(pending)}>")
        return f"[{' '.join(parts)}] TJ".encode()

    def width(self, text: str, size: float) -> float:
        """The text's advance width in points at this size."""
        if self._left_to_right(text):
            fallback, widths, cmap = self.cmap.get(REPLACEMENT, 0), self.widths, self.cmap
            return sum(widths.get(cmap.get(char, fallback), 0.0) for char in text) * size / 1000
        return sum(glyph.advance for glyph in self.glyphs(text)) * size / 1000


def _shape(font_data: bytes, text: str) -> list[Glyph]:
    font, scale = _harfbuzz_font(font_data)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl"
    uharfbuzz.shape(font, buffer, {"kern": False})
    clusters = sorted({info.cluster for info in buffer.glyph_infos} | {len(text)})
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        end = clusters[clusters.index(info.cluster) + 1]
        glyphs.append(Glyph(info.codepoint, position.x_advance * scale, text[info.cluster : end]))
    return glyphs


@functools.lru_cache(maxsize=8)
def _harfbuzz_font(font_data: bytes) -> tuple[uharfbuzz.Font, float]:
    face = uharfbuzz.Face(font_data)
    return uharfbuzz.Font(face), 1000 / face.upem


# Joins on both sides without being a letter: written around a letter, it brings out the letter's joined forms.
TATWEEL = "\u0640"
LAM_ALEF = ("\u0644\u0627", "\u0644\u0623", "\u0644\u0625", "\u0644\u0622")


def _joins(char: str) -> bool:
    return unicodedata.bidirectional(char) == "AL"


def _shaping_samples(characters: set[str]) -> list[str]:
    """Every form a right-to-left letter of these takes: alone, first, middle and last in a word, and lam-alef."""
    samples = []
    for char in sorted(c for c in characters if unicodedata.bidirectional(c) in ("R", "AL") and c != TATWEEL):
        samples += [char, char + TATWEEL, TATWEEL + char + TATWEEL, TATWEEL + char]
    if "\u0644" in characters:
        samples += [pair for pair in LAM_ALEF if pair[1] in characters]
        samples += [TATWEEL + pair for pair in LAM_ALEF if pair[1] in characters]
    return samples


def subset(bold: bool, characters: Iterable[str] | str) -> Subset | None:
    """A subset of DejaVu Sans (bold or regular) holding these characters, or None without the font."""
    return _cached_subset(bold, BASE_CHARACTERS | frozenset("".join(characters)))


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
    # The shaping tables stay (HarfBuzz shapes right-to-left runs with the subset itself); FontForge's
    # timestamps go.
    options.drop_tables += ["FFTM"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    # Lazy: only the tables a subset needs are parsed (three times faster).
    with TTFont(path, lazy=True) as font:
        available = font.getBestCmap()
        wanted = {c for c in characters if ord(c) in available} | {REPLACEMENT}
        if any(_joins(c) for c in wanted):
            wanted.add(TATWEEL)
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in wanted])
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        best = font.getBestCmap()
        scale = 1000 / font["head"].unitsPerEm
        cmap = {c: font.getGlyphID(best[ord(c)]) for c in wanted if ord(c) in best}
        glyph_order = font.getGlyphOrder()
        widths = {gid: font["hmtx"][name][0] * scale for gid, name in enumerate(glyph_order)}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        data = out.getvalue()
    to_unicode = {gid: char for char, gid in cmap.items() if char != TATWEEL}
    # Shaped forms (joined letters, ligatures) have no character of their own: map each to what it stands for.
    for text in _shaping_samples(wanted):
        for glyph in _shape(data, text):
            if glyph.text != TATWEEL:
                to_unicode.setdefault(glyph.gid, glyph.text.replace(TATWEEL, ""))
    # A subset's name starts with six capitals that differ per subset (PDF 32000-1, 9.6.4).
    tag = "".join(chr(65 + (b % 26)) for b in hashlib.sha256(data).digest()[:6])
    return Subset(
        name=f"{tag}+{path.stem}",
        cmap=cmap,
        widths=widths,
        to_unicode=to_unicode,
        data=data,
        bbox=(head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale),
        ascent=hhea.ascent * scale,
        descent=hhea.descent * scale,
        cap_height=getattr(os2, "sCapHeight", hhea.ascent) * scale,
    )


def font_object(pdf: pikepdf.Pdf, font: Subset) -> Dictionary:
    """Add the Type 0 font (with its descendant, descriptor, file and ToUnicode map) to a PDF; return the font."""
    file_stream = pdf.make_stream(font.data)
    file_stream.Length1 = len(font.data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + font.name),
        Flags=32,
        FontBBox=Array([round(v, 1) for v in font.bbox]),
        ItalicAngle=0,
        Ascent=round(font.ascent, 1),
        Descent=round(font.descent, 1),
        CapHeight=round(font.cap_height, 1),
        StemV=80,
        FontFile2=file_stream,
    )
    # The subset's glyphs are numbered 0..n-1: one run of widths from glyph 0 (PDF 32000-1, 9.7.4.3).
    widths = Array([0, Array([round(font.widths.get(gid, 0.0), 1) for gid in range(max(font.widths) + 1)])])
    descendant = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/" + font.name),
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=widths,
        CIDToGIDMap=Name.Identity,
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/" + font.name),
            Encoding=Name("/Identity-H"),
            DescendantFonts=Array([pdf.make_indirect(descendant)]),
            ToUnicode=pdf.make_stream(_to_unicode_cmap(font.to_unicode)),
        )
    )


def _to_unicode_cmap(to_unicode: dict[int, str]) -> bytes:
    pairs = sorted(to_unicode.items())
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
        lines += [f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for gid, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
