"""Issue 15's target: the reference household (2 adults, 2 children, 4 JPEG scans, one landlord with consent,
CIR done) from check-in to receipt in at most 12 form submissions, through the test client, with no intake step
visited twice. The journey counts its submissions and page loads and prints them."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inschrijving.booking.models import BookingStatus
from inschrijving.dossiers.enums import ConsentPurpose, DossierStatus, PersonRole
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services.checklist import missing_items
from inschrijving.extensions import db as _db
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import national_number
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.packets import scan_jpeg
from tests.factories.planning import MomentFactory, SlotFactory

MAX_SUBMISSIONS = 12


class Journey:
    """A volunteer's clicks: every POST is a submission; redirects are followed as page loads."""

    def __init__(self, client):
        self.client = client
        self.submissions = 0
        self.loads: list[str] = []

    def open(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        self.loads.append(url.split("?")[0])
        return response.get_data(as_text=True)

    def submit(self, url: str, data: dict, *, expect: str | None = None) -> str:
        self.submissions += 1
        response = self.client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])
        location = response.headers["Location"]
        if expect:
            assert re.search(expect, location), (url, location)
        self.location = location
        return self.open(location)

    def intake_steps_visited(self) -> list[str]:
        return [url for url in self.loads if "/stap/" in url or url.endswith("/documenten")]


def version_of(html: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


def test_reference_household_from_check_in_to_receipt_in_at_most_12_submissions(db, volunteer_client):
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    town = MunicipalityFactory(name="Kortrijk")
    landlord = LandlordFactory(name="Wonen Kortrijk", municipalities=[town])
    moment = MomentFactory(held_on=today)
    slot = SlotFactory(moment=moment)
    booking = BookingFactory(slot=slot, contact_name="Samira Benali", household_size=4, language="fr")
    db.session.commit()
    walk = Journey(volunteer_client)

    walk.open(f"/planning/{moment.id}/dag")
    day = walk.submit(f"/planning/{moment.id}/dag/{booking.id}/aanwezig", {}, expect=r"/dag")
    assert booking.status == BookingStatus.CHECKED_IN
    assert f'action="/dossiers/start/{booking.id}"' in day  # the row's next step is now "Dossier starten"

    page = walk.submit(f"/dossiers/start/{booking.id}", {}, expect=r"/stap/household$")
    dossier = _db.session.scalars(sa.select(Dossier).where(Dossier.booking_id == booking.id)).one()
    base = f"/dossiers/{dossier.id}"
    # Four rows for a household of four; the booking's name is the reference tenant already.
    assert 'name="persons-3-role"' in page and 'name="persons-4-role"' not in page
    assert 'value="Samira"' in page and "Referentiehuurder (uit de afspraak)" in page

    page = walk.submit(f"{base}/stap/household", {
        "version": version_of(page),
        "persons-0-role": "reference_tenant", "persons-0-first_name": "Samira", "persons-0-last_name": "Benali",
        "persons-0-is_domiciled": "y",
        "persons-1-role": "partner", "persons-1-first_name": "Karim", "persons-1-last_name": "Benali",
        "persons-1-is_domiciled": "y",
        "persons-2-role": "child", "persons-2-first_name": "Nour", "persons-2-last_name": "Benali",
        "persons-2-is_dependant": "y", "persons-2-dependant_reason": "minor_domiciled", "persons-2-is_domiciled": "y",
        "persons-3-role": "child", "persons-3-first_name": "Adam", "persons-3-last_name": "Benali",
        "persons-3-is_dependant": "y", "persons-3-dependant_reason": "minor_domiciled", "persons-3-is_domiciled": "y",
        "contact_phone": "0470 12 34 56", "language": "fr",
    }, expect=r"/stap/identity$")
    persons = {p.first_name: p for p in _db.session.get(Dossier, dossier.id).persons}
    births = {"Samira": (1988, 3, 14), "Karim": (1985, 11, 2), "Nour": (2015, 6, 1), "Adam": (2019, 9, 23)}
    # The number kind starts on rijksregisternummer: nobody has to choose it.
    assert page.count('<option selected value="national_number">') == 4
    identity = {"version": version_of(page)}
    for index, person in enumerate(persons.values()):
        year, month, day_of_month = births[person.first_name]
        identity |= {
            f"rows-{index}-person_id": str(person.id), f"rows-{index}-id_kind": "national_number",
            f"rows-{index}-national_number": national_number(year, month, day_of_month, 20 + index),
            f"rows-{index}-birth_day": str(day_of_month), f"rows-{index}-birth_month": str(month),
            f"rows-{index}-birth_year": str(year), f"rows-{index}-register_type": "population",
            f"rows-{index}-language_level": "unknown",
        }
    page = walk.submit(f"{base}/stap/identity", identity, expect=r"/stap/income$")

    adults = [persons["Samira"], persons["Karim"]]
    income = {"version": version_of(page)}
    for index, person in enumerate(adults):
        income |= {f"rows-{index}-person_id": str(person.id), f"rows-{index}-income_year": str(today.year - 2),
                   f"rows-{index}-taxable_total": "18.250,00" if index == 0 else "12.000", f"rows-{index}-source":
                   "assessment"}
    page = walk.submit(f"{base}/stap/income", income, expect=r"/stap/means_test$")
    page = walk.submit(f"{base}/stap/means_test", {"version": version_of(page), "total_balances": "1.500,00",
                                                  "declared_on": today.isoformat()}, expect=r"/stap/property$")
    page = walk.submit(f"{base}/stap/property", {"version": version_of(page), "has_property": "no"},
                       expect=r"/stap/addresses$")
    # The addresses are optional: the volunteer skips them with a link, no submission.
    assert f'href="{base}/stap/preferences"' in page
    page = walk.open(f"{base}/stap/preferences")
    page = walk.submit(f"{base}/stap/preferences", {"version": version_of(page), "municipalities": [str(town.id)],
                                                    "dwelling_types": ["flat"]}, expect=r"/stap/landlords$")
    # The consent is shown in French next to the Dutch.
    assert 'lang="fr"' in page and "U geeft toestemming" in page
    page = walk.submit(f"{base}/stap/landlords", {"version": version_of(page), "landlords": [str(landlord.id)],
                                                  "consent_read": "y"}, expect=r"/documenten$")

    # Four scans in one upload, each in the field of the paper it is.
    files = {}
    for person in adults:
        for kind in ("identity", "income"):
            files[f"item-doc_{kind}_{person.id}"] = (io.BytesIO(scan_jpeg(f"{kind} {person.first_name}")),
                                                     f"{kind}-{person.first_name}.jpg")
    assert all(f'name="{name}"' in page for name in files)
    page = walk.submit(f"{base}/documenten", files, expect=r"/stap/cir$")
    page = walk.submit(f"{base}/stap/cir", {"version": version_of(page), "cir_registered": "yes",
                                            "cir_registered_on": today.isoformat(), "cir_reference": "CIR-42"},
                       expect=rf"/dossiers/{dossier.id}$")
    assert "Dossier afronden" in page
    walk.submit(f"{base}/afronden", {"version": version_of(page)}, expect=rf"/dossiers/{dossier.id}$")

    receipt = volunteer_client.get(f"{base}/bewijs.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")

    _db.session.expire_all()
    done = _db.session.get(Dossier, dossier.id)
    assert done.status == DossierStatus.COMPLETE and missing_items(done) == []
    assert len(done.documents) == 4 and {p.role for p in done.persons} == {
        PersonRole.REFERENCE_TENANT, PersonRole.PARTNER, PersonRole.CHILD}
    assert [c.landlord_id for c in done.consents if c.purpose == ConsentPurpose.SHARE_WITH_LANDLORD] == [landlord.id]
    steps = walk.intake_steps_visited()
    assert len(steps) == len(set(steps)), steps
    print(f"\nreference intake: {walk.submissions} form submissions, {len(walk.loads)} page loads")
    assert walk.submissions <= MAX_SUBMISSIONS
