"""How a part is made: `PartBuilder` (the one writer of the format), `to_part` (a PDF's pages, parsed by pikepdf),
`fragment` (objects serialised once, copied into many parts). The package's docstring tells why parts exist.
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

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
PLAIN, STREAM, FOOTER = 0, 1, 2  # the kinds of a part's objects
LENGTH = struct.Struct(">I")  # the header's length, after MAGIC


class NotAPart(ValueError):
    """Bytes that `to_part` did not write."""


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
        return self._append(PLAIN, text)

    def add_stream(self, entries: bytes, data: bytes) -> int:
        """A stream of these bytes as they are stored; `entries` are its dictionary's, but for /Length."""
        return self._append(STREAM, b"<<" + entries + b"/Length %d>>" % len(data), data)

    def add_footer_slot(self) -> int:
        """An empty stream that `write` fills with a page's footer."""
        return self._append(FOOTER, b"")

    def add_fragment(self, objects: Fragment) -> int:
        """The fragment's objects, their references numbered in this part; returns the index of its first."""
        base = len(self.objects)

        def renumbered(marker: bytes) -> bytes:
            return PARENT_REF if marker == PARENT else ref(base + int(marker))

        for kind, text, data in objects.objects:
            self._append(kind, filled(text, renumbered) if base and MARK in text else text, data)
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
            [MAGIC, LENGTH.pack(len(head)), head, *(text for _k, text, _d in self.objects),
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


def filled(text: bytes | memoryview, refs: Callable[[bytes], bytes]) -> bytes:
    pieces = bytes(text).split(MARK)
    pieces[1::2] = [refs(marker) for marker in pieces[1::2]]
    return b"".join(pieces)


