"""Households come back: an earlier dossier of the same household is found after the identity step, the
volunteer continues it, copies it or keeps a new one (audited), and a landlord never receives two complete
dossiers of one household for one moment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import duplicates, errors, lifecycle
from inschrijving.extensions import db as _db
from tests.factories.accounts import UserFactory
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import DossierFactory, PersonFactory, build_complete_dossier, national_number
from tests.factories.planning import MomentFactory

NUMBER = national_number(1988, 3, 14, 21)


def actions() -> list[str]:
    return list(_db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _new_dossier_with_tenant(db, moment=None, **person):
    booking = BookingFactory(slot__moment=moment) if moment else BookingFactory()
    dossier = DossierFactory(moment=booking.moment, booking=booking)
    tenant = PersonFactory(dossier=dossier, first_name="Samira", last_name="Benali", national_number=None,
                           id_kind="none", birth_year=None, birth_month=None, birth_day=None, **person)
    db.session.commit()
    return dossier, tenant


def _identity(client, dossier, tenant, number=NUMBER):
    return client.post(f"/dossiers/{dossier.id}/stap/identity", data={
        "version": dossier.version, "rows-0-person_id": tenant.id, "rows-0-id_kind": "national_number",
        "rows-0-national_number": number, "rows-0-birth_day": "14", "rows-0-birth_month": "3",
        "rows-0-birth_year": "1988", "rows-0-register_type": "population", "rows-0-language_level": "unknown"})


def _earlier(db, *, complete=True, number=NUMBER, **person):
    earlier = build_complete_dossier(moment=MomentFactory(), mark_complete=complete)
    tenant = earlier.persons[0]
    tenant.first_name, tenant.last_name, tenant.national_number = "Samira", "Benali", number
    tenant.birth_year, tenant.birth_month, tenant.birth_day = 1988, 3, 14
    for key, value in person.items():
        setattr(tenant, key, value)
    db.session.commit()
    return earlier


def test_an_earlier_dossier_with_the_same_national_number_is_offered_after_identity(db, volunteer_client):
    earlier = _earlier(db)
    dossier, tenant = _new_dossier_with_tenant(db)
    response = _identity(volunteer_client, dossier, tenant)
    assert response.headers["Location"] == f"/dossiers/{dossier.id}/dubbel"
    page = volunteer_client.get(f"/dossiers/{dossier.id}/dubbel").get_data(as_text=True)
    assert earlier.reference in page and "Antwoorden overnemen" in page
    assert "Verderwerken in dit dossier" not in page  # a complete dossier is copied, not continued


def test_same_name_and_birth_date_counts_as_the_same_household(db, volunteer_client):
    _earlier(db, number=national_number(1988, 3, 14, 99))
    dossier, tenant = _new_dossier_with_tenant(db)
    response = _identity(volunteer_client, dossier, tenant)
    assert response.headers["Location"].endswith("/dubbel")


def test_no_earlier_dossier_goes_straight_on(db, volunteer_client):
    _earlier(db, number=national_number(1970, 1, 1, 5), first_name="Iemand", last_name="Anders")
    dossier, tenant = _new_dossier_with_tenant(db)
    assert _identity(volunteer_client, dossier, tenant).headers["Location"].endswith("/stap/income")


def test_continue_the_earlier_draft_takes_over_the_booking_and_moment(db, volunteer_client):
    earlier = _earlier(db, complete=False)
    dossier, tenant = _new_dossier_with_tenant(db)
    booking_id, moment_id, new_id = dossier.booking_id, dossier.moment_id, dossier.id
    _identity(volunteer_client, dossier, tenant)
    response = volunteer_client.post(f"/dossiers/{dossier.id}/dubbel",
                                     data={"earlier": earlier.id, "choice": "continue"})
    assert response.headers["Location"] == f"/dossiers/{earlier.id}/stap/income"
    _db.session.expire_all()
    assert _db.session.get(Dossier, new_id) is None
    kept = _db.session.get(Dossier, earlier.id)
    assert (kept.booking_id, kept.moment_id) == (booking_id, moment_id)
    assert "dossier.duplicate_continue" in actions()


def test_copy_takes_the_earlier_answers_but_never_consents_or_documents(db, volunteer_client):
    earlier = _earlier(db)
    dossier, tenant = _new_dossier_with_tenant(db)
    _identity(volunteer_client, dossier, tenant)
    response = volunteer_client.post(f"/dossiers/{dossier.id}/dubbel", data={"earlier": earlier.id, "choice": "copy"})
    assert response.headers["Location"] == f"/dossiers/{dossier.id}/stap/income"
    _db.session.expire_all()
    copied = _db.session.get(Dossier, dossier.id)
    assert copied.incomes[0].person_id == tenant.id and copied.incomes[0].taxable_total == 18000
    assert copied.assets.total_balances == 1200 and copied.has_property is False
    assert [m.id for m in copied.preferences.municipalities] == [m.id for m in earlier.preferences.municipalities]
    assert copied.consents == [] and copied.documents == []
    assert "dossier.duplicate_copy" in actions()
    # Decided once: saving the identity again does not ask again.
    assert _identity(volunteer_client, copied, tenant).headers["Location"].endswith("/stap/income")


def test_keep_a_new_dossier_is_audited_and_not_asked_again(db, volunteer_client):
    _earlier(db)
    dossier, tenant = _new_dossier_with_tenant(db)
    _identity(volunteer_client, dossier, tenant)
    assert volunteer_client.post(f"/dossiers/{dossier.id}/dubbel", data={"choice": "new"}).status_code == 302
    assert "dossier.duplicate_new" in actions()
    dossier = _db.session.get(Dossier, dossier.id)
    assert _identity(volunteer_client, dossier, tenant).headers["Location"].endswith("/stap/income")


def test_a_landlord_never_gets_two_complete_dossiers_of_one_household_for_one_moment(db):
    first = build_complete_dossier()
    landlord = first.landlord_choices[0].landlord
    second = build_complete_dossier(landlord=landlord, moment=first.moment, mark_complete=False)
    second.persons[0].national_number = first.persons[0].national_number
    db.session.commit()
    actor = Actor.of(UserFactory())
    with pytest.raises(errors.DuplicateHousehold) as refused:
        lifecycle.complete_dossier(second, version=second.version, actor=actor, now=utcnow())
    assert refused.value.landlords == [landlord.name]
    # Another moment, or another landlord, is fine.
    other_moment = build_complete_dossier(moment=MomentFactory(), mark_complete=False)
    other_moment.persons[0].national_number = first.persons[0].national_number
    db.session.flush()
    lifecycle.complete_dossier(other_moment, version=other_moment.version, actor=actor, now=utcnow())
    assert other_moment.status == DossierStatus.COMPLETE
    assert duplicates.same_household(second) != []


def test_a_volunteer_is_never_shown_an_earlier_dossier_of_a_moment_they_do_not_staff(db, client, auth):
    # The duplicate page names the earlier dossier's people and lets its answers be copied: only within reach.
    earlier = _earlier(db)
    dossier, tenant = _new_dossier_with_tenant(db)
    volunteer = UserFactory()
    dossier.moment.staff.append(volunteer)  # not the earlier dossier's moment
    db.session.commit()
    auth.login(volunteer)
    assert _identity(client, dossier, tenant).headers["Location"].endswith("/stap/income")
    page = client.get(f"/dossiers/{dossier.id}/dubbel").get_data(as_text=True)
    assert earlier.reference not in page
    # Naming it by id copies nothing: the page only acts on the dossiers it may show.
    client.post(f"/dossiers/{dossier.id}/dubbel", data={"earlier": earlier.id, "choice": "copy",
                                                         "version": dossier.version})
    _db.session.expire_all()
    assert earlier.incomes and not _db.session.get(Dossier, dossier.id).incomes
