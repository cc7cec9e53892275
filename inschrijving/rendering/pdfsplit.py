"""One rendered document cut into several PDFs, with JPEG pictures drawn into it and PDFs appended (pikepdf).

Knows no domain. Several parts rendered in one WeasyPrint document cost a good third less than each on its own
(the stylesheet, fonts and PDF writing are paid once), and a scan costs WeasyPrint far more as a picture than as
an empty box of its size: so the HTML holds a placeholder (`placeholder_svg`, laid out exactly as the picture
would be), and the JPEG is drawn into that box here, its bytes as they are (/DCTDecode), as WeasyPrint embeds a
JPEG. Each part is then saved on its own, with its pictures and the pages of its appended PDFs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name

from inschrijving.rendering.pdfmerge import pdf_bytes


@dataclass(frozen=True)
class Picture:
    """A JPEG (RGB or grey) to draw into a box on a page of the document: PDF points (x0, y0, x1, y1), bottom left."""

    jpeg: bytes
    width: int
    height: int
    grey: bool
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Part:
    """The document's pages [first_page, end_page) with their pictures, then the pages of the appended PDFs."""

    first_page: int
    end_page: int | None  # None: to the end of the document
    pictures: Sequence[Picture] = ()
    appended: Sequence[bytes] = ()


def placeholder_svg(width: int, height: int) -> bytes:
    """An empty picture of this many pixels: the HTML lays it out as it would the JPEG (1 px per CSS px)."""
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"/>'.encode()


def split(document: bytes, parts: Sequence[Part]) -> list[tuple[bytes, int]]:
    """Each part as a PDF of its own, and its number of pages.

    `document` is WeasyPrint's output; an appended PDF is pikepdf's (an upload passes `pdfmerge.readable_pdf`).
    """
    results = []
    with pikepdf.open(io.BytesIO(document), inherit_page_attributes=False) as source:
        for part in parts:
            with pikepdf.new() as out:
                out.pages.extend(source.pages[part.first_page : part.end_page])
                for number, picture in enumerate(part.pictures):
                    _draw(out, out.pages[picture.page - part.first_page], picture, f"/GIScan{number}")
                for appended in part.appended:
                    with pikepdf.open(io.BytesIO(appended), inherit_page_attributes=False) as pdf:
                        out.pages.extend(pdf.pages)
                results.append((pdf_bytes(out), len(out.pages)))
    return results


def _draw(pdf: pikepdf.Pdf, page: pikepdf.Page, picture: Picture, name: str) -> None:
    image = pikepdf.Stream(pdf, picture.jpeg)
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
    image.Width, image.Height, image.BitsPerComponent = picture.width, picture.height, 8
    image.ColorSpace = Name.DeviceGray if picture.grey else Name.DeviceRGB
    image.Interpolate = True
    # WeasyPrint's pages share one /Resources dictionary: this page gets its own, or every page of the part
    # (and every part) would carry this picture.
    resources = Dictionary(dict(page.obj.Resources.items()))
    resources.XObject = Dictionary({**dict(resources.get(Name.XObject, Dictionary()).items()), name: image})
    page.obj.Resources = resources
    x0, y0, x1, y1 = picture.box
    # The page's own content is wrapped in q/Q: WeasyPrint leaves its flipped coordinates in place at the end.
    page.contents_add(b"q ", prepend=True)
    page.contents_add(f"Q q {x1 - x0:.4f} 0 0 {y1 - y0:.4f} {x0:.4f} {y0:.4f} cm {name} Do Q".encode())
