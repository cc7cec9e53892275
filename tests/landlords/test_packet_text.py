"""The packet and the single-dossier PDF read like a professional file (issue 16), checked as poppler reads them.

Amounts in Belgian format with €, national numbers written out, a Dutch label for every stored value,
Dutch dates, empty sections and rows left out, documents with the person they belong to, and no page that
holds only a heading.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from inschrijving.db_types import utcnow
from inschrijving.landlords.portal.queries import shared as shared_queries
from inschrijving.landlords.portal.services import packets, sections
from tests.factories.landlords import LandlordFactory
from tests.factories.packets import full_dossier, shared_dossier
from tests.factories.planning import MomentFactory
from tests.rendering.test_pdffont import pdftotext

# The headings a section can have (the only lines a page must never hold alone).
HEADINGS = {
    "Contact",
    "Inkomen",
    "Vermogen en eigendom",
    "Adressen (lokale binding)",
    "Voorkeuren",
    "Centraal inschrijvingsregister",
    "Documenten van het gezin",
}


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, spaces evened out, the footer (confidential, page x of y) left off."""
    pages = []
    for page in pdftotext(pdf).split("\f"):
        lines = [" ".join(line.replace("\u00a0", " ").split()) for line in page.splitlines()]
        pages.append([line for line in lines if line and "vertrouwelijk" not in line.lower()])
    return pages[: len(PdfReader(io.BytesIO(pdf)).pages)]


def _flat(pdf: bytes) -> str:
    return " ".join(line for page in _pages(pdf) for line in page)


def test_the_single_dossier_pdf_writes_amounts_numbers_dates_and_values_in_dutch(app, db):
    moment = MomentFactory()
    dossier = full_dossier(moment, [LandlordFactory()], last_name="Vandenberghe")

    text = _flat(packets.dossier_pdf(dossier, now=utcnow()))

    for expected in [
        "€ 15.237,00",  # taxable income, Babel's nl_BE
        "€ 15.649,50",  # the total
        "€ 881,00",  # savings: used to be "saldo 881.00"
        "€ 650,00 per maand",
        "85.07.30-033.28",  # the national number written out
        "30-07-1985",
        "Taal Frans",  # used to be "Taal: fr"
        "Huis, Appartement",  # used to be "house, flat"
        "Volle eigendom (Marokko, deel 33,33%, uitzondering: erfenis)",
        "Referentiehuurder",
        "Vreemdelingenregister",
        "ja (minderjarig",
        "Erkende handicap",
        "1 april 2019",  # an address, in Dutch
        "14 maart 2025",  # the CIR date
        "Aanslagbiljet",
    ]:
        assert expected in text, expected
    for raw in ["15237.00", "881.00", "85073003328", "house", "flat", "reference_tenant", "assessment", "2019-04-01"]:
        assert raw not in text, raw
    assert not re.search(r"\bfr\b", text)
    # Each document is named with its person; the household's own document in a short list of its own.
    assert re.search(r"Lid1 Partner .{0,120}Bewijs van inkomen: loonfiche\.jpg \(volgende pagina's\)", text)
    assert "Documenten van het gezin Gezinssamenstelling: gezin.jpg" in text


def test_empty_sections_and_rows_are_left_out(app, db):
    moment = MomentFactory()
    dossier = shared_dossier(moment, [LandlordFactory()], scan=False)

    text = _flat(packets.dossier_pdf(dossier, now=utcnow()))

    for absent in ["Inkomen", "Vermogen en eigendom", "Adressen", "Centraal inschrijvingsregister", "Noden",
                   "Maximale huur", "Opmerkingen", "Documenten", "Geen documenten", "niet gevraagd"]:  # fmt: skip
        assert absent not in text, absent
    assert "Voorkeuren Soorten woning Appartement Slaapkamers 1 tot 2" in text


def test_no_page_of_a_packet_holds_only_a_heading_and_a_section_spills_onto_no_near_empty_page(app, db):
    moment = MomentFactory()
    landlord = LandlordFactory()
    full_dossier(moment, [landlord])
    plain = [shared_dossier(moment, [landlord], persons=persons) for persons in (1, 3, 6)]
    choices = shared_queries.moment_choices(landlord.id, moment.id)

    pdf = packets.packet_pdf(landlord, moment, [c.dossier for c in choices], now=utcnow())

    reader = PdfReader(io.BytesIO(pdf))
    for number, (lines, page) in enumerate(zip(_pages(pdf), reader.pages, strict=True), start=1):
        assert lines, f"page {number} is empty"
        assert lines[-1] not in HEADINGS, f"page {number} ends on a heading: {lines}"
        if not page.images:
            assert len(lines) > 1, f"page {number} holds only {lines}"
    # A dossier's data fits on one page; each scan has its own (the documents list used to spill onto a page).
    cached = sections.cached_sections(plain)
    assert [cached[d.id].page_count for d in plain] == [2, 2, 2]


def test_the_packet_names_the_deelgemeenten_the_household_chose(app, db):
    # Issue 16: a preference can be a deelgemeente; the packet shows it as the portal and the exports do.
    from tests.factories.landlords import MunicipalityFactory, SubMunicipalityFactory

    dossier = full_dossier(MomentFactory(), [LandlordFactory()], last_name="Vandenberghe")
    heule = SubMunicipalityFactory(name="Heule", municipality=MunicipalityFactory(name="Kortrijk"))
    dossier.preferences.sub_municipalities.append(heule)
    db.session.flush()

    text = _flat(packets.dossier_pdf(dossier, now=utcnow()))

    assert "Heule (Kortrijk)" in text
