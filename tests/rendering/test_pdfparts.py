"""Packets written from prepared parts: pages, footers, bookmarks, title; every reader opens the file."""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pytest
from pypdf import PdfReader

from inschrijving.rendering import pdfmerge, pdfpages
from inschrijving.rendering.pdfparts import making as parts
from inschrijving.rendering.pdfparts import writing as pdfwrite


def _pages(count: int, label: str) -> bytes:
    return pdfpages.table_pages(label, ["A"], [[f"{label} {i}"] for i in range(count * pdfpages.ROWS_PER_PAGE)], [46])


def _write(pdfs: list[bytes], **kwargs) -> bytes:
    total = sum(pdfmerge.page_count(pdf) for pdf in pdfs)
    kwargs.setdefault("left_texts", [f"links {n}" for n in range(total)])
    kwargs.setdefault("right_texts", [f"pagina {n + 1} van {total}" for n in range(total)])
    kwargs.setdefault("outline", [])
    kwargs.setdefault("title", "Pakket")
    return b"".join(pdfwrite.write([parts.to_part(pdf) for pdf in pdfs], **kwargs))


def test_write_keeps_every_page_in_order_with_footers_bookmarks_and_a_title():
    pdf = _write(
        [_pages(1, "Voorblad"), _pages(2, "Eerste"), _pages(3, "Tweede")],
        outline=[("Eerste", 1), ("Tweede ودود", 3)],
        title="Pakket Ελένη",
    )

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 6
    texts = [page.extract_text() for page in reader.pages]
    assert "Voorblad 0" in texts[0] and "Eerste 0" in texts[1] and "Tweede 0" in texts[3]
    assert all(f"pagina {n + 1} van 6" in text and f"links {n}" in text for n, text in enumerate(texts))
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Eerste", 1),
        ("Tweede ودود", 3),
    ]
    assert reader.metadata.title == "Pakket Ελένη"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_the_written_file_has_no_structural_problem_for_qpdf_or_poppler(tmp_path):
    pdf = _write([_pages(2, "Een"), _pages(1, "Twee")], outline=[("Twee", 2)])

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert opened.check_pdf_syntax() == []  # qpdf's own check: objects, cross-reference table, streams
        assert len(opened.pages) == 3
    path = tmp_path / "pakket.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+3$", info.stdout, re.M) and not info.stderr
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    assert "Een 0" in text.stdout and "pagina 3 van 3" in text.stdout and not text.stderr


def test_a_footer_can_not_be_hidden_by_the_page_s_own_graphics_state():
    # A page that leaves a white fill and a transformation behind still shows the footer, in grey, in place.
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Contents = pdf.make_stream(b"1 g 0.1 0 0 0.1 0 0 cm")
        out = io.BytesIO()
        pdf.save(out)

    written = _write([out.getvalue()], left_texts=["links"], right_texts=["rechts"])

    with pikepdf.open(io.BytesIO(written)) as opened:
        operators = [str(op) for _operands, op in pikepdf.parse_content_stream(opened.pages[0])]
    assert operators[0] == "q" and operators.count("q") == operators.count("Q")
    assert operators.index("Q") < operators.index("BT")


def test_a_part_keeps_what_its_pages_refer_to_and_its_streams_byte_for_byte():
    # An upload's page: an image, a font, an annotation pointing back at its page, a page size of its own.
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(300, 400))
        image = pikepdf.Stream(pdf, b"\x00\xff" * 50, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                               Width=10, Height=10, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(b"q 100 0 0 100 10 10 cm /Im0 Do Q")
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[0, 0, 10, 10], P=page.obj,
            Contents=pikepdf.String("(haakjes) en \\ schuine streep"),
        ))]))
        out = io.BytesIO()
        pdf.save(out)

    written = _write([_pages(1, "Voor"), out.getvalue()])

    with pikepdf.open(io.BytesIO(written)) as opened:
        assert opened.check_pdf_syntax() == []
        upload = opened.pages[1]
        assert [float(v) for v in upload.mediabox] == [0, 0, 300, 400]
        assert upload.Resources.XObject.Im0.read_bytes() == b"\x00\xff" * 50
        [annotation] = upload.Annots
        assert annotation.P.objgen == upload.objgen
        assert str(annotation.Contents) == "(haakjes) en \\ schuine streep"


def test_one_footer_text_per_page_is_required():
    with pytest.raises(ValueError, match="one footer text per page"):
        _write([_pages(2, "a")], left_texts=["een"], right_texts=["een"])


def test_bytes_that_are_not_a_part_are_refused():
    with pytest.raises(parts.NotAPart):
        pdfwrite.page_count(_pages(1, "a"))


def test_the_file_is_written_one_part_at_a_time_taking_the_next_part_only_then():
    taken = []

    def prepared():
        for label in ("een", "twee", "drie"):
            taken.append(label)
            yield parts.to_part(_pages(1, label))

    written = pdfwrite.write(prepared(), left_texts=["l"] * 3, right_texts=["r"] * 3, outline=[], title="t")
    chunks = [next(written), next(written)]  # the header, then the first part's objects
    assert taken == ["een"] and chunks[0].startswith(b"%PDF-")
    chunks += list(written)
    assert taken == ["een", "twee", "drie"] and all(type(chunk) is bytes for chunk in chunks)
    with pikepdf.open(io.BytesIO(b"".join(chunks))) as opened:
        assert opened.check_pdf_syntax() == [] and len(opened.pages) == 3
