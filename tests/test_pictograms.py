"""Pictograms next to the documents checklist: each line gets the picture that matches it, on the pages and in
the printed letter (templates/booking/_pictograms.html pairs them by position)."""

from __future__ import annotations

import io
import logging
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from inschrijving.booking.services.content import checklist
from inschrijving.config import ROOT
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

# A word of each Dutch checklist line and the pictogram that must stand next to it. A reordered or new line
# in booking.services.content.checklist() fails here until _pictograms.html follows.
EXPECTED = [
    ("identiteitskaart", "id-card"),
    ("verblijfskaart", "residence-card"),
    ("inkomen", "payslip"),
    ("verklaring", "declaration"),
    ("handicap", "disability"),
    ("kinderen", "children"),
    ("huis of grond", "house"),
    ("schuldbemiddeling", "debt"),
    ("volmacht", "proxy"),
    ("Nederlands", "language"),
]


class _ChecklistParser(HTMLParser):
    """Collects (image src, alt, text) for each <li> of a <ul class="checklist ...">."""

    def __init__(self) -> None:
        super().__init__()
        self.in_list = False
        self.items: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "ul" and "checklist" in (attributes.get("class") or "").split():
            self.in_list = True
        elif self.in_list and tag == "li":
            self.items.append({"src": None, "alt": None, "text": ""})
        elif self.in_list and tag == "img" and self.items:
            self.items[-1].update(src=attributes.get("src"), alt=attributes.get("alt"))

    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_list = False

    def handle_data(self, data):
        if self.in_list and self.items:
            self.items[-1]["text"] += data


def checklist_items(html: str) -> list[dict]:
    parser = _ChecklistParser()
    parser.feed(html)
    return parser.items


def test_every_checklist_line_has_a_pictogram_file(app):
    with app.test_request_context("/"):
        lines = checklist()
    assert len(lines) == len(EXPECTED)
    for _word, name in EXPECTED:
        svg = ROOT / "static" / "img" / "pictograms" / f"{name}.svg"
        assert svg.is_file(), svg
        assert "<script" not in svg.read_text()


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_home_page_shows_the_matching_pictogram_next_to_each_line(client, lang):
    items = checklist_items(client.get(f"/?lang={lang}").get_data(as_text=True))
    assert [re.search(r"/img/pictograms/([\w-]+)(?:\.[0-9a-f]{10})?\.svg$", i["src"]).group(1) for i in items] == [
        name for _word, name in EXPECTED
    ]
    # Decorative: the text says it, so a screen reader must not read a file name or a second description.
    assert all(i["alt"] == "" for i in items)
    if lang == "nl":
        for item, (word, _name) in zip(items, EXPECTED, strict=True):
            assert word in item["text"], (word, item["text"])


def test_pictogram_files_are_served(client):
    for _word, name in EXPECTED:
        response = client.get(f"/static/img/pictograms/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        response.close()


def test_booking_letter_prints_the_pictograms(client, db, caplog):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slot = SlotFactory(moment=moment, capacity=2)
    form = {"contact_name": "Fatima El Amrani", "phone": "0470 12 34 56", "email": "", "language": "nl",
            "household_size": "3", "booked_by": "self"}
    location = client.post(f"/inschrijven/{moment.id}/{slot.id}", data=form).headers["Location"]
    token = re.search(r"/afspraak/([\w-]+)/bevestigd", location).group(1)
    confirmation = checklist_items(client.get(f"/afspraak/{token}/bevestigd").get_data(as_text=True))
    assert len(confirmation) == len(EXPECTED) and all(i["src"] for i in confirmation)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = PdfReader(io.BytesIO(client.get(f"/afspraak/{token}/brief.pdf").data))
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], "an image did not load"
    assert len(pdf.pages) == 1  # the letter still fits on one sheet in Dutch
    # WeasyPrint draws each SVG as vector paths in the page's own stroke colour (#0b4f8a), once per pictogram.
    content = pdf.pages[0].get_contents().get_data().decode("latin-1")
    assert content.count("0.043137 0.309804 0.541176 RG") >= len(EXPECTED)
