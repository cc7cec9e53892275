"""Fast merging of packet parts written by pypdf, without parsing them into Python objects.

pypdf needs about 10 ms to parse and clone one cached dossier section, so merging 100 sections
cost several times more than rendering the one section that changed. The parts of a packet are
all written by pypdf (`finish_part`): a plain cross-reference table, direct stream lengths, a flat
page tree and a footer placeholder stream at the end of every page's /Contents. That regular shape
lets the merge copy each object's bytes, renumber its "n 0 R" references with a regular
expression, write the footer text into each page's placeholder, and write a new page tree,
outline and cross-reference table. Identical reference-free streams (the same scan or colour
profile in two sections, the footer font set-up) are written once.

Anything that does not have that shape raises `UnexpectedPdf`; the caller then merges with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

FOOTER_MARK = b"%GIFOOTER"
FOOTER_FONT = "/GIFooter"
_REF = re.compile(rb"(\d+) 0 R\b")
_OBJ = re.compile(rb"(\d+) 0 obj\s*")
_LENGTH = re.compile(rb"/Length (\d+)\b")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_CONTENTS = re.compile(rb"/Contents \[([^\]]*)\]")
_MEDIABOX = re.compile(rb"/MediaBox \[\s*([-\d. ]+?)\s*\]")
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_INFO = re.compile(rb"/Info (\d+) 0 R")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")
_OUTLINES = re.compile(rb"/Outlines (\d+) 0 R")


class UnexpectedPdf(ValueError):
    """A part is not shaped as `finish_part` writes it."""


def finish_part(writer: PdfWriter) -> bytes:
    """Give every page a footer placeholder (and the footer font), then write the part."""
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    before = DecodedStreamObject()
    before.set_data(b"q ")
    before_ref = writer._add_object(before)
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts.get_object()[NameObject(FOOTER_FONT)] = font
        placeholder = DecodedStreamObject()
        placeholder.set_data(FOOTER_MARK)
        contents = page.get("/Contents")
        existing = [] if contents is None else list(contents) if isinstance(contents, ArrayObject) else [contents]
        # The page's own content is wrapped in q/Q so its graphics state cannot move or hide the footer.
        page[NameObject("/Contents")] = ArrayObject([before_ref, *existing, writer._add_object(placeholder)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_string(text: str) -> bytes:
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def footer_stream(left: str, right: str, mediabox: Sequence[float]) -> bytes:
    """The footer's page content: grey 8 pt Helvetica, left and right, above the bottom edge."""
    x0, y0, x1, _y1 = mediabox
    return (
        b"Q q BT /GIFooter 8 Tf 0.33 0.33 0.33 rg "
        + f"1 0 0 1 {x0 + 42:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(left)
        + b" Tj "
        + f"1 0 0 1 {x1 - 150:.1f} {y0 + 20:.1f} Tm ".encode()
        + pdf_string(right)
        + b" Tj ET Q"
    )


def fill_footers(writer: PdfWriter, left_texts: Sequence[str], right_texts: Sequence[str]) -> None:
    """Write the footers into the placeholders of a pypdf writer (the slow path).

    One left and one right text per page; the caller words them (and translates them: no Flask here).
    """
    pages = zip(writer.pages, left_texts, right_texts, strict=True)
    for page, left, right in pages:
        placeholder = page["/Contents"][-1].get_object()
        if placeholder.get_data() != FOOTER_MARK:
            raise UnexpectedPdf("page without footer placeholder")
        box = page.mediabox
        data = footer_stream(left, right, [float(v) for v in box])
        replacement = DecodedStreamObject()
        replacement.set_data(data)
        page["/Contents"][-1] = writer._add_object(replacement)


class _Part:
    """The objects of one part, as byte slices, with its pages in order."""

    def __init__(self, pdf: bytes):
        tail = pdf[-64:]
        found = re.search(rb"startxref\s+(\d+)\s+%%EOF", tail)
        if found is None:
            raise UnexpectedPdf("no startxref")
        xref_at = int(found.group(1))
        if pdf[xref_at : xref_at + 4] != b"xref":
            raise UnexpectedPdf("cross-reference stream, not a table")
        trailer_at = pdf.index(b"trailer", xref_at)
        lines = pdf[xref_at + 4 : trailer_at].split(b"\n")
        offsets: dict[int, int] = {}
        number = 0
        for line in lines:
            fields = line.split()
            if len(fields) == 2:
                number = int(fields[0])
            elif len(fields) == 3:
                if fields[2] == b"n":
                    offsets[number] = int(fields[0])
                number += 1
        trailer = pdf[trailer_at : trailer_at + 200]
        self.objects: dict[int, tuple[bytes, bytes | None]] = {}
        for num, offset in offsets.items():
            self.objects[num] = self._read(pdf, num, offset)
        root = int(_need(_ROOT, trailer))
        catalog = self.objects[root][0]
        self.pages_num = int(_need(_PAGES, catalog))
        outlines = _OUTLINES.search(catalog)
        info = _INFO.search(trailer)
        self.skip = {root} | {int(m.group(1)) for m in (outlines, info) if m}
        self.kids = [int(n) for n in _REF.findall(_need(_KIDS, self.objects[self.pages_num][0]))]

    @staticmethod
    def _read(pdf: bytes, num: int, offset: int) -> tuple[bytes, bytes | None]:
        head = _OBJ.match(pdf, offset)
        if head is None or int(head.group(1)) != num:
            raise UnexpectedPdf(f"object {num} not at its offset")
        start = head.end()
        end = pdf.index(b"endobj", start)
        stream_at = pdf.find(b"stream\n", start, end)
        if stream_at == -1:
            return pdf[start:end].rstrip(), None
        dictionary = pdf[start:stream_at].rstrip()
        length = _LENGTH.search(dictionary)
        if length is None:
            raise UnexpectedPdf(f"object {num}: indirect stream length")
        data_at = stream_at + len(b"stream\n")
        data = pdf[data_at : data_at + int(length.group(1))]
        return dictionary, data


def _need(pattern: re.Pattern, data: bytes) -> bytes:
    found = pattern.search(data)
    if found is None:
        raise UnexpectedPdf(pattern.pattern.decode())
    return found.group(1)


def _text(value: str) -> bytes:
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def merge_parts(
    parts: Sequence[bytes],
    *,
    left_texts: Sequence[str],
    right_texts: Sequence[str],
    outline: Sequence[tuple[str, int]],
    title: str,
) -> bytes:
    """Merge parts written by `finish_part` into one PDF with footers, an outline and a title.

    `left_texts` and `right_texts` (e.g. the page number) have one footer text per page of the
    result; `outline` holds (title, 0-based page).
    """
    parsed = [_Part(pdf) for pdf in parts]
    total = sum(len(p.kids) for p in parsed)
    if not total == len(left_texts) == len(right_texts):
        raise UnexpectedPdf("one footer text per page expected")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    next_num = 3  # 1: catalog, 2: page tree
    seen: dict[bytes, int] = {}
    page_refs: list[int] = []

    def write(num: int, head: bytes, data: bytes | None) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + head)
        if data is not None:
            out.extend(b"\nstream\n" + data + b"\nendstream")
        out.extend(b"\nendobj\n")

    for part in parsed:
        footers: dict[int, int] = {}
        for kid in part.kids:
            refs = _REF.findall(_need(_CONTENTS, part.objects[kid][0]))
            footers[int(refs[-1])] = len(page_refs) + len(footers)
        mapping = {part.pages_num: 2}
        fresh = []
        for num, (head, data) in part.objects.items():
            if num in part.skip or num == part.pages_num:
                continue
            if data is not None and num not in footers and not _REF.search(head):
                key = hashlib.sha256(head + b"\0" + data).digest()
                if key in seen:
                    mapping[num] = seen[key]
                    continue
                seen[key] = next_num
            mapping[num] = next_num
            next_num += 1
            fresh.append(num)

        def renumber(match: re.Match, mapping=mapping) -> bytes:
            old = int(match.group(1))
            if old not in mapping:
                raise UnexpectedPdf(f"reference to object {old} outside the part")
            return b"%d 0 R" % mapping[old]

        for num in fresh:
            head, data = part.objects[num]
            if num in footers:
                page_number = footers[num]
                box = [
                    float(v) for v in _need(_MEDIABOX, part.objects[part.kids[page_number - len(page_refs)]][0]).split()
                ]
                data = footer_stream(left_texts[page_number], right_texts[page_number], box)
                head = b"<<\n/Length %d\n>>" % len(data)
            else:
                head = _REF.sub(renumber, head)
            write(mapping[num], head, data)
        page_refs.extend(mapping[kid] for kid in part.kids)

    kids = b" ".join(b"%d 0 R" % ref for ref in page_refs)
    write(2, b"<<\n/Type /Pages\n/Count %d\n/Kids [ %s ]\n>>" % (total, kids), None)
    outline_root = next_num
    items = list(range(outline_root + 1, outline_root + 1 + len(outline)))
    if items:
        write(
            outline_root,
            b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items)),
            None,
        )
        for i, (item_title, page) in enumerate(outline):
            links = b" /Parent %d 0 R" % outline_root
            if i > 0:
                links += b" /Prev %d 0 R" % items[i - 1]
            if i < len(items) - 1:
                links += b" /Next %d 0 R" % items[i + 1]
            write(
                items[i],
                b"<< /Title " + _text(item_title) + links + b" /Dest [ %d 0 R /Fit ] >>" % page_refs[page],
                None,
            )
    else:
        write(outline_root, b"<< /Type /Outlines /Count 0 >>", None)
    info = outline_root + 1 + len(items)
    write(info, b"<< /Title " + _text(title) + b" /Producer (Groepsinschrijving) >>", None)
    write(1, b"<< /Type /Catalog /Pages 2 0 R /Outlines %d 0 R /PageMode /UseOutlines >>" % outline_root, None)
    size = info + 1
    xref_at = len(out)
    out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        out.extend(b"%010d 00000 n \n" % offsets[num])
    out.extend(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, info, xref_at))
    return bytes(out)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
