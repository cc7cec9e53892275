"""Each invariant the database itself must enforce, violated once and refused.

These go around the services on purpose: they prove the last line of defence holds even when
code forgets a rule. They run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from inschrijving.accounts.models import Role, User
from inschrijving.booking.models import Booking, BookingStatus
from inschrijving.dossiers.enums import ConsentPurpose, DocumentKind, PersonRole
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier, Person
from tests.factories.accounts import UserFactory
from tests.factories.landlords import LandlordFactory
from tests.factories.planning import MomentFactory, SlotFactory

_numbers = itertools.count(1)
GIVEN = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def refused(db, *objects) -> None:
    """Assert the database refuses to store these objects, then clear the failed transaction."""
    db.session.add_all(objects)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def booking(slot, *, phone=None, email=None, status=BookingStatus.BOOKED) -> Booking:
    n = next(_numbers)
    return Booking(reference=f"T{n:02d}-{n:03d}"[-7:], token_hash=f"{n:064d}", moment=slot.moment, slot=slot,
                   contact_name="Testpersoon Voorbeeld", phone=phone, email=email, status=status)


def dossier(moment) -> Dossier:
    n = next(_numbers)
    return Dossier(reference=f"D{n:02d}-{n:03d}"[-7:], moment=moment)


def person(role: PersonRole, first: str = "Amal") -> Person:
    return Person(role=role, first_name=first, last_name="Voorbeeld")


def sharing_consent(landlord) -> Consent:
    return Consent(purpose=ConsentPurpose.SHARE_WITH_LANDLORD, landlord=landlord, text_version="t", given_at=GIVEN)


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# Slots


def test_slot_cannot_hold_more_than_its_capacity(db):
    refused(db, SlotFactory.build(moment=MomentFactory(), capacity=4, booked=5))


def test_slot_booked_count_cannot_go_below_zero(db):
    refused(db, SlotFactory.build(moment=MomentFactory(), capacity=4, booked=-1))


def test_raising_booked_past_capacity_with_an_update_is_refused(db):
    from inschrijving.planning.models import Slot

    slot = SlotFactory(capacity=1, booked=1)
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(booked=Slot.booked + 1))
    db.session.rollback()


# Bookings


def test_two_live_bookings_with_the_same_phone_for_one_moment_are_refused(db):
    slot = SlotFactory()
    db.session.add(booking(slot, phone="+32470000001"))
    db.session.flush()

    refused(db, booking(slot, phone="+32470000001"))


def test_two_live_bookings_with_the_same_email_for_one_moment_are_refused(db):
    slot = SlotFactory()
    other_slot = SlotFactory(moment=slot.moment)
    db.session.add(booking(slot, email="amal@example.org"))
    db.session.flush()

    refused(db, booking(other_slot, email="amal@example.org"))


def test_a_checked_in_booking_still_counts_as_live(db):
    slot = SlotFactory()
    db.session.add(booking(slot, phone="+32470000001", status=BookingStatus.CHECKED_IN))
    db.session.flush()

    refused(db, booking(slot, phone="+32470000001"))


def test_same_contact_may_book_again_after_cancelling(db):
    slot = SlotFactory()
    first = booking(slot, phone="+32470000001", email="amal@example.org")
    db.session.add(first)
    db.session.flush()
    first.status = BookingStatus.CANCELLED

    db.session.add(booking(slot, phone="+32470000001", email="amal@example.org"))
    db.session.flush()

    assert count(db, Booking) == 2


def test_same_contact_may_book_another_moment(db):
    slot, other = SlotFactory(), SlotFactory()
    db.session.add_all([booking(slot, phone="+32470000001"), booking(other, phone="+32470000001")])
    db.session.flush()

    assert count(db, Booking) == 2


def test_a_booking_needs_some_way_to_reach_the_candidate(db):
    refused(db, booking(SlotFactory()))


# Landlord choices and consents


def test_a_dossier_chooses_each_landlord_once(db):
    landlord = LandlordFactory()
    folder = dossier(MomentFactory())
    first, second = sharing_consent(landlord), sharing_consent(landlord)
    folder.consents += [first, second]
    folder.landlord_choices.append(LandlordChoice(landlord=landlord, consent=first))
    db.session.add(folder)
    db.session.flush()

    refused(db, LandlordChoice(dossier=folder, landlord=landlord, consent=second))


def test_consent_to_share_needs_a_landlord(db):
    folder = dossier(MomentFactory())
    folder.consents.append(
        Consent(purpose=ConsentPurpose.SHARE_WITH_LANDLORD, landlord=None, text_version="t", given_at=GIVEN)
    )
    refused(db, folder)


def test_other_consents_name_no_landlord(db):
    folder = dossier(MomentFactory())
    folder.consents.append(
        Consent(purpose=ConsentPurpose.KEEP_DOSSIER, landlord=LandlordFactory(), text_version="t", given_at=GIVEN)
    )
    refused(db, folder)


# Users


def test_user_email_is_unique_regardless_of_case(db):
    UserFactory(email="amal@example.org")

    refused(db, UserFactory.build(email="AMAL@example.org"))


def test_user_email_is_stored_lower_case_only(db):
    refused(db, UserFactory.build(email="Amal@Example.org"))


def test_duplicate_lower_case_email_is_refused(db):
    UserFactory(email="amal@example.org")

    refused(db, UserFactory.build(email="amal@example.org"))


def test_landlord_user_without_a_landlord_is_refused(db):
    refused(db, UserFactory.build(role=Role.LANDLORD, landlord=None))


def test_non_landlord_user_with_a_landlord_is_refused(db):
    refused(db, UserFactory.build(role=Role.VOLUNTEER, landlord=LandlordFactory()))


# Persons


def test_a_dossier_has_one_reference_tenant(db):
    folder = dossier(MomentFactory())
    folder.persons += [person(PersonRole.REFERENCE_TENANT), person(PersonRole.REFERENCE_TENANT, "Bram")]
    refused(db, folder)


def test_a_dossier_has_at_most_one_partner(db):
    folder = dossier(MomentFactory())
    folder.persons += [person(PersonRole.REFERENCE_TENANT), person(PersonRole.PARTNER), person(PersonRole.PARTNER)]
    refused(db, folder)


def test_a_dossier_may_have_several_children(db):
    folder = dossier(MomentFactory())
    folder.persons += [person(PersonRole.REFERENCE_TENANT), person(PersonRole.CHILD), person(PersonRole.CHILD)]
    db.session.add(folder)
    db.session.flush()

    assert count(db, Person) == 3


# ON DELETE behaviour, exercised with plain SQL deletes so only the database's rules apply


def test_deleting_a_dossier_removes_its_persons_and_documents(db):
    folder = dossier(MomentFactory())
    tenant = person(PersonRole.REFERENCE_TENANT)
    folder.persons.append(tenant)
    folder.documents.append(Document(person=tenant, kind=DocumentKind.IDENTITY, original_filename="id.jpg",
                                     content_type="image/jpeg", size_bytes=10, sha256="0" * 64, storage_key="k1"))
    folder.consents.append(Consent(purpose=ConsentPurpose.KEEP_DOSSIER, text_version="t", given_at=GIVEN))
    db.session.add(folder)
    db.session.flush()
    db.session.expunge_all()

    db.session.execute(sa.delete(Dossier).where(Dossier.id == folder.id))

    assert (count(db, Person), count(db, Document), count(db, Consent)) == (0, 0, 0)


def test_deleting_a_landlord_that_was_chosen_is_refused(db):
    from inschrijving.landlords.models import Landlord

    landlord = LandlordFactory()
    folder = dossier(MomentFactory())
    consent = sharing_consent(landlord)
    folder.consents.append(consent)
    folder.landlord_choices.append(LandlordChoice(landlord=landlord, consent=consent))
    db.session.add(folder)
    db.session.flush()
    landlord_id = landlord.id
    db.session.expunge_all()

    with pytest.raises(IntegrityError):
        db.session.execute(sa.delete(Landlord).where(Landlord.id == landlord_id))
    db.session.rollback()


def test_deleting_a_landlord_with_staff_is_refused(db):
    from inschrijving.landlords.models import Landlord

    user = UserFactory(landlord_staff=True)
    landlord_id = user.landlord_id
    db.session.expunge_all()

    with pytest.raises(IntegrityError):
        db.session.execute(sa.delete(Landlord).where(Landlord.id == landlord_id))
    db.session.rollback()


def test_deleting_a_moment_with_bookings_is_refused(db):
    from inschrijving.planning.models import RegistrationMoment

    slot = SlotFactory()
    db.session.add(booking(slot, phone="+32470000001"))
    db.session.flush()
    moment_id = slot.moment_id
    db.session.expunge_all()

    with pytest.raises(IntegrityError):
        db.session.execute(sa.delete(RegistrationMoment).where(RegistrationMoment.id == moment_id))
    db.session.rollback()


def test_deleting_a_user_keeps_the_audit_trail(db):
    from inschrijving.accounts.models import AuditEvent
    from inschrijving.accounts.services.audit import record_audit

    user = UserFactory()
    record_audit(actor=user, action="login", object_type="user", object_id=user.id)
    db.session.flush()
    user_id = user.id
    db.session.expunge_all()

    db.session.execute(sa.delete(User).where(User.id == user_id))

    event = db.session.scalar(sa.select(AuditEvent))
    assert event.user_id is None
    assert event.actor.endswith("@example.org")
