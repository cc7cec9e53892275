"""Packets written from prepared parts: a PDF's pages kept as serialised objects, joined without parsing again.

Why not qpdf for the join: qpdf (pikepdf) reads every object of every part and writes every byte again
through its pipelines. For a packet of 100 dossiers with two office scans each (65 MB) that is about
0.3 s of CPU per download, more than rendering the one section that changed; at 300 dossiers over a
second (docs/performance.md, "Packets written from parts"). A PDF file is a sequence of numbered
objects with a table of their offsets, so a part whose objects are serialised once, with their
references left open, can be written into any packet by numbering its objects and copying its bytes.

`to_part` does the preparing, once, when a section is cached: pikepdf (qpdf) parses the PDF, every page
gets a slot for its footer (its content wrapped in q/Q first, so the page's own graphics state cannot
hide the footer) and the footer font, and every object reachable from the pages is serialised by
`_Serialiser` with each reference written as a marker, into a `PartBuilder`: the one writer of the
format. Pages written as PDF operators directly (a packet's cover and contents, `pdfpages.text_part`)
go into a `PartBuilder` without pikepdf, their fonts serialised once per subset (a `Fragment`).
`write` numbers the parts' objects, fills in the markers, writes the footers, page tree, bookmarks,
title and cross-reference table, and yields the file one part at a time, so a download never holds
the whole packet.

Knows no domain: the caller words the footers (already translated) and the bookmark titles.
"""

from __future__ import annotations

import io
import json
import os
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

from inschrijving.rendering.pdfmerge import pdf_string

MAGIC = b"GIPART1\n"
FOOTER_FONT = Name("/GIFooter")
# A reference inside a part's serialised objects: MARK + the object's index in the part + MARK.
# A serialised object never holds the byte otherwise: strings are written in hex, names escaped.
MARK = b"\x00"
PARENT = b"P"  # the marker of a page's /Parent, the packet's page tree
PARENT_REF = MARK + PARENT + MARK
# What every part adds for its footers: the footer's font, and the q that opens each page's content (the
# footer's Q closes it, so the page's own graphics state cannot hide the footer).
_FOOTER_FONT_OBJECT = b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"
_SAVE_STATE = b"q "
_PLAIN, _STREAM, _FOOTER = 0, 1, 2
_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
_LENGTH = struct.Struct(">I")


class NotAPart(ValueError):
    """Bytes that `to_part` did not write."""


def text_string(text: str) -> bytes:
    """A PDF text string (document title, bookmark) in UTF-16 with its byte order mark, in hex."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


def footer_stream(left: str, right: str, mediabox: Sequence[float]) -> bytes:
    """The footer's page content: grey 8 pt Helvetica, left and right, above the bottom edge."""
    x0, y0, x1 = mediabox[:3]
    return (
        b"Q q BT /GIFooter 8 Tf 0.33 0.33 0.33 rg "
        + f"1 0 0 1 {x0 + 42:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(left)
        + b" Tj "
        + f"1 0 0 1 {x1 - 150:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(right)
        + b" Tj ET Q"
    )


def ref(index: int) -> bytes:
    """A reference to the part's object at this index, as the part's serialised objects hold it."""
    return MARK + b"%d" % index + MARK


def _number(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")


@dataclass(frozen=True)
class Fragment:
    """Serialised objects outside any part, referring to each other counted from the first (index 0).

    Written once and added to many parts (`PartBuilder.add_fragment`): a font subset on every cover.
    """

    objects: tuple[tuple[int, bytes, bytes], ...]  # kind, text, stream data


def fragment(obj: pikepdf.Object) -> Fragment:
    """An indirect object and every object it refers to, serialised, the object itself first."""
    builder = PartBuilder()
    _Serialiser([obj]).write(builder)
    return Fragment(tuple(builder.objects))


class PartBuilder:
    """A part written object by object: the one writer of the part format (`_read` reads it).

    An object is given serialised (PDF syntax) with every reference to another object of the part written
    as `ref(its index)`. `add_page` gives a page what `write` needs: its content opened with q, an empty
    footer slot after it, the footer font in its resources and `PARENT_REF` as its /Parent.
    `to_part` fills one from a parsed PDF; a packet's cover and contents are written into one directly.
    """

    def __init__(self) -> None:
        self.objects: list[tuple[int, bytes, bytes]] = []  # kind, serialised object or stream dictionary, data
        self.pages: list[list[float]] = []  # page index, footer slot index, mediabox x0 y0 x1
        self._footer_font: int | None = None
        self._save_state = 0

    def _append(self, kind: int, text: bytes, data: bytes = b"") -> int:
        self.objects.append((kind, text, data))
        return len(self.objects) - 1

    def add(self, text: bytes) -> int:
        """A serialised object other than a stream; returns its index."""
        return self._append(_PLAIN, text)

    def add_stream(self, entries: bytes, data: bytes) -> int:
        """A stream of these bytes as they are stored; `entries` are its dictionary's, but for /Length."""
        return self._append(_STREAM, b"<<" + entries + b"/Length %d>>" % len(data), data)

    def add_footer_slot(self) -> int:
        """An empty stream that `write` fills with a page's footer."""
        return self._append(_FOOTER, b"")

    def add_fragment(self, objects: Fragment) -> int:
        """The fragment's objects, their references numbered in this part; returns the index of its first."""
        base = len(self.objects)

        def renumbered(marker: bytes) -> bytes:
            return PARENT_REF if marker == PARENT else ref(base + int(marker))

        for kind, text, data in objects.objects:
            self._append(kind, _filled(text, renumbered) if base and MARK in text else text, data)
        return base

    def add_page(self, contents: Sequence[int], fonts: bytes, mediabox: Sequence[float]) -> int:
        """A page drawing these content streams with the fonts `fonts` names (its /Font entries: `/F1 ref`)."""
        if self._footer_font is None:
            self._footer_font = self.add(_FOOTER_FONT_OBJECT)
            self._save_state = self.add_stream(b"", _SAVE_STATE)
        slot = self.add_footer_slot()
        page = self.add(
            b"<</Type /Page /MediaBox [" + b" ".join(map(_number, mediabox)) + b"]"
            + b" /Resources <</Font <<" + fonts + b" " + FOOTER_FONT.unparse() + b" " + ref(self._footer_font)
            + b">>>> /Contents [" + b" ".join(map(ref, [self._save_state, *contents, slot]))
            + b"] /Parent " + PARENT_REF + b">>"
        )
        self.page(page, slot, mediabox)
        return page

    def page(self, page: int, slot: int, mediabox: Sequence[float]) -> None:
        """The object at `page` is the part's next page, its footer written into the slot at `slot`."""
        self.pages.append([page, slot, *(float(v) for v in mediabox[:3])])

    def finish(self) -> bytes:
        """The part: MAGIC, the header's length, the header (JSON), every object's text, every stream's data."""
        header = {"objects": [[kind, len(text), len(data)] for kind, text, data in self.objects], "pages": self.pages}
        head = json.dumps(header, separators=(",", ":")).encode()
        return b"".join(
            [MAGIC, _LENGTH.pack(len(head)), head, *(text for _k, text, _d in self.objects),
             *(data for _k, _t, data in self.objects)]
        )


class _Serialiser:
    """A pikepdf document's objects reachable from some of them, written as PDF syntax with open references."""

    def __init__(
        self,
        roots: Sequence[pikepdf.Object],
        *,
        pages: Sequence[pikepdf.Object] = (),
        footer_slots: set[tuple[int, int]] = frozenset(),
    ):
        self.index: dict[tuple[int, int], int] = {}
        self.order: list[pikepdf.Object] = []
        self.page_keys = {page.objgen for page in pages}
        self.footer_slots = footer_slots
        for root in roots:
            self.local(root)

    def local(self, obj: pikepdf.Object) -> int:
        key = obj.objgen
        if key not in self.index:
            self.index[key] = len(self.order)
            self.order.append(obj)
        return self.index[key]

    def write(self, builder: PartBuilder) -> None:
        """Every object into the (empty) builder, each at its index here."""
        assert not builder.objects
        done = 0
        while done < len(self.order):  # serialising an object may add the objects it refers to
            obj = self.order[done]
            done += 1
            if obj.objgen in self.footer_slots:
                builder.add_footer_slot()
            elif isinstance(obj, Stream):
                entries = bytearray()
                for key, value in obj.stream_dict.items():
                    if key != "/Length":
                        self._entry(key, value, entries)
                builder.add_stream(bytes(entries), obj.read_raw_bytes())
            else:
                text = bytearray()
                if obj.objgen in self.page_keys:
                    text += b"<<"
                    for key, value in obj.items():
                        if key != "/Parent":
                            self._entry(key, value, text)
                    text += b"/Parent " + PARENT_REF + b">>"
                else:
                    self._value(obj, text, top=True)
                builder.add(bytes(text))

    def _entry(self, key: str, value: object, out: bytearray) -> None:
        out += Name(key).unparse() + b" "
        self._value(value, out)
        out += b"\n"

    def _value(self, value: object, out: bytearray, *, top: bool = False) -> None:
        if isinstance(value, bool):
            out += b"true" if value else b"false"
        elif isinstance(value, int):
            out += b"%d" % value
        elif isinstance(value, Decimal):
            out += format(value.normalize(), "f").encode()
        elif value is None:
            out += b"null"
        elif not top and value.is_indirect:
            out += MARK + b"%d" % self.local(value) + MARK
        elif isinstance(value, Dictionary):
            out += b"<<"
            for key, item in value.items():
                self._entry(key, item, out)
            out += b">>"
        elif isinstance(value, Array):
            out += b"["
            for item in value:
                self._value(item, out)
                out += b" "
            out += b"]"
        elif isinstance(value, String):
            out += b"<" + bytes(value).hex().encode() + b">"
        else:  # a name, or a number pikepdf left as an object
            out += value.unparse()


def to_part(pdf: bytes | pikepdf.Pdf) -> bytes:
    """The PDF's pages as a part for `write`: serialised once, with a footer slot on every page.

    Takes the PDF's bytes, or a pikepdf document just made; the document is changed, then closed.
    """
    builder = PartBuilder()
    with pdf if isinstance(pdf, pikepdf.Pdf) else pikepdf.open(io.BytesIO(pdf)) as doc:
        # Only what the pages draw goes into a part: a resource no page uses may belong to someone else's pages.
        doc.remove_unreferenced_resources()
        font = doc.make_indirect(pikepdf.Object.parse(_FOOTER_FONT_OBJECT))
        save_state = doc.make_stream(_SAVE_STATE)
        slots, boxes = [], []
        for page in doc.pages:
            resources = page.obj.get(Name.Resources)
            if resources is None:
                resources = page.obj.Resources = Dictionary()
            fonts = resources.get(Name.Font)
            if fonts is None:
                fonts = resources.Font = Dictionary()
            fonts[FOOTER_FONT] = font
            page.contents_add(save_state, prepend=True)
            slot = doc.make_stream(b"")
            page.contents_add(slot)
            slots.append(slot)
            boxes.append([float(v) for v in page.mediabox])
        pages = [page.obj for page in doc.pages]
        serialiser = _Serialiser(pages, pages=pages, footer_slots={slot.objgen for slot in slots})
        serialiser.write(builder)
        for page, slot, box in zip(pages, slots, boxes, strict=True):
            builder.page(serialiser.index[page.objgen], serialiser.index[slot.objgen], box)
    return builder.finish()


@dataclass(frozen=True)
class _Part:
    objects: list[tuple[int, memoryview, memoryview]]  # kind, text, stream data
    pages: list[tuple[int, int, list[float]]]  # page index, footer slot index, mediabox x0 y0 x1


def _read(part: bytes | memoryview) -> _Part:
    view = memoryview(part)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise NotAPart("not a prepared part")
    start = len(MAGIC) + _LENGTH.size
    (head_length,) = _LENGTH.unpack(view[len(MAGIC) : start])
    header = json.loads(bytes(view[start : start + head_length]))
    text_at = start + head_length
    data_at = text_at + sum(text for _kind, text, _data in header["objects"])
    objects = []
    for kind, text, data in header["objects"]:
        objects.append((kind, view[text_at : text_at + text], view[data_at : data_at + data]))
        text_at += text
        data_at += data
    return _Part(objects, [(page, slot, box) for page, slot, *box in header["pages"]])


def page_count(part: bytes | memoryview) -> int:
    return len(_read(part).pages)


def _filled(text: bytes | memoryview, refs: Callable[[bytes], bytes]) -> bytes:
    pieces = bytes(text).split(MARK)
    pieces[1::2] = [refs(marker) for marker in pieces[1::2]]
    return b"".join(pieces)


def write(
    parts: Iterable[bytes],
    *,
    left_texts: Sequence[str],
    right_texts: Sequence[str],
    outline: Sequence[tuple[str, int]],
    title: str,
) -> Iterator[bytes]:
    """The parts' pages in one PDF with a footer on every page, bookmarks and a title, as it is written.

    `left_texts` and `right_texts` (e.g. the page number) hold one footer text per page of the result;
    `outline` holds (title, 0-based page). The reader opens it with the bookmarks shown.
    Yields the file piece by piece, one part at a time, and takes the next part only then: a packet
    of 200 MB is never held whole (the page tree, bookmarks and offset table come last, as PDF allows).
    """
    if len(left_texts) != len(right_texts):
        raise ValueError("one footer text per page expected")
    catalog, tree, info, outlines = 1, 2, 3, 4
    number = outlines + 1 + len(outline)  # the outline's items come right after its root
    tree_ref = b"%d 0 R" % tree
    offsets: dict[int, int] = {}
    page_numbers: list[int] = []
    position = len(_HEADER)
    yield _HEADER
    for raw in parts:
        part, base = _read(raw), number
        number += len(part.objects)
        if len(page_numbers) + len(part.pages) > len(left_texts):
            raise ValueError("one footer text per page expected")
        footers = {}
        for page, slot, box in part.pages:
            at = len(page_numbers)
            footers[slot] = footer_stream(left_texts[at], right_texts[at], box)
            page_numbers.append(base + page)

        def refs(marker: bytes, base: int = base) -> bytes:
            return tree_ref if marker == PARENT else b"%d 0 R" % (base + int(marker))

        pieces: list[bytes | memoryview] = []
        for index, (kind, text, data) in enumerate(part.objects):
            offsets[base + index] = position
            if kind == _PLAIN:
                pieces.append(b"%d 0 obj\n" % (base + index) + _filled(text, refs) + b"\nendobj\n")
            else:
                if kind == _FOOTER:
                    data = footers[index]
                    head = b"%d 0 obj\n<</Length %d>>\nstream\n" % (base + index, len(data))
                else:
                    head = b"%d 0 obj\n" % (base + index) + _filled(text, refs) + b"\nstream\n"
                pieces += [head, data, b"\nendstream\nendobj\n"]
            position += len(pieces[-1]) if kind == _PLAIN else len(head) + len(data) + 18
        del raw, part
        chunk = b"".join(pieces)  # one copy of the part, handed on and let go
        yield chunk
    if len(page_numbers) != len(left_texts):
        raise ValueError("one footer text per page expected")

    tail = _Tail(position, offsets)
    kids = b" ".join(b"%d 0 R" % page for page in page_numbers)
    tail.obj(tree, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(page_numbers), kids))
    _write_outline(tail, outlines, outline, page_numbers)
    if outline:
        tail.obj(catalog, b"<</Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines>>" % (
            tree, outlines))
    else:
        tail.obj(catalog, b"<</Type /Catalog /Pages %d 0 R>>" % tree)
    tail.obj(info, b"<</Title " + text_string(title) + b" /Producer (Groepsinschrijving)>>")
    yield tail.finish(catalog, info)


class _Tail:
    """The objects written after the parts (page tree, bookmarks, catalogue) and the offset table."""

    def __init__(self, position: int, offsets: dict[int, int]):
        self.position = position
        self.offsets = offsets
        self.buffer = bytearray()

    def obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.position
        written = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        self.buffer += written
        self.position += len(written)

    def finish(self, root: int, info: int) -> bytes:
        size = max(self.offsets) + 1
        table = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        table += [b"%010d 00000 n \n" % self.offsets[n] if n in self.offsets else b"0000000000 65535 f \n"
                  for n in range(1, size)]
        file_id = os.urandom(16).hex().encode()
        table.append(
            b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, root, info, file_id, file_id, self.position)
        )
        return bytes(self.buffer) + b"".join(table)


def _write_outline(writer: _Tail, root: int, outline: Sequence[tuple[str, int]], pages: Sequence[int]) -> None:
    if not outline:
        return
    first, last = root + 1, root + len(outline)
    writer.obj(root, b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (first, last, len(outline)))
    for number, (text, page) in enumerate(outline, start=first):
        links = b"".join(
            [
                b" /Prev %d 0 R" % (number - 1) if number > first else b"",
                b" /Next %d 0 R" % (number + 1) if number < last else b"",
            ]
        )
        writer.obj(
            number,
            b"<</Title " + text_string(text) + b" /Parent %d 0 R%s /Dest [%d 0 R /Fit]>>" % (root, links, pages[page]),
        )
