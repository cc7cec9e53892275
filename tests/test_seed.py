"""`flask seed-demo`: a complete, consistent demo on an empty database, and nothing twice."""

from __future__ import annotations

import re
import stat
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.be import nn
from werkzeug.security import generate_password_hash

from inschrijving.accounts.models import Role, User
from inschrijving.booking.models import LIVE_BOOKING_STATUSES, Booking, BookingStatus
from inschrijving.dossiers.enums import ChoiceStatus, ConsentPurpose, DossierStatus, PersonRole
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier, Person
from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.landlords.models import Landlord, Municipality
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot
from inschrijving.seed.demo import synthetic_national_number
from tests.factories.accounts import UserFactory

BOOKING_REFERENCE = re.compile(r"^[ACDEFGHJKMNPQRTUVWXY34679]{3}-[ACDEFGHJKMNPQRTUVWXY34679]{3}$")
DOSSIER_REFERENCE = re.compile(r"^D[ACDEFGHJKMNPQRTUVWXY34679]{6}$")


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    # scrypt costs a quarter second per demo account on purpose; these tests check the flow, not the hash.
    def set_password(user, password):
        user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1")

    monkeypatch.setattr(User, "set_password", set_password)


@pytest.fixture
def logins_file(app, tmp_path: Path) -> Path:
    path = tmp_path / "demo-logins.txt"
    app.config["DEMO_LOGINS_FILE"] = str(path)
    return path


def run_seed(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def counts(db) -> dict[str, int]:
    models = (Municipality, Landlord, User, IncomeLimit, RegistrationMoment, Slot, Booking, Dossier, Person,
              LandlordChoice)
    return {model.__name__: count(db, model) for model in models}


def test_seed_fills_an_empty_database(db, app, logins_file):
    output = run_seed(app)

    assert "Seeded 12 municipalities" in output
    assert counts(db) == {
        "Municipality": 12, "Landlord": 7, "User": 9, "IncomeLimit": 1, "RegistrationMoment": 6, "Slot": 61,
        # 66 candidates' bookings + 16 today (day_demo) + 4 info-moment registrations + 2 clients a social
        # worker booked (info_demo).
        "Booking": 88, "Dossier": 33, "Person": 71, "LandlordChoice": 40,
    }
    names = set(db.session.scalars(sa.select(Municipality.name)))
    assert {"Kortrijk", "Wevelgem", "Spiere-Helkijn", "Waregem"} <= names
    assert "Wervik" not in names
    assert db.session.scalar(sa.select(Municipality.nis_code).where(Municipality.name == "Kortrijk")) == "34022"
    assert all(landlord.is_demo for landlord in db.session.scalars(sa.select(Landlord)))
    assert {lo.slug for lo in db.session.scalars(sa.select(Landlord))} == set(LANDLORD_SLUGS)


LANDLORD_SLUGS = ("sw-plus", "wm-elan", "vivus", "impuls", "wonen-regio-kortrijk", "de-vlashaard", "svk-de-poort")


def test_seed_makes_one_user_per_role_with_working_printed_passwords(db, app, logins_file):
    output = run_seed(app)

    users = db.session.scalars(sa.select(User)).all()
    assert sorted(u.role for u in users) == sorted(
        [Role.COORDINATOR, Role.VOLUNTEER] + [Role.LANDLORD] * len(LANDLORD_SLUGS)
    )
    assert {u.landlord.slug for u in users if u.role == Role.LANDLORD} == set(LANDLORD_SLUGS)
    assert stat.S_IMODE(logins_file.stat().st_mode) == 0o600
    text = logins_file.read_text()
    for user in users:
        line = next(line for line in text.splitlines() if f" {user.email} " in line)
        password = line.split()[-1]
        assert user.check_password(password)
        assert password in output


def test_seed_twice_creates_nothing_new_and_prints_the_logins_again(db, app, logins_file):
    run_seed(app)
    before = counts(db)
    first_logins = logins_file.read_text()

    output = run_seed(app)

    assert counts(db) == before
    assert "seeded nothing new" in output
    assert first_logins in output
    assert logins_file.read_text() == first_logins


def test_seed_adds_no_demo_accounts_to_a_database_in_use(db, app, logins_file):
    UserFactory(coordinator=True)

    output = run_seed(app)

    assert count(db, Municipality) == 12
    assert count(db, IncomeLimit) == 1
    assert (count(db, User), count(db, Landlord), count(db, RegistrationMoment)) == (1, 0, 0)
    assert "no demo accounts" in output
    assert not logins_file.exists()


def test_income_limit_2024_comes_with_its_source(db, app, logins_file):
    run_seed(app)

    limit = db.session.scalar(sa.select(IncomeLimit).where(IncomeLimit.year == 2024))
    assert (limit.single, limit.single_disabled, limit.other, limit.per_dependant) == (29515, 31987, 44270, 2475)
    assert "6.13" in limit.source and "Wonen in Vlaanderen" in limit.source
    # The public source a coordinator can open, not a reference into an internal document.
    assert "https://www.vlaanderen.be/" in limit.source and "DOMAIN.md" not in limit.source


def test_every_seeded_national_number_passes_the_checksum(db, app, logins_file):
    run_seed(app)

    numbers = db.session.scalars(sa.select(Person.national_number).where(Person.national_number.is_not(None))).all()
    assert len(numbers) > 40
    assert len(set(numbers)) == len(numbers)
    assert all(nn.is_valid(number) for number in numbers)


def test_slot_counters_match_the_live_bookings(db, app, logins_file):
    run_seed(app)

    live = dict(
        db.session.execute(
            # A booking holds `seats` seats: one for a candidate, its attendees for an info-moment registration.
            sa.select(Booking.slot_id, sa.func.sum(Booking.seats))
            .where(Booking.status.in_(LIVE_BOOKING_STATUSES))
            .group_by(Booking.slot_id)
        ).all()
    )
    for slot in db.session.scalars(sa.select(Slot)):
        assert slot.booked == live.get(slot.id, 0)
        assert slot.booked <= slot.capacity


def test_demo_set_has_the_variety_a_demo_needs(db, app, logins_file):
    run_seed(app)

    # The info moment for professionals has its own test (tests/professionals/test_seed.py).
    moments = db.session.scalars(sa.select(RegistrationMoment).where(RegistrationMoment.kind == MomentKind.REGISTRATION)
                                 .order_by(RegistrationMoment.held_on)).all()
    # Two closed (one before the 2023 merger, issue 16), today's (issue 15: the day list has a day), two upcoming.
    assert [m.status for m in moments] == [MomentStatus.CLOSED] * 2 + [MomentStatus.PUBLISHED] * 3
    assert all(len(m.slots) == 12 and m.desks == 4 for m in moments)
    upcoming_bookings = count(db, Booking, Booking.moment_id.in_([m.id for m in moments[3:]]))
    assert 35 <= upcoming_bookings <= 45
    bookings = db.session.scalars(sa.select(Booking)).all()
    assert {b.language for b in bookings} == {"nl", "fr", "en", "ar", "tr"}
    assert any(b.needs_interpreter for b in bookings)
    assert any(b.booked_by == "social_worker" and b.social_worker_name for b in bookings)
    assert {b.status for b in bookings} == set(BookingStatus)
    assert all(BOOKING_REFERENCE.match(b.reference) and re.fullmatch(r"[0-9a-f]{64}", b.token_hash) for b in bookings)
    dossiers = db.session.scalars(sa.select(Dossier)).all()
    assert {d.status for d in dossiers} == {DossierStatus.DRAFT, DossierStatus.COMPLETE}
    assert all(DOSSIER_REFERENCE.match(d.reference) for d in dossiers)
    assert all(d.reference_tenant is not None for d in dossiers)
    assert any(d.partner for d in dossiers) and any(p.role == PersonRole.CHILD for d in dossiers for p in d.persons)
    choices = db.session.scalars(sa.select(LandlordChoice)).all()
    assert {c.status for c in choices} == set(ChoiceStatus)
    for choice in choices:
        assert choice.consent.purpose == ConsentPurpose.SHARE_WITH_LANDLORD
        assert choice.consent.landlord_id == choice.landlord_id


def test_synthetic_national_numbers_follow_the_century_rule():
    from datetime import date

    assert synthetic_national_number(date(1993, 5, 18), 223) == "93051822361"
    assert synthetic_national_number(date(2000, 1, 25), 567) == "00012556777"


def test_the_demo_shows_todays_landlords_and_the_history_of_the_merged_ones(db, app, logins_file):
    """Issue 16: the four woonmaatschappijen with their areas; the three merged into SW+ inactive since 9 June 2023."""
    from datetime import date

    from inschrijving.landlords.portal.queries import shared as shared_queries

    run_seed(app)
    landlords = {lo.slug: lo for lo in db.session.scalars(sa.select(Landlord))}
    elan = landlords["wm-elan"]
    assert {s.name for s in elan.sub_municipalities} == {"Bellegem", "Kaster"}
    assert "Bellegem" not in {s.name for s in landlords["sw-plus"].sub_municipalities}
    assert all(lo.contact_email.endswith(".example") and lo.is_demo for lo in landlords.values())
    for slug in ("wonen-regio-kortrijk", "de-vlashaard", "svk-de-poort"):
        assert landlords[slug].active_until == date(2023, 6, 8) and landlords[slug].successor.slug == "sw-plus"
    moments = db.session.scalars(sa.select(RegistrationMoment).order_by(RegistrationMoment.held_on)).all()
    past, recent = moments[0], moments[1]
    assert past.held_on < date(2023, 6, 9) <= recent.held_on
    choices = db.session.scalars(sa.select(LandlordChoice)).all()
    historic = {"wonen-regio-kortrijk", "de-vlashaard", "svk-de-poort"}
    assert {c.landlord.slug for c in choices if c.dossier.moment_id == past.id} <= historic
    assert not {c.landlord.slug for c in choices if c.dossier.moment_id == recent.id} & historic
    # SW+ reads what its predecessors received (the demo sets it so), next to its own dossiers.
    assert {s.id for s in shared_queries.moment_summaries(landlords["sw-plus"].id)} >= {past.id, recent.id}


def test_complete_demo_dossiers_are_really_complete_and_today_has_a_day_list(db, app, logins_file):
    from inschrijving.dossiers.services.checklist import missing_items
    from inschrijving.dossiers.services.documents import load_document
    from inschrijving.seed.data import BRUSSELS

    run_seed(app)
    complete = db.session.scalars(sa.select(Dossier).where(Dossier.status == DossierStatus.COMPLETE)).all()
    assert len(complete) >= 15
    for dossier in complete:
        assert missing_items(dossier) == [], dossier.reference
        assert dossier.documents
    scan = complete[0].documents[0]
    assert load_document(scan).startswith(b"\xff\xd8\xff") and scan.size_bytes < 40_000
    today = datetime.now(BRUSSELS).date()
    moment = db.session.scalars(sa.select(RegistrationMoment).where(RegistrationMoment.held_on == today)).one()
    bookings = db.session.scalars(sa.select(Booking).where(Booking.moment_id == moment.id)).all()
    assert sum(1 for b in bookings if b.assistance_note) >= 4
    assert sum(1 for b in bookings if b.needs_interpreter) >= 4
    assert {b.status for b in bookings} == {BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW}


def test_the_worker_prepares_the_packet_sections_of_the_demo_s_complete_dossiers(db, app, logins_file):
    # Without it, the landlords' lists showed the demo's complete dossiers as "PDF wordt klaargemaakt" for good.
    from inschrijving.landlords.portal.services import sections
    from inschrijving.notifications.queue import huey

    huey.flush()
    try:
        run_seed(app)
        complete = set(db.session.scalars(sa.select(Dossier.id).where(Dossier.status == DossierStatus.COMPLETE)))
        queued = [task for task in huey.pending() if task.name == "render_packet_section"]
        assert sorted(task.args[0] for task in queued) == sorted(complete)
        assert sections.sections_being_prepared(list(complete)) == complete
        while (task := huey.dequeue()) is not None:  # what the worker process does
            huey.execute(task)
        assert sections.sections_being_prepared(list(complete)) == set()
    finally:
        huey.flush()
