"""Intake rules without HTTP: national numbers, steps, optimistic locking, checklist, consent, access."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.accounts.services.audit import Actor
from inschrijving.db_types import utcnow
from inschrijving.dossiers.enums import DocumentKind, DossierStatus, IdKind, IncomeSource, PersonRole
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.national_numbers import (
    InvalidNationalNumber,
    NumberKind,
    birth_date_agrees,
    mask_number,
    parse_national_number,
)
from inschrijving.dossiers.queries import DossierFilter
from inschrijving.dossiers.services import checklist, consent, errors, facts, intake, lifecycle, reads
from inschrijving.landlords.portal.queries import shared as shared_queries
from tests.factories.accounts import UserFactory
from tests.factories.booking import BookingFactory
from tests.factories.dossiers import (
    DossierFactory,
    IncomeRecordFactory,
    PersonFactory,
    add_document,
    build_complete_dossier,
    national_number,
    share_with,
)
from tests.factories.landlords import LandlordFactory, MunicipalityFactory
from tests.factories.planning import MomentFactory

pytestmark = pytest.mark.usefixtures("request_ctx")


# --- national numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number", "kind", "birth"),
    [
        ("85.07.30-033.28", "85073003328", NumberKind.NATIONAL, (1985, 7, 30)),
        ("85 07 30 033 28", "85073003328", NumberKind.NATIONAL, (1985, 7, 30)),
        ("850730-03328", "85073003328", NumberKind.NATIONAL, (1985, 7, 30)),
        (national_number(2012, 3, 4, 101), national_number(2012, 3, 4, 101), NumberKind.NATIONAL, (2012, 3, 4)),
        (national_number(1990, 0, 0, 55), national_number(1990, 0, 0, 55), NumberKind.NATIONAL, (1990, None, None)),
        (national_number(1990, 6, 0, 55), national_number(1990, 6, 0, 55), NumberKind.NATIONAL, (1990, 6, None)),
        ("98.47.28-997.65", "98472899765", NumberKind.BIS, (1998, 7, 28)),
    ],
)
def test_valid_national_numbers(typed, number, kind, birth):
    parsed = parse_national_number(typed)
    assert parsed.number == number
    assert parsed.kind == kind
    assert (parsed.birth_year, parsed.birth_month, parsed.birth_day) == birth


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("85.07.30-033.29", "controlecijfers"),  # wrong checksum
        ("8507300332", "11 cijfers"),
        ("85.07.30-033.2a", "alleen cijfers"),
        (national_number(1985, 7, 30, 0), "volgnummer"),  # serial 000
        (national_number(1985, 7, 30, 999), "volgnummer"),  # serial 999
        (national_number(1985, 13, 1, 33), "geboortedatum"),  # month 13, checksum right
    ],
)
def test_invalid_national_numbers(typed, message):
    with pytest.raises(InvalidNationalNumber, match=message):
        parse_national_number(typed)


def test_born_after_2000_uses_the_2_prefix_checksum():
    number = national_number(2003, 1, 15, 12)
    assert int(number[-2:]) == 97 - int("2" + number[:9]) % 97
    assert parse_national_number(number).birth_year == 2003


def test_birth_date_must_agree_where_the_number_knows_it():
    parsed = parse_national_number(national_number(1990, 6, 0, 55))
    assert birth_date_agrees(parsed, 1990, 6, 17)  # the day is unknown in the number: any day goes
    assert not birth_date_agrees(parsed, 1990, 7, 17)
    assert not birth_date_agrees(parsed, 1991, 6, None)
    assert birth_date_agrees(parsed, None, None, None)


def test_mask_shows_last_digits_only():
    assert mask_number("85073003328") == "••.••.••-•33.28"
    assert "850730" not in mask_number("85073003328")
    assert mask_number(None) == ""


# --- start and steps -----------------------------------------------------------------------------


@pytest.fixture
def volunteer(db):
    return UserFactory()


def test_start_dossier_is_idempotent_per_booking(db, volunteer):
    booking = BookingFactory()
    first = lifecycle.start_dossier(booking, actor=Actor.of(volunteer), now=utcnow())
    again = lifecycle.start_dossier(booking, actor=Actor.of(volunteer), now=utcnow())
    assert first.id == again.id
    assert first.contact_phone == booking.phone


def test_cancelled_booking_gets_no_dossier(db, volunteer):
    with pytest.raises(errors.BookingNotLive):
        lifecycle.start_dossier(BookingFactory(cancelled=True), actor=Actor.of(volunteer), now=utcnow())


def test_walk_in_gets_its_own_dossier(db, volunteer):
    moment = MomentFactory()
    one = lifecycle.start_walk_in(moment, actor=Actor.of(volunteer), now=utcnow())
    two = lifecycle.start_walk_in(moment, actor=Actor.of(volunteer), now=utcnow())
    assert one.id != two.id and one.booking_id is None
    # Read aloud like a booking's: a D and six characters of the same alphabet (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
    assert all(re.fullmatch(r"D[ACDEFGHJKMNPQRTUVWXY34679]{6}", d.reference) for d in (one, two))


def _household(dossier, volunteer, rows, **contact):
    intake.save_household(
        dossier, version=dossier.version, contact=contact, persons=rows, actor=Actor.of(volunteer), now=utcnow()
    )


def test_household_step_adds_changes_and_removes_persons_and_records_history(db, volunteer):
    dossier = DossierFactory()
    _household(
        dossier,
        volunteer,
        [
            {"role": "reference_tenant", "first_name": "An", "last_name": "Peeters"},
            {
                "role": "child",
                "first_name": "Bo",
                "last_name": "Peeters",
                "is_dependant": True,
                "dependant_reason": "minor_domiciled",
                "has_recognised_disability": True,
            },
            {},
        ],
    )
    assert [p.first_name for p in dossier.persons] == ["An", "Bo"]
    version = dossier.version
    bo = dossier.persons[1]
    _household(
        dossier,
        volunteer,
        [
            {
                "person_id": dossier.persons[0].id,
                "role": "reference_tenant",
                "first_name": "Anna",
                "last_name": "Peeters",
            },
            {"person_id": bo.id, "remove": True},
        ],
    )
    assert [p.first_name for p in dossier.persons] == ["Anna"]
    assert dossier.version == version + 1
    history = db.session.scalars(db.select(DossierChange).where(DossierChange.dossier_id == dossier.id)).all()
    steps = [c.step for c in history]
    assert steps.count("household") == 2
    last = history[-1].changes
    assert any("first_name" in v for v in last.values() if isinstance(v, dict))
    assert any(k.startswith("- Person") for k in last), last


def test_reference_tenant_and_partner_can_swap_roles(db, volunteer):
    dossier = DossierFactory()
    a = PersonFactory(dossier=dossier, role=PersonRole.REFERENCE_TENANT, first_name="A")
    b = PersonFactory(dossier=dossier, role=PersonRole.PARTNER, first_name="B")
    db.session.refresh(dossier)
    _household(
        dossier,
        volunteer,
        [
            {"person_id": a.id, "role": "partner", "first_name": "A", "last_name": "X"},
            {"person_id": b.id, "role": "reference_tenant", "first_name": "B", "last_name": "X"},
        ],
    )
    assert dossier.reference_tenant.first_name == "B"
    assert dossier.partner.first_name == "A"


def test_stale_version_is_refused_and_changes_nothing(db, volunteer):
    dossier = DossierFactory()
    PersonFactory(dossier=dossier, first_name="Eerst")
    db.session.refresh(dossier)
    stale = dossier.version
    _household(
        dossier,
        volunteer,
        [{"person_id": dossier.persons[0].id, "role": "reference_tenant", "first_name": "Tweede", "last_name": "X"}],
    )
    with pytest.raises(errors.StaleDossier):
        intake.save_household(
            dossier,
            version=stale,
            contact={},
            persons=[
                {
                    "person_id": dossier.persons[0].id,
                    "role": "reference_tenant",
                    "first_name": "Derde",
                    "last_name": "X",
                }
            ],
            actor=Actor.of(volunteer),
            now=utcnow(),
        )
    assert dossier.persons[0].first_name == "Tweede"


def test_identity_step_stores_the_compact_number_and_fills_birth_date(db, volunteer):
    dossier = DossierFactory()
    person = PersonFactory(
        dossier=dossier, national_number=None, birth_year=None, birth_month=None, birth_day=None, id_kind=IdKind.NONE
    )
    db.session.refresh(dossier)
    intake.save_identity(
        dossier,
        version=dossier.version,
        rows=[
            {
                "person_id": person.id,
                "id_kind": "national_number",
                "national_number": "98.47.28-997.65",
                "register_type": "foreigners",
                "language_level": "a2",
            }
        ],
        actor=Actor.of(volunteer),
        now=utcnow(),
    )
    assert person.national_number == "98472899765"
    assert person.id_kind == IdKind.BIS_NUMBER  # the number itself says it is a BIS number
    assert (person.birth_year, person.birth_month, person.birth_day) == (1998, 7, 28)
    change = db.session.scalars(db.select(DossierChange).where(DossierChange.step == "identity")).one()
    assert "98472899765" not in str(change.changes)  # history keeps the number masked


def test_income_step_only_for_applicants(db, volunteer):
    dossier = DossierFactory()
    tenant = PersonFactory(dossier=dossier)
    child = PersonFactory(dossier=dossier, role=PersonRole.CHILD)
    db.session.refresh(dossier)
    intake.save_incomes(
        dossier,
        version=dossier.version,
        rows=[
            {"person_id": tenant.id, "income_year": 2023, "taxable_total": Decimal(20000), "source": "assessment"},
            {"person_id": child.id, "income_year": 2023, "taxable_total": Decimal(1)},
        ],
        actor=Actor.of(volunteer),
        now=utcnow(),
    )
    assert [i.person_id for i in dossier.incomes] == [tenant.id]
    assert dossier.incomes[0].source == IncomeSource.ASSESSMENT


def test_property_no_clears_items(db, volunteer):
    dossier = DossierFactory()
    intake.save_property(
        dossier,
        version=dossier.version,
        has_property=True,
        items=[{"right_type": "usufruct", "exception": "inheritance"}],
        actor=Actor.of(volunteer),
        now=utcnow(),
    )
    assert len(dossier.property_declarations) == 1
    intake.save_property(
        dossier, version=dossier.version, has_property=False, items=[], actor=Actor.of(volunteer), now=utcnow()
    )
    assert dossier.property_declarations == []
    assert dossier.has_property is False


# --- checklist and completion --------------------------------------------------------------------


def test_empty_dossier_misses_everything(db):
    dossier = DossierFactory()
    keys = {i.key for i in checklist.missing_items(dossier)}
    assert {"household", "identity", "income", "means_test", "property", "preferences", "landlords", "cir"} <= keys


def test_complete_dossier_has_nothing_missing(db):
    dossier = build_complete_dossier(mark_complete=False)
    assert checklist.missing_items(dossier) == []


def test_only_a_draft_with_nothing_missing_can_be_completed(db, volunteer):
    assert not checklist.can_complete(DossierFactory())
    dossier = build_complete_dossier(mark_complete=False)
    assert checklist.can_complete(dossier)
    lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    assert not checklist.can_complete(dossier)


def test_checklist_asks_disability_attest_and_health_consent(db):
    dossier = build_complete_dossier(mark_complete=False)
    dossier.persons[0].has_recognised_disability = True
    keys = {i.key for i in checklist.missing_items(dossier)}
    assert "health_consent" in keys
    assert any(k.startswith("doc_disability_") for k in keys)


def test_checklist_ksz_income_needs_no_paper_but_debt_settlement_does(db):
    dossier = build_complete_dossier(mark_complete=False)
    record = dossier.incomes[0]
    record.source = IncomeSource.KSZ
    record.in_debt_settlement = True
    record.disposable_income = Decimal(9000)
    keys = [i.key for i in checklist.completeness_checklist(dossier)]
    assert not any(k.startswith("doc_income_") for k in keys)
    assert any(k.startswith("doc_debt_") for k in keys)


def test_checklist_labels_name_no_one(db):
    dossier = build_complete_dossier(mark_complete=False)
    name = dossier.persons[0].first_name
    assert all(name not in str(i.label) for i in checklist.completeness_checklist(dossier))


def test_property_exception_needs_a_proof_document(db):
    dossier = build_complete_dossier(mark_complete=False)
    services_version = dossier.version
    intake.save_property(
        dossier,
        version=services_version,
        has_property=True,
        items=[{"right_type": "full_ownership", "exception": "uninhabitable"}],
        actor=Actor.of(UserFactory()),
        now=utcnow(),
    )
    assert "doc_property_exception" in {i.key for i in checklist.missing_items(dossier)}
    add_document(dossier, DocumentKind.PROPERTY_EXCEPTION)
    assert checklist.missing_items(dossier) == []


def test_completion_refused_while_something_is_missing(db, volunteer):
    dossier = DossierFactory()
    with pytest.raises(errors.NotComplete) as refused:
        lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    assert refused.value.missing
    assert dossier.status == DossierStatus.DRAFT


def test_completion_records_who_and_when(db, volunteer):
    dossier = build_complete_dossier(mark_complete=False)
    now = utcnow()
    lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=now)
    assert dossier.status == DossierStatus.COMPLETE
    assert dossier.completed_by_id == volunteer.id and dossier.completed_at == now
    with pytest.raises(errors.DossierLocked):
        intake.save_cir(
            dossier,
            version=dossier.version,
            cir_registered=False,
            cir_registered_on=None,
            cir_reference=None,
            actor=Actor.of(volunteer),
            now=now,
        )


# --- landlords, consent and access ---------------------------------------------------------------


def _with_preferences(dossier, towns):
    intake.save_preferences(
        dossier,
        version=dossier.version,
        municipality_ids=[t.id for t in towns],
        values={},
        actor=Actor.of(UserFactory()),
        now=utcnow(),
    )


def test_landlords_offered_only_when_active_and_serving_a_chosen_town(db):
    kortrijk, menen = MunicipalityFactory(name="Kortrijk"), MunicipalityFactory(name="Menen")
    moment = MomentFactory()
    serving = LandlordFactory(name="A Serving", municipalities=[kortrijk])
    elsewhere = LandlordFactory(name="B Elsewhere", municipalities=[menen])
    future = LandlordFactory(name="C Future", municipalities=[kortrijk], active_from=moment.held_on + timedelta(days=1))
    gone = LandlordFactory(name="D Gone", municipalities=[kortrijk], active_until=moment.held_on - timedelta(days=1))
    dossier = DossierFactory(moment=moment)
    _with_preferences(dossier, [kortrijk])
    offers = {o.landlord.id: o for o in consent.landlord_offers(dossier)}
    assert offers[serving.id].offered
    assert "Menen" in offers[elsewhere.id].reason
    assert "start pas" in offers[future.id].reason
    assert "niet meer" in offers[gone.id].reason
    with pytest.raises(errors.LandlordNotOffered):
        consent.choose_landlords(
            dossier, version=dossier.version, landlord_ids=[elsewhere.id], actor=Actor.of(UserFactory()), now=utcnow()
        )


def test_choose_records_consent_with_text_version_time_and_volunteer(db, volunteer):
    town = MunicipalityFactory()
    landlord = LandlordFactory(municipalities=[town])
    dossier = DossierFactory()
    _with_preferences(dossier, [town])
    now = utcnow()
    consent.choose_landlords(
        dossier, version=dossier.version, landlord_ids=[landlord.id], actor=Actor.of(volunteer), now=now
    )
    given = consent.live_share_consents(dossier)[landlord.id]
    assert given.text_version == consent.CONSENT_TEXT_VERSION
    assert given.given_at == now and given.recorded_by_id == volunteer.id
    assert dossier.landlord_choices[0].consent is given


def _landlord_sees(dossier_id: int, landlord_id: int) -> bool:
    """Whether the landlord portal opens this dossier (its lookup applies `dossiers.queries.shared_with_landlord`)."""
    try:
        shared_queries.get_shared_choice(landlord_id, dossier_id, details=False)
    except shared_queries.NotShared:
        return False
    return True


def _shared_dossier_ids(landlord_id: int, moment_id: int) -> list[int]:
    return [c.dossier_id for c in shared_queries.moment_choices(landlord_id, moment_id, details=False)]


def test_withdrawal_removes_landlord_access_but_keeps_the_choice(db, volunteer):
    dossier = build_complete_dossier()
    landlord_id = dossier.landlord_choices[0].landlord_id
    assert _landlord_sees(dossier.id, landlord_id)
    assert _shared_dossier_ids(landlord_id, dossier.moment_id) == [dossier.id]
    assert consent.withdraw_landlord_consent(dossier, landlord_id, actor=Actor.of(volunteer), now=utcnow())
    db.session.flush()
    assert not _landlord_sees(dossier.id, landlord_id)
    assert _shared_dossier_ids(landlord_id, dossier.moment_id) == []
    db.session.expire(dossier, ["landlord_choices"])
    assert [c.landlord_id for c in dossier.landlord_choices] == [landlord_id]  # kept for history


def test_landlord_sees_only_complete_dossiers_that_chose_it(db):
    dossier = build_complete_dossier()
    other = LandlordFactory()
    assert not _landlord_sees(dossier.id, other.id)
    draft = build_complete_dossier(mark_complete=False)
    assert not _landlord_sees(draft.id, draft.landlord_choices[0].landlord_id)


def test_choosing_again_after_withdrawal_gives_access_again(db, volunteer):
    dossier = build_complete_dossier(mark_complete=False)
    landlord_id = dossier.landlord_choices[0].landlord_id
    consent.withdraw_landlord_consent(dossier, landlord_id, actor=Actor.of(volunteer), now=utcnow())
    consent.choose_landlords(
        dossier, version=dossier.version, landlord_ids=[landlord_id], actor=Actor.of(volunteer), now=utcnow()
    )
    lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    assert _landlord_sees(dossier.id, landlord_id)
    assert len(dossier.landlord_choices) == 1


def test_health_consent_is_separate_and_can_be_withdrawn(db, volunteer):
    dossier = build_complete_dossier(mark_complete=False)
    assert consent.health_consent(dossier) is None
    consent.give_health_consent(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    assert consent.health_consent(dossier) is not None
    assert consent.withdraw_health_consent(dossier, actor=Actor.of(volunteer), now=utcnow())
    assert consent.health_consent(dossier) is None


def test_withdrawing_health_consent_takes_a_complete_dossier_out_of_landlords_reach(db, volunteer):
    dossier = build_complete_dossier(mark_complete=False)
    dossier.persons[0].has_recognised_disability = True
    add_document(dossier, DocumentKind.DISABILITY_ATTEST, dossier.persons[0])
    consent.give_health_consent(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    lifecycle.complete_dossier(dossier, version=dossier.version, actor=Actor.of(volunteer), now=utcnow())
    landlord_id = dossier.landlord_choices[0].landlord_id
    assert _landlord_sees(dossier.id, landlord_id)

    consent.withdraw_health_consent(dossier, actor=Actor.of(volunteer), now=utcnow())

    assert dossier.status == DossierStatus.DRAFT and dossier.completed_at is None
    assert not _landlord_sees(dossier.id, landlord_id)


# --- eligibility bridge and limits ---------------------------------------------------------------


def test_assess_dossier_uses_the_moment_year_limits(db, volunteer):
    dossier = build_complete_dossier(mark_complete=False)
    income = next(f for f in facts.assess_dossier(dossier) if f.condition.value == "income")
    assert income.outcome.value == "unknown"
    assert str(dossier.moment.held_on.year) in income.reason
    facts.save_income_limit(
        dossier.moment.held_on.year,
        values={
            "single": Decimal(29515),
            "single_disabled": Decimal(31987),
            "other": Decimal(44270),
            "per_dependant": Decimal(2475),
            "source": "test",
        },
        indexation={dossier.moment.held_on.year - 2: Decimal("1.05")},
        actor=Actor.of(volunteer),
        now=utcnow(),
    )
    income = next(f for f in facts.assess_dossier(dossier) if f.condition.value == "income")
    assert income.outcome.value == "meets"
    assert "€\u00a018.900,00" in dict(income.numbers)["Inkomen geteld"]


def test_income_record_factory_shape(db):
    record = IncomeRecordFactory()
    assert record.dossier_id == record.person.dossier_id


def test_share_with_helper_respects_withdrawn(db):
    dossier = build_complete_dossier()
    landlord = LandlordFactory()
    share_with(dossier, landlord, withdrawn=True)
    db.session.flush()
    assert not _landlord_sees(dossier.id, landlord.id)


# --- staff reads and the audit trail -------------------------------------------------------------


def _events(db) -> list[tuple]:
    columns = (AuditEvent.action, AuditEvent.user_id, AuditEvent.object_type, AuditEvent.object_id,
               AuditEvent.detail, AuditEvent.ip)
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(AuditEvent.id))]


def test_a_staff_read_of_a_dossier_is_written_with_the_page(db, volunteer):
    dossier = DossierFactory()
    by = Actor.of(volunteer, ip="10.0.0.1")
    assert reads.view_dossier(dossier.id, actor=by, page="dossiers.show") is dossier
    assert reads.view_dossier(dossier.id + 1000, actor=by, page="dossiers.show") is None
    assert _events(db) == [
        ("dossier.viewed", volunteer.id, "dossier", dossier.id, {"page": "dossiers.show"}, "10.0.0.1")
    ]


def test_the_list_of_a_moment_is_a_read_too(db, volunteer):
    dossier = DossierFactory()
    rows = reads.view_dossier_list(DossierFilter(moment_id=dossier.moment_id), page=1, actor=Actor.of(volunteer))
    assert [d.id for d in rows.items] == [dossier.id] and rows.total == 1
    assert _events(db) == [("dossier.list_viewed", volunteer.id, "moment", dossier.moment_id, {}, None)]


def test_entering_income_limits_is_written_with_year_and_source(db, volunteer):
    limit = facts.save_income_limit(
        2026,
        values={"single": Decimal(1), "single_disabled": Decimal(1), "other": Decimal(1), "per_dependant": Decimal(0),
                "source": "Staatsblad"},
        indexation={},
        actor=Actor.of(volunteer, ip="10.0.0.2"),
        now=utcnow(),
    )
    assert _events(db) == [
        ("income_limit.saved", volunteer.id, "income_limit", limit.id, {"year": 2026, "source": "Staatsblad"},
         "10.0.0.2")
    ]
