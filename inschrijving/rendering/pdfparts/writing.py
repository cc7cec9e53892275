"""How parts become one PDF: `write` numbers their objects, fills in the markers, writes the footers, page tree,
bookmarks, title and cross-reference table, and yields the file one part at a time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from inschrijving.rendering.pdfmerge import pdf_string
from inschrijving.rendering.pdfparts.making import FOOTER, LENGTH, MAGIC, PARENT, PLAIN, NotAPart, filled

_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


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


@dataclass(frozen=True)
class _Part:
    objects: list[tuple[int, memoryview, memoryview]]  # kind, text, stream data
    pages: list[tuple[int, int, list[float]]]  # page index, footer slot index, mediabox x0 y0 x1


def _read(part: bytes | memoryview) -> _Part:
    view = memoryview(part)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise NotAPart("not a prepared part")
    start = len(MAGIC) + LENGTH.size
    (head_length,) = LENGTH.unpack(view[len(MAGIC) : start])
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
            if kind == PLAIN:
                pieces.append(b"%d 0 obj\n" % (base + index) + filled(text, refs) + b"\nendobj\n")
            else:
                if kind == FOOTER:
                    data = footers[index]
                    head = b"%d 0 obj\n<</Length %d>>\nstream\n" % (base + index, len(data))
                else:
                    head = b"%d 0 obj\n" % (base + index) + filled(text, refs) + b"\nstream\n"
                pieces += [head, data, b"\nendstream\nendobj\n"]
            position += len(pieces[-1]) if kind == PLAIN else len(head) + len(data) + 18
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
