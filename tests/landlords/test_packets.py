"""Packet content and the section cache."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import zipfile

import pikepdf
import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.landlords.models import DossierSection
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import packets, section_pages, sections
from inschrijving.rendering import pdfmerge, storage
from inschrijving.rendering.pdf import html_to_pdf
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import add_document, scan_jpeg, shared_dossier, withdraw
from tests.factories.planning import MomentFactory
from tests.rendering.test_pdffont import pdftotext
from tests.rendering.test_pdfmerge import encrypted
from tests.rendering.test_pdfsplit import images


@pytest.fixture(autouse=True)
def _request(app):
    # Templates pick their language from the request, as they do when a landlord downloads.
    with app.test_request_context():
        yield


def _packet(db, landlord, moment):
    choices = shared_queries.moment_choices(landlord.id, moment.id)
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=utcnow())
    return PdfReader(io.BytesIO(pdf))


def _outline_titles(reader):
    return [item.title for item in reader.outline]


def _image_count(reader):
    # WeasyPrint shares one resource dictionary between a section's pages: count distinct images.
    return len({hashlib.sha256(image.data).hexdigest() for page in reader.pages for image in page.images})


def test_packet_holds_exactly_the_consented_complete_dossiers(app, db):
    moment = MomentFactory()
    landlord, other = LandlordFactory(), LandlordFactory()
    a = shared_dossier(moment, [landlord], last_name="Aerts")
    b = shared_dossier(moment, [landlord, other], last_name="Bauwens")
    shared_dossier(moment, [other], last_name="Claes")  # chose another landlord
    shared_dossier(moment, [landlord], complete=False, last_name="Declercq")  # still a draft
    withdrawn = shared_dossier(moment, [landlord], last_name="Everaert")
    withdraw(withdrawn, landlord)

    reader = _packet(db, landlord, moment)

    assert _outline_titles(reader) == [packets.outline_title(a), packets.outline_title(b)]
    cached = sections.cached_sections([a, b])
    front = len(reader.pages) - sum(s.page_count for s in cached.values())
    assert front == 2  # cover and table of contents
    assert _image_count(reader) == 2  # each dossier's scan, embedded
    text = reader.pages[1].extract_text()
    assert "Aerts" in text and "Bauwens" in text and "Claes" not in text and "Everaert" not in text
    last = reader.pages[-1].extract_text()
    assert f"pagina {len(reader.pages)} van {len(reader.pages)}" in last
    assert f"Dossier {b.reference}" in last
    # The outline points at the first page of each section, as the table of contents says.
    first_of_b = reader.get_destination_page_number(reader.outline[1])
    assert f"{first_of_b + 1}" in text
    assert reader.metadata.title.startswith("Pakket ")


def test_scan_is_upright_and_on_its_own_page(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], scan=False)
    # Orientation 6: the camera was turned; the stored pixels are landscape, the page is portrait.
    add_document(dossier, scan_jpeg("gedraaid", size=(1754, 1240), orientation=6))

    reader = PdfReader(io.BytesIO(packets.dossier_pdf(dossier, now=utcnow())))

    assert _image_count(reader) == 1
    image = next(page for page in reader.pages if page.images).images[0].image
    assert image.height > image.width


def test_pdf_documents_are_appended_in_the_section(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord])
    appended = packets.dossier_pdf(shared_dossier(moment, [landlord], scan=False), now=utcnow())
    add_document(dossier, appended, content_type="application/pdf", filename="attest.pdf")
    before = sections.cached_sections([dossier])

    section_pdf, pages = section_pages.render_section_pdf(dossier)

    assert before == {}
    assert pages == len(PdfReader(io.BytesIO(section_pdf)).pages)
    assert pages >= 2 + len(PdfReader(io.BytesIO(appended)).pages)


def test_unchanged_dossiers_are_not_rendered_again(app, db, monkeypatch):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossiers = [shared_dossier(moment, [landlord]) for _ in range(3)]
    _packet(db, landlord, moment)
    rendered = []
    original = section_pages.render_sections_pdf
    monkeypatch.setattr(
        section_pages, "render_sections_pdf", lambda ds: rendered.extend(d.id for d in ds) or original(ds)
    )

    _packet(db, landlord, moment)
    assert rendered == []

    dossiers[1].contact_phone = "+32470111111"
    db.session.flush()  # raises the dossier version
    _packet(db, landlord, moment)
    assert rendered == [dossiers[1].id]
    assert db.session.scalar(db.select(db.func.count()).select_from(DossierSection)) == 3


def test_a_new_document_or_template_version_misses_the_cache(app, db, monkeypatch):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord])
    sections.ensure_sections([dossier], now=utcnow())
    assert sections.missing_sections([dossier]) == []

    add_document(dossier, scan_jpeg("tweede"))
    db.session.refresh(dossier)
    assert sections.missing_sections([dossier]) == [dossier]
    sections.ensure_sections([dossier], now=utcnow())

    monkeypatch.setattr(sections, "TEMPLATE_VERSION", "test-next")
    assert sections.missing_sections([dossier]) == [dossier]


def test_withdrawn_consent_leaves_a_warm_packet_at_once(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    keep = shared_dossier(moment, [landlord], last_name="Blijft")
    gone = shared_dossier(moment, [landlord], last_name="Weg")
    assert len(_outline_titles(_packet(db, landlord, moment))) == 2

    withdraw(gone, landlord)

    assert _outline_titles(_packet(db, landlord, moment)) == [packets.outline_title(keep)]


def test_a_dossier_back_in_draft_leaves_the_packet(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    shared_dossier(moment, [landlord])
    reopened = shared_dossier(moment, [landlord])
    reopened.status = DossierStatus.DRAFT
    db.session.flush()

    assert len(_outline_titles(_packet(db, landlord, moment))) == 1


def test_a_download_renders_nothing_when_every_section_is_cached(app, db, monkeypatch):
    moment = MomentFactory()
    landlord = LandlordFactory()
    first = shared_dossier(moment, [landlord])
    second = shared_dossier(moment, [landlord])
    renders = []
    original = section_pages.render_sections_pdf
    monkeypatch.setattr(section_pages, "render_sections_pdf", lambda ds: renders.extend(1 for _d in ds) or original(ds))

    def download():
        choices = shared_queries.moment_choices(landlord.id, moment.id)
        return packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=utcnow())

    download()
    assert len(renders) == 2
    download()
    assert len(renders) == 2  # warm: only merged

    first.contact_email = "nieuw@example.org"
    db.session.flush()
    download()
    assert len(renders) == 3  # only the changed dossier is rendered again

    withdraw(second, landlord)
    reader = PdfReader(io.BytesIO(download()))
    assert _outline_titles(reader) == [packets.outline_title(first)] and len(renders) == 3


def test_contents_and_cover_print_names_in_every_latin_and_cyrillic_script(app, db):
    # The contents used to be Helvetica (WinAnsi): "Şahin" printed as "?ahin".
    moment = MomentFactory()
    landlord = LandlordFactory(name="Woonmaatschappij Łódź-Überstraße")
    names = ["Şahin-Özdemir", "Wójcik-Dąbrowska", "Ковальчук", "Nguyễn"]
    for name in names:
        shared_dossier(moment, [landlord], last_name=name)

    reader = _packet(db, landlord, moment)

    cover, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "Łódź-Überstraße" in cover  # the landlord's name, in the 24 pt title
    for name in names:
        assert f"Testa {name}" in contents
    fonts = reader.pages[1]["/Resources"]["/Font"]
    assert str(fonts["/TocR"]["/BaseFont"]).endswith("+DejaVuSans")  # embedded; the footer stays Helvetica
    assert str(fonts["/TocB"]["/BaseFont"]).endswith("+DejaVuSans-Bold")


def test_cover_and_contents_print_names_in_arabic_script_joined_and_right_to_left(app, db, tmp_path):
    # They used to print as "?": the letters need shaping (joined forms) and right-to-left order.
    from tests.rendering.test_pdffont import pdftotext

    moment = MomentFactory()
    landlord = LandlordFactory(name="SVK النور")
    names = ["العلي", "الزهراء"]
    for name in names:
        shared_dossier(moment, [landlord], last_name=name).reference_tenant.first_name = "محمد"
    db.session.flush()

    choices = shared_queries.moment_choices(landlord.id, moment.id)
    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=utcnow())

    reader = PdfReader(io.BytesIO(pdf))
    front = PdfWriter()
    for page in reader.pages[:2]:
        front.add_page(page)
    out = io.BytesIO()
    front.write(out)
    cover, contents = pdftotext(out.getvalue()).split("\f")[:2]
    assert "Dossiers voor SVK النور" in cover
    for name in names:
        assert f"محمد {name}" in contents
    assert "?" not in cover + contents


def test_a_long_name_is_cut_short_in_the_contents_not_over_the_next_column(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Van den Bossche-Vandenberghe-Vercruysse-Vanhoutte-Dewaele")

    contents = _packet(db, landlord, moment).pages[1].extract_text()

    assert "Testa Van den Bossche-Vandenberghe" in contents and "…" in contents
    assert dossier.reference in contents  # its own column, still readable


def test_a_pdf_that_cannot_be_appended_is_named_in_its_section_and_stays_in_the_zip(app, db):
    from inschrijving.landlords.portal.services import exports

    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Onleesbaar")
    other = shared_dossier(moment, [landlord], scan=False)
    readable = packets.dossier_pdf(other, now=utcnow())
    damaged = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"
    locked = encrypted(readable, user="geheim")
    add_document(dossier, readable, content_type="application/pdf", filename="attest.pdf")
    add_document(dossier, damaged, content_type="application/pdf", filename="beschadigd.pdf")
    add_document(dossier, locked, content_type="application/pdf", filename="slot.pdf")
    assert pdfmerge.readable_pdf(damaged) == (None, section_pages.DAMAGED)
    assert pdfmerge.readable_pdf(locked) == (None, section_pages.ENCRYPTED)

    section_pdf, pages = section_pages.render_section_pdf(dossier)

    reader = PdfReader(io.BytesIO(section_pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "niet toegevoegd: het bestand is beschadigd" in flat
    assert "niet toegevoegd: beveiligd met een wachtwoord" in flat
    assert "in de ZIP met de originele documenten, in de map " + dossier.reference in flat
    assert flat.count("achteraan dit dossier") == 1  # only the readable attest is promised at the back
    # The readable attest is appended at the end, the locked copy of it is not.
    assert pages == len(reader.pages)
    assert [other.reference in page.extract_text() for page in reader.pages].count(True) == 1
    assert other.reference in reader.pages[-1].extract_text()

    choices = shared_queries.moment_choices(landlord.id, moment.id)
    stream = exports.packet_zip(b"%PDF", "pakket.pdf", exports.zip_entries(choices), now=utcnow())
    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream)))
    stored = {name.rsplit("/")[-1].split("-", 1)[1]: archive.read(name) for name in archive.namelist() if "/" in name}
    assert stored["beschadigd.pdf"] == damaged and stored["slot.pdf"] == locked


def test_a_scan_that_cannot_be_decoded_is_named_in_its_section_and_does_not_stop_the_packet(app, db):
    from inschrijving.dossiers.services.documents import _looks_whole

    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], last_name="Afgebroken", scan=False)
    whole = scan_jpeg("Afgebroken")
    # The start-of-scan marker is broken: the headers still pass the upload check (Image.verify),
    # but the pixels cannot be decoded (a damaged phone photo, found by fuzzing the upload check).
    sos = whole.index(b"\xff\xda")
    broken = whole[:sos] + b"\x40" + whole[sos + 1 :]
    assert _looks_whole(broken, "image/jpeg")
    add_document(dossier, broken, filename="half.jpg")
    shared_dossier(moment, [landlord], last_name="Gaaf")

    reader = _packet(db, landlord, moment)

    assert [t.split()[1] for t in _outline_titles(reader)] == ["Afgebroken", "Gaaf"]  # both dossiers are there
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "half.jpg (niet toegevoegd: het bestand is beschadigd)" in flat
    assert "Niet elk bestand kon in dit dossier worden opgenomen." in flat
    assert _image_count(reader) == 1  # the other dossier's scan only


def test_a_pdf_locked_only_by_an_owner_password_is_appended(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossier = shared_dossier(moment, [landlord], scan=False)
    appended = packets.dossier_pdf(shared_dossier(moment, [landlord], scan=False), now=utcnow())
    add_document(dossier, encrypted(appended, user=""), content_type="application/pdf", filename="a.pdf")
    without, _pages = section_pages.render_section_pdf(shared_dossier(moment, [landlord], scan=False))

    section_pdf, pages = section_pages.render_section_pdf(dossier)

    assert pages == len(PdfReader(io.BytesIO(without)).pages) + len(PdfReader(io.BytesIO(appended)).pages)
    assert "niet toegevoegd" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(section_pdf)).pages)


def test_the_page_footer_is_worded_through_gettext(app, db, monkeypatch):
    moment = MomentFactory()
    landlord = LandlordFactory()
    shared_dossier(moment, [landlord])
    original = packets._

    def shouting(message, **values):
        text = original(message, **values)
        # The words only: the pattern's placeholders are filled in after it is translated.
        return text.replace("pagina", "PAGINA").replace(" van ", " VAN ") if message.startswith("pagina ") else text

    monkeypatch.setattr(packets, "_", shouting)

    reader = _packet(db, landlord, moment)

    total = len(reader.pages)
    assert f"PAGINA 1 VAN {total}" in reader.pages[0].extract_text()
    assert f"PAGINA {total} VAN {total}" in reader.pages[-1].extract_text()
    assert "flask" not in {name.split(".")[0] for name in vars(pdfmerge) if not name.startswith("_")}


def test_a_packet_is_sent_after_its_request_ended_and_the_api_reads_it_the_same(bare_app):
    # The parts are decrypted while the body is sent, when the request and its app context are gone,
    # as under gunicorn (the other tests keep an app context open around their requests).
    from tests.landlords.conftest import api_token_for, landlord_client

    with bare_app.app_context():
        moment = MomentFactory()
        landlord = LandlordFactory()
        dossier = shared_dossier(moment, [landlord], last_name="Nacontext")
        add_document(dossier, scan_jpeg("tweede scan"))
        sections.ensure_sections([dossier], now=utcnow())
        client = landlord_client(bare_app, landlord)
        token = api_token_for(landlord)
        moment_id, dossier_id = moment.id, dossier.id

    packet = client.get(f"/verhuurder/momenten/{moment_id}/pakket.pdf")
    single = client.get(f"/verhuurder/dossiers/{dossier_id}/dossier.pdf")
    api = bare_app.test_client().get(
        f"/api/v1/moments/{moment_id}/packet.pdf", headers={"Authorization": f"Bearer {token}"}
    )

    for response, pages in ((packet, 2 + 3), (single, 3), (api, 2 + 3)):
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        assert len(reader.pages) == pages
        assert "Nacontext" in "".join(page.extract_text() for page in reader.pages)


def test_sections_rendered_together_read_as_each_rendered_alone_with_their_scans_as_stored(app, db):
    # A cold build's step renders its dossiers' data pages in one document and cuts it apart.
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossiers = [shared_dossier(moment, [landlord], last_name=name) for name in ("Aerts", "Bauwens", "Claes")]
    add_document(dossiers[1], scan_jpeg("tweede scan"), filename="tweede.jpg")

    together = section_pages.render_sections_pdf(dossiers)

    for dossier, (pdf, pages) in zip(dossiers, together, strict=True):
        alone, alone_pages = section_pages.render_section_pdf(dossier)
        assert pages == alone_pages == 1 + len(dossier.documents)  # the data page, then a page per scan
        assert pdftotext(pdf) == pdftotext(alone)
        assert dossier.reference_tenant.last_name in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        stored = [storage.load(d.storage_key) for d in sorted(dossier.documents, key=lambda d: (d.uploaded_at, d.id))]
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            embedded = [image.read_raw_bytes() for page in opened.pages[1:] for image in images(page)]
        assert embedded == stored  # each upright scan as it is


def test_more_missing_sections_than_a_step_are_rendered_a_step_at_a_time(app, db, monkeypatch):
    moment = MomentFactory()
    landlord = LandlordFactory()
    dossiers = [shared_dossier(moment, [landlord], scan=False) for _ in range(sections.SECTIONS_PER_STEP + 2)]
    documents = []
    original = section_pages.render_sections_pdf
    monkeypatch.setattr(section_pages, "render_sections_pdf", lambda ds: documents.append(len(ds)) or original(ds))

    assert sections.ensure_sections(dossiers, now=utcnow()) == 0

    assert documents == [sections.SECTIONS_PER_STEP, 2]  # no document grows with the moment
    assert sections.missing_sections(dossiers) == []


@pytest.mark.parametrize("size", [(1240, 1754), (1754, 1240), (400, 300)])  # as high, as wide and as small as allowed
def test_a_scan_page_is_laid_out_as_the_section_template_lays_it_out(app, db, size):
    # The scan pages are written by rendering.pdfsplit, with the template's measures: they must not drift apart.
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], scan=False, last_name="Şahin")
    jpeg = scan_jpeg("meten", size=size)
    document = add_document(dossier, jpeg, filename="meten.jpg")
    uri = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
    by_template = html_to_pdf(section_pages.section_html(dossier, [document], [(document, uri)], [], {}))

    drawn, pages = section_pages.render_section_pdf(dossier)

    assert pages == 2
    assert _first_word_box(drawn) == pytest.approx(_first_word_box(by_template), abs=0.05)
    assert _scan_box(drawn) == pytest.approx(_scan_box(by_template), abs=1)


def _first_word_box(pdf: bytes) -> tuple[float, ...]:
    """Where poppler finds the first word of the scan page (its caption's label), in points."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    word = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', xhtml)
    return tuple(float(v) for v in word.groups())


def _scan_box(pdf: bytes) -> tuple[int, ...]:
    """The scan's edges on the page (pixels at 72 dpi), under the caption."""
    png = subprocess.run(
        ["pdftoppm", "-f", "2", "-l", "2", "-r", "72", "-gray", "-png", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    page = Image.open(io.BytesIO(png)).convert("L")
    below_caption = page.crop((0, 66, page.width, page.height))
    return ImageOps.invert(below_caption).getbbox()


def test_a_scan_captioned_in_other_letters_is_laid_out_by_weasyprint_and_embedded_as_it_is(app, db):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], scan=False, last_name="محمد")
    jpeg = scan_jpeg("Arabisch")
    add_document(dossier, jpeg, filename="paspoort.jpg")

    pdf, pages = section_pages.render_section_pdf(dossier)

    assert pages == 2
    assert "محمد" in pdftotext(pdf).split("\f")[1] and "paspoort.jpg" in pdftotext(pdf).split("\f")[1]
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert [image.read_raw_bytes() for image in images(opened.pages[1])] == [jpeg]


def test_a_section_cut_from_a_step_holds_only_its_own_scans_never_another_households(app, db):
    # WeasyPrint gives every page of a step's document one /Resources, images of every dossier in it included.
    # The Arabic caption leaves حداد's scan page to WeasyPrint, so its scan is drawn in the step's document.
    moment = MomentFactory()
    first, second = LandlordFactory(), LandlordFactory()
    aerts = shared_dossier(moment, [first, second], last_name="Aerts", scan=False)
    add_document(aerts, scan_jpeg("aerts", size=(640, 900)), filename="aerts.jpg")
    haddad = shared_dossier(moment, [first], last_name="حداد", scan=False)
    add_document(haddad, scan_jpeg("haddad", size=(600, 800)), filename="حداد.jpg")

    sections.ensure_sections([aerts, haddad], now=utcnow())  # one step: one document

    def image_sizes(pdf: bytes) -> set[tuple[int, int]]:
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            return {(int(o.Width), int(o.Height)) for o in opened.objects
                    if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}

    assert image_sizes(packets.dossier_pdf(aerts, now=utcnow())) == {(640, 900)}
    assert image_sizes(packets.dossier_pdf(haddad, now=utcnow())) == {(600, 800)}
    second_packet = packets.packet_pdf(second, moment, [aerts], now=utcnow())
    assert image_sizes(second_packet) == {(640, 900)}
