"""The candidate's rights: a copy of everything held about a household, and erasure on request."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.notifications.models import OutboxMessage
from inschrijving.privacy import services
from inschrijving.rendering import storage
from tests.factories.accounts import AuditEventFactory, UserFactory
from tests.factories.booking import BookingFactory, WaitlistEntryFactory
from tests.factories.dossiers import build_complete_dossier
from tests.factories.planning import SlotFactory, staffing_every_moment


@pytest.fixture
def household(db):
    """A booked household with a complete dossier, stored scans and a choice the landlord answered."""
    booking = BookingFactory(social_worker_name="Mevr. Hulp", assistance_note="doof",
                             social_worker_email="hulp@ocmw.example.org", client_birth_year=1980, client_key="k" * 64)
    dossier = build_complete_dossier(moment=booking.moment)
    dossier.booking = booking
    for document in dossier.documents:
        document.storage_key = storage.store(b"%PDF-1.4 scan")
    dossier.landlord_choices[0].status = ChoiceStatus.REGISTERED
    WaitlistEntryFactory(moment=booking.moment, booking_id=booking.id, status="booked")
    db.session.add(OutboxMessage(recipient=booking.email, subject="Uw afspraak", body_text="link"))
    db.session.add(OutboxMessage(recipient="iemand@example.org", subject="Andere", body_text="link"))
    db.session.flush()
    AuditEventFactory(action="dossier.viewed", object_type="dossier", object_id=dossier.id)
    AuditEventFactory(action="dossier.viewed", object_type="dossier", object_id=dossier.id + 1000)
    db.session.commit()
    return dossier


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# Service level ------------------------------------------------------------------------------------


def test_handing_out_a_copy_is_written_with_its_format(db, household):
    user = UserFactory()
    copy = services.hand_out_copy(household, actor=Actor.of(user, ip="10.0.0.8"), fmt="pdf")
    assert copy["reference"] == household.reference
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.copy"))
    assert (event.user_id, event.object_type, event.object_id, event.detail, event.ip) == (
        user.id, "dossier", household.id, {"reference": household.reference, "format": "pdf"}, "10.0.0.8"
    )


def test_copy_holds_everything_but_credentials(household):
    copy = services.household_copy(household)
    tenant = household.reference_tenant
    assert copy["reference"] == household.reference
    assert copy["booking"]["email"] == household.booking.email
    assert copy["booking"]["assistance_note"] == "doof"
    assert copy["persons"][0]["national_number"] == tenant.national_number
    assert copy["incomes"][0]["taxable_total"] == "18000.00"
    assert copy["assets"]["total_balances"] == "1200.00"
    assert copy["preferences"]["municipalities"]
    assert copy["consents"][0]["landlord"] == household.landlord_choices[0].landlord.name
    assert copy["landlord_choices"][0]["status"] == "registered"
    assert {d["kind"] for d in copy["documents"]} == {"identity", "income_proof"}
    assert len(copy["waitlist_entries"]) == 1
    assert [e["action"] for e in copy["audit_events"]] == ["dossier.viewed"]
    text = json.dumps(copy)
    assert "token_hash" not in text and "storage_key" not in text


def test_erase_refuses_a_wrong_reference(db, household):
    with pytest.raises(services.ReferenceMismatch):
        services.erase_household(household, actor=Actor.of(UserFactory()), now=utcnow(), confirmation="XXX")
    assert _count(db, Dossier) == 1


def test_erase_removes_dossier_files_and_contact_but_keeps_the_booking_status(db, household):
    booking_id, dossier_id = household.booking.id, household.id
    keys = services.erase_household(
        household, actor=Actor.of(UserFactory()), now=utcnow(), confirmation=f" {household.reference.lower()} "
    )
    assert len(storage.stored_keys()) == 2  # the files wait for the commit
    db.session.commit()

    assert len(keys) == 2 and storage.stored_keys() == []
    assert _count(db, Dossier) == _count(db, Person) == _count(db, Document) == 0
    booking = db.session.get(Booking, booking_id)
    assert booking.contact_name == services.ANONYMISED_NAME and booking.email is None and booking.phone is None
    assert booking.social_worker_name is None and booking.anonymised_at is not None
    assert (booking.social_worker_email, booking.client_birth_year, booking.client_key) == (None, None, None)
    # The seat was still to come: it is given back.
    assert booking.status == BookingStatus.CANCELLED and booking.slot.booked == 0
    assert db.session.scalar(sa.select(WaitlistEntry.email)) is None
    assert db.session.scalars(sa.select(OutboxMessage.subject)).all() == ["Andere"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
    assert (event.object_id, event.detail["documents"]) == (dossier_id, 2)


def test_erase_keeps_a_past_booking_status(db):
    booking = BookingFactory(slot=SlotFactory(), status=BookingStatus.CHECKED_IN)
    dossier = build_complete_dossier(moment=booking.moment)
    dossier.booking = booking
    db.session.commit()
    services.erase_household(dossier, actor=Actor.of(UserFactory()), now=utcnow(), confirmation=dossier.reference)
    db.session.commit()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CHECKED_IN


# View level ---------------------------------------------------------------------------------------


@pytest.fixture
def volunteer(db, auth):
    user = UserFactory()
    db.session.commit()
    auth.login(user)
    with staffing_every_moment(user):
        yield user


def test_page_offers_copy_and_erase(client, household, volunteer):
    page = client.get(f"/privacy/dossiers/{household.id}")
    assert page.status_code == 200
    assert "Kopie als PDF" in page.text and "Gegevens wissen" in page.text
    dossier_page = client.get(f"/dossiers/{household.id}")
    assert f"/privacy/dossiers/{household.id}" in dossier_page.text


def test_json_copy_downloads_and_is_audited(client, db, household, volunteer):
    response = client.get(f"/privacy/dossiers/{household.id}/kopie.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.json["reference"] == household.reference
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.copy"))
    assert (event.user_id, event.object_id, event.detail["format"]) == (volunteer.id, household.id, "json")


def test_pdf_copy_downloads_and_is_audited(client, db, household, volunteer):
    response = client.get(f"/privacy/dossiers/{household.id}/kopie.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert household.reference in text and household.reference_tenant.first_name in text
    assert "Rijksregister- of BIS-nummer" in text and "Gekozen verhuurders" in text
    assert db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "privacy.copy")) == {
        "reference": household.reference, "format": "pdf"
    }


def test_erase_needs_the_reference_typed(client, db, household, volunteer):
    response = client.post(f"/privacy/dossiers/{household.id}/wissen", data={"reference": "nope"})
    assert response.status_code == 422
    assert "Er is niets gewist" in response.text
    assert 'value="nope"' in response.text
    assert _count(db, Dossier) == 1


def test_erase_through_the_page(client, db, household, volunteer):
    reference = household.reference
    response = client.post(f"/privacy/dossiers/{household.id}/wissen", data={"reference": household.reference})
    assert response.status_code == 302 and response.location.endswith("/dossiers/")
    assert _count(db, Dossier) == 0 and storage.stored_keys() == []
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
    assert event.user_id == volunteer.id and event.detail["reference"] == reference


@pytest.mark.parametrize(
    "path", ["", "/kopie.json", "/kopie.pdf"],
)
def test_landlord_staff_are_refused(client, db, auth, household, path):
    user = UserFactory(landlord_staff=True)
    db.session.commit()
    auth.login(user)
    assert client.get(f"/privacy/dossiers/{household.id}{path}").status_code == 403
    assert client.post(f"/privacy/dossiers/{household.id}/wissen",
                       data={"reference": household.reference}).status_code == 403
    assert _count(db, Dossier) == 1


def test_anonymous_visitors_go_to_the_login(client, household):
    response = client.get(f"/privacy/dossiers/{household.id}/kopie.json")
    assert response.status_code == 302 and "/login" in response.location


def test_unknown_dossier_is_404(client, volunteer):
    assert client.get("/privacy/dossiers/999999/kopie.json").status_code == 404


def test_erase_drops_cached_packet_pages_of_the_household_and_their_file_with_the_commit(db, household):
    from inschrijving.landlords.models import DossierSection

    key = storage.store_blob(b"section with the household's scans")
    db.session.add(DossierSection(dossier_id=household.id, cache_key="k" * 64, dossier_version=1,
                                  template_version="1", page_count=1, storage_key=key))
    db.session.commit()
    services.erase_household(household, actor=Actor.of(UserFactory()), now=utcnow(), confirmation=household.reference)
    assert storage.stored_blobs() != []  # still there while the erasure may roll back
    db.session.commit()
    assert _count(db, DossierSection) == 0
    assert storage.stored_blobs() == []


def test_every_field_of_the_copy_has_a_dutch_label_in_the_pdf(household):
    from inschrijving.dossiers.labels import FIELD_LABELS

    copy = services.household_copy(household)
    sections = [v for v in copy.values() if isinstance(v, dict | list)]
    rows = [r for s in sections for r in (s if isinstance(s, list) else [s]) if isinstance(r, dict)]
    keys = {k for row in rows for k in row} - {"held_on", "location"}
    assert keys <= set(FIELD_LABELS), keys - set(FIELD_LABELS)


def test_copy_leaves_storage_keys_out_at_every_depth(app, db, household):
    # Issue 13.13: a document uploaded through the intake is in the history line of its step, with its key.
    from inschrijving.dossiers.enums import DossierStatus
    from tests.dossiers.test_documents import jpeg, upload

    household.status = DossierStatus.DRAFT  # reopened to add a scan
    with app.test_request_context():
        document = upload(household, jpeg())
        AuditEventFactory(object_type="dossier", object_id=household.id,
                          detail={"nested": [{"storage_key": document.storage_key, "token_hash": "x"}]})
        db.session.flush()
        copy = services.household_copy(household)
    assert any("Document" in key for change in copy["changes"] for key in change["changes"])
    text = json.dumps(copy)
    assert document.storage_key not in text
    assert "storage_key" not in text and "token_hash" not in text
