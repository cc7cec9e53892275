"""The candidate's receipt: one A4 page for the reference household, documents per person, and the
consent-withdrawal box never split over two pages."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pikepdf
import pytest

from inschrijving.dossiers.enums import DocumentKind, PersonRole
from tests.factories.dossiers import PersonFactory, add_document, build_complete_dossier, share_with
from tests.factories.landlords import LandlordFactory


def _reference_household(db):
    dossier = build_complete_dossier()
    tenant = dossier.persons[0]
    tenant.first_name, tenant.last_name = "Samira", "Benali"
    partner = PersonFactory(dossier=dossier, role=PersonRole.PARTNER, first_name="Karim", last_name="Benali")
    for name in ("Nour", "Adam"):
        PersonFactory(dossier=dossier, role=PersonRole.CHILD, first_name=name, last_name="Benali")
    add_document(dossier, DocumentKind.IDENTITY, partner)
    add_document(dossier, DocumentKind.INCOME_PROOF, partner)
    dossier.cir_registered, dossier.cir_reference = True, "CIR-42"
    dossier.cir_registered_on = dossier.moment.held_on
    db.session.commit()
    return dossier


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode().split("\f")[: len(pikepdf.open(io.BytesIO(pdf)).pages)]


@pytest.mark.parametrize("language", ["nl", "fr", "ar"])
def test_reference_household_receipt_is_one_page_with_documents_per_person(db, volunteer_client, language):
    dossier = _reference_household(db)
    dossier.language = language
    db.session.commit()
    response = volunteer_client.get(f"/dossiers/{dossier.id}/bewijs.pdf")
    assert response.status_code == 200
    pages = _pages(response.data)
    if os.environ.get("SHOTS_DIR"):  # to look at it: SHOTS_DIR=/work/shots/day pytest ... -k receipt
        Path(os.environ["SHOTS_DIR"], f"receipt-{language}.pdf").write_bytes(response.data)
    assert len(pages) == 1, [len(p) for p in pages]
    if language == "nl":
        lines = [" ".join(line.split()) for line in pages[0].splitlines()]
        # Each adult's own papers on the adult's own line (the children have none).
        assert any(line.startswith("Samira Benali Identiteitskaart") for line in lines), lines
        assert any(line.startswith("Karim Benali Identiteitskaart") for line in lines), lines
        assert not any(line.startswith("Nour Benali") for line in lines)


def test_the_withdrawal_box_is_never_split(db, volunteer_client):
    dossier = _reference_household(db)
    # Many landlords push the end of the receipt towards a page break.
    for n in range(14):
        landlord = LandlordFactory(name=f"Verhuurder met een lange naam nummer {n}")
        landlord.municipalities.extend(dossier.preferences.municipalities)
        share_with(dossier, landlord)
    db.session.commit()
    for extra in range(0, 12, 3):
        for _ in range(3):
            add_document(dossier, DocumentKind.OTHER, None)
        db.session.commit()
        pages = _pages(volunteer_client.get(f"/dossiers/{dossier.id}/bewijs.pdf").data)
        holding = [i for i, page in enumerate(pages) if "Toestemming intrekken" in page]
        ending = [i for i, page in enumerate(pages) if "De verhuurder ziet uw dossier daarna" in " ".join(page.split())]
        assert holding == ending and len(holding) == 1, (extra, holding, ending)
