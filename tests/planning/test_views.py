"""Client tests for every planning page: status, redirect, flash, database effect and role refusals."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import BookedBy, Booking, BookingStatus, WaitlistEntry
from inschrijving.extensions import db as _db
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment, Slot
from inschrijving.planning.services import moments, staff
from inschrijving.planning.services import slots as slot_services
from tests.factories.accounts import UserFactory
from tests.planning.conftest import NOW
from tests.query_count import count_queries

BRUSSELS = ZoneInfo("Europe/Brussels")


def actions() -> list[str]:
    return list(_db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def make_moment(coordinator, held_on: date, *, status=MomentStatus.PUBLISHED, blocks=((time(9), time(10)),)):
    moment = moments.create_moment(
        moments.plan_moment(
            kind=MomentKind.REGISTRATION, held_on=held_on, location_name="Zaal", address="Straat 1",
            blocks=list(blocks), slot_minutes=30, desks=2, now=NOW,
            booking_opens_at=slot_services.local_instant(held_on - timedelta(days=60), time(9)),
        ),
        actor=coordinator, ip=None,
    )
    moment.status = status
    return moment


# --- access -------------------------------------------------------------------------------------------------------

PAGES = [
    "/planning/", "/planning/nieuw", "/planning/{id}", "/planning/{id}/reeks", "/planning/{id}/dag",
    "/planning/{id}/capaciteit", "/planning/{id}/statistiek", "/planning/statistiek",
]
COORDINATOR_PAGES = {"/planning/nieuw", "/planning/{id}/reeks", "/planning/{id}/capaciteit"}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_login(client, moment, page):
    response = client.get(page.format(id=moment.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_landlord_is_refused(client, auth, moment, page):
    auth.login(UserFactory(landlord_staff=True))
    assert client.get(page.format(id=moment.id)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_volunteer_sees_the_day_pages_but_not_the_planning_ones(client, auth, moment, volunteer, page):
    auth.login(volunteer)
    expected = 403 if page in COORDINATOR_PAGES else 200
    assert client.get(page.format(id=moment.id)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_coordinator_sees_every_page(client, auth, moment, coordinator, page):
    auth.login(coordinator)
    assert client.get(page.format(id=moment.id)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/planning/{id}/publiceren", "/planning/{id}/sluiten", "/planning/{id}/annuleren",
             "/planning/{id}/medewerkers", "/planning/{id}/reeks", "/planning/{id}/capaciteit",
             "/planning/{id}/capaciteit/verplaats"],
)
def test_volunteer_cannot_change_the_plan(client, auth, moment, volunteer, path):
    auth.login(volunteer)
    assert client.post(path.format(id=moment.id), data={"confirm": "y", "count": "2"}).status_code == 403
    assert moment.status == MomentStatus.PUBLISHED


def test_unknown_moment_is_404(client, auth, coordinator):
    auth.login(coordinator)
    assert client.get("/planning/999999").status_code == 404
    assert client.get("/planning/999999/dag").status_code == 404


# --- index and list query counts ----------------------------------------------------------------------------------


def test_index_lists_upcoming_and_past_with_counts_and_the_feed(client, auth, coordinator, moment, book):
    book(moment.slots[0])
    make_moment(coordinator, date(2025, 6, 10), status=MomentStatus.CLOSED)
    auth.login(coordinator)
    html = client.get("/planning/").get_data(as_text=True)
    assert "Komende momenten" in html and "Voorbije momenten" in html
    assert "1 / 8" in html
    assert f"/planning/agenda/{coordinator.calendar_token}.ics" in html


def _query_count(client, url: str) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/planning/", "/planning/statistiek"])
def test_list_pages_use_a_constant_number_of_queries(client, auth, coordinator, book, url):
    auth.login(coordinator)
    first = make_moment(coordinator, date(2026, 12, 8))
    book(first.slots[0])
    make_moment(coordinator, date(2025, 1, 7), status=MomentStatus.CLOSED)
    _db.session.commit()
    one = _query_count(client, url)
    for k in range(1, 8):
        extra = make_moment(coordinator, date(2027, 1, 5) + timedelta(days=7 * k))
        book(extra.slots[0])
        _db.session.add(WaitlistEntry(moment_id=extra.id, contact_name="W", phone=f"+3247999{k:04d}"))
        past = make_moment(coordinator, date(2025, 1, 7) + timedelta(days=7 * k), status=MomentStatus.CLOSED)
        book(past.slots[1], status=BookingStatus.NO_SHOW)
    _db.session.commit()
    assert _query_count(client, url) == one


def test_day_list_query_count_is_constant(client, auth, coordinator, moment, book):
    auth.login(coordinator)
    book(moment.slots[0])
    _db.session.commit()
    one = _query_count(client, f"/planning/{moment.id}/dag")
    from tests.factories.dossiers import build_complete_dossier

    for slot in moment.slots[1:]:
        book(slot)
        with_dossier = book(slot, status=BookingStatus.CHECKED_IN)
        build_complete_dossier(moment=moment).booking_id = with_dossier.id
    _db.session.commit()
    assert _query_count(client, f"/planning/{moment.id}/dag") == one


def test_capacity_refusal_query_count_is_constant(client, auth, coordinator, book):
    """The 'who must move' listing: the same number of queries for 2 slots as for 14, on GET and on POST."""
    auth.login(coordinator)

    def lowered_to_one(moment) -> tuple[int, int]:
        # The first half of the slots is full (two people each), the rest is empty: everyone has somewhere to go.
        for slot in moment.slots[: len(moment.slots) // 2]:
            book(slot, email=f"a{slot.id}@example.org")
            book(slot)
        _db.session.commit()
        with count_queries() as on_get:
            page = client.get(f"/planning/{moment.id}/capaciteit?slot_id=0&capacity=1")
        assert page.status_code == 200 and "eerst deze afspraken verplaatsen" in page.get_data(as_text=True)
        with count_queries() as on_post:
            page = client.post(f"/planning/{moment.id}/capaciteit", data={"slot_id": "0", "capacity": "1"})
        assert page.status_code == 409 and page.get_data(as_text=True).count('name="booking_id"') == len(
            moment.slots) // 2
        return len(on_get), len(on_post)

    two_slots = make_moment(coordinator, date(2026, 12, 8))
    fourteen_slots = make_moment(coordinator, date(2026, 12, 15), blocks=((time(9), time(16)),))
    assert len(two_slots.slots) == 2 and len(fourteen_slots.slots) == 14
    _db.session.commit()
    assert lowered_to_one(fourteen_slots) == lowered_to_one(two_slots)


# --- create with preview ------------------------------------------------------------------------------------------

FORM = {
    "kind": "registration",
    "held_on": "2027-03-09",
    "location_name": "OCMW Kortrijk",
    "address": "Budastraat 27, 8500 Kortrijk",
    "blocks-0-start": "09:00",
    "blocks-0-end": "12:00",
    "blocks-1-start": "13:00",
    "blocks-1-end": "14:00",
    "blocks-2-start": "",
    "blocks-2-end": "",
    "slot_minutes": "30",
    "desks": "3",
    "booking_opens_at": "",
    "booking_closes_at": "",
    "note_nl": "Ingang via de zijdeur",
    "note_fr": "Entrée par la porte latérale",
}


def moment_count() -> int:
    return _db.session.scalar(sa.select(sa.func.count(RegistrationMoment.id)))


def test_preview_shows_slots_and_saves_nothing(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post("/planning/nieuw", data={**FORM, "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Voorbeeld" in html and "Opslaan" in html
    assert "8 slots, 24 plaatsen in totaal." in html
    assert "09:00–09:30" in html and "13:30–14:00" in html
    assert 'value="OCMW Kortrijk"' in html  # nothing typed is lost
    assert moment_count() == 0


def test_save_creates_a_draft_and_audits(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post("/planning/nieuw", data={**FORM, "action": "save"})
    assert response.status_code == 302
    moment = _db.session.scalar(sa.select(RegistrationMoment))
    assert response.headers["Location"].endswith(f"/planning/{moment.id}")
    assert moment.status == MomentStatus.DRAFT and len(moment.slots) == 8 and moment.desks == 3
    assert moment.place_notes == {"nl": "Ingang via de zijdeur", "fr": "Entrée par la porte latérale"}
    assert moment.booking_closes_at == slot_services.default_booking_closes_at(date(2027, 3, 9))
    assert "moment.create" in actions()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"blocks-0-start": "", "blocks-0-end": "", "blocks-1-start": "", "blocks-1-end": ""},
         "Geef minstens één blok met openingsuren."),
        ({"blocks-1-start": "11:00"}, "Twee blokken overlappen."),
        ({"blocks-1-end": ""}, "Vul beide uren in, of laat beide leeg."),
        ({"slot_minutes": "241"}, "Kies tussen 5 en 240 minuten."),
        ({"location_name": ""}, "Geef de naam van de plaats."),
        ({"booking_closes_at": "2027-03-09T10:00"}, "Het inschrijven moet sluiten voor het eerste slot begint."),
        ({"booking_opens_at": "2027-03-05T10:00", "booking_closes_at": "2027-03-04T10:00"},
         "Het inschrijven moet sluiten na het openen."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, auth, coordinator, change, message):
    auth.login(coordinator)
    response = client.post("/planning/nieuw", data={**FORM, **change, "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'value="Budastraat 27, 8500 Kortrijk"' in html
    assert moment_count() == 0


# --- detail, status changes, staff, series ------------------------------------------------------------------------


def test_detail_shows_slots_notes_and_buttons(client, auth, coordinator, moment):
    moment.place_notes = {"nl": "Lift achteraan"}
    moment.status = MomentStatus.DRAFT
    auth.login(coordinator)
    html = client.get(f"/planning/{moment.id}").get_data(as_text=True)
    assert "09:00–09:30" in html and "10:30–11:00" in html
    assert "Lift achteraan" in html and "Publiceren" in html and "Moment annuleren" in html


def test_publish_and_close(client, auth, coordinator, moment):
    moment.status = MomentStatus.DRAFT
    auth.login(coordinator)
    assert client.post(f"/planning/{moment.id}/publiceren").status_code == 302
    assert moment.status == MomentStatus.PUBLISHED
    client.post(f"/planning/{moment.id}/sluiten")
    assert moment.status == MomentStatus.CLOSED
    response = client.post(f"/planning/{moment.id}/sluiten", follow_redirects=True)
    assert "Dat kan niet in deze fase van het moment." in response.get_data(as_text=True)
    assert actions()[-2:] == ["moment.publish", "moment.close"]


def test_cancel_needs_confirmation_then_tells_everyone(client, auth, coordinator, moment, book):
    booking = book(moment.slots[0], email="amina@example.org")
    auth.login(coordinator)
    client.post(f"/planning/{moment.id}/annuleren", data={})
    assert moment.status == MomentStatus.PUBLISHED
    response = client.post(f"/planning/{moment.id}/annuleren", data={"confirm": "y"}, follow_redirects=True)
    assert "1 afspraken zijn geannuleerd" in response.get_data(as_text=True)
    assert moment.status == MomentStatus.CANCELLED and booking.status == BookingStatus.CANCELLED
    assert _db.session.scalar(sa.select(OutboxMessage.recipient)) == "amina@example.org"
    assert "moment.cancel" in actions()


def test_staff_assignment(client, auth, coordinator, moment, volunteer):
    auth.login(coordinator)
    client.post(f"/planning/{moment.id}/medewerkers", data={"user_ids": [str(volunteer.id)]})
    assert moment.staff == [volunteer]
    assert "Vic Vrijwilliger" in client.get(f"/planning/{moment.id}").get_data(as_text=True)
    assert "moment.staff" in actions()


def test_series_preview_and_create(client, auth, coordinator, moment):
    auth.login(coordinator)
    html = client.get(f"/planning/{moment.id}/reeks").get_data(as_text=True)
    assert "dinsdag 9 februari 2027" in html
    response = client.post(f"/planning/{moment.id}/reeks", data={"count": "2"})
    assert response.status_code == 302
    held = _db.session.scalars(
        sa.select(RegistrationMoment.held_on).where(RegistrationMoment.status == MomentStatus.DRAFT)
    ).all()
    assert sorted(held) == [date(2027, 2, 9), date(2027, 4, 13)]
    response = client.post(f"/planning/{moment.id}/reeks", data={"count": "40"})
    assert "Kies tussen 1 en 12." in response.get_data(as_text=True)


# --- the day list -------------------------------------------------------------------------------------------------


def test_day_list_shows_who_comes_and_audits_the_read(client, auth, volunteer, moment, book):
    book(moment.slots[0], name="Fatima El Amrani", language="ar", household_size=5, needs_interpreter=True,
         interpreter_language="Arabisch", booked_by=BookedBy.SOCIAL_WORKER, social_worker_name="Sara",
         social_worker_organisation="CAW Zuid-West-Vlaanderen")
    auth.login(volunteer)
    html = client.get(f"/planning/{moment.id}/dag").get_data(as_text=True)
    for text in ("Fatima El Amrani", "العربية", "Tolk: Arabisch", ">5<", "CAW Zuid-West-Vlaanderen", "Aanmelden"):
        assert text in html
    assert "moment.day_list_view" in actions()


def test_day_list_links_the_dossier_and_shows_each_landlords_status(client, auth, volunteer, moment, book):
    from inschrijving.dossiers.enums import ChoiceStatus
    from tests.factories.dossiers import build_complete_dossier

    booking = book(moment.slots[0], status=BookingStatus.CHECKED_IN)
    dossier = build_complete_dossier(moment=moment)
    dossier.booking_id = booking.id
    dossier.landlord_choices[0].status = ChoiceStatus.REGISTERED
    _db.session.commit()
    auth.login(volunteer)
    html = client.get(f"/planning/{moment.id}/dag").get_data(as_text=True)
    assert f"/dossiers/{dossier.id}" in html and "Dossier openen" in html
    assert f"{dossier.landlord_choices[0].landlord.name}: Ingeschreven" in html


def test_volunteer_revokes_and_reissues_a_manage_link(client, auth, volunteer, moment, book):
    from inschrijving.booking import queries
    from inschrijving.booking.services import tokens

    booking = book(moment.slots[0], email="amal@example.org")
    old_token = tokens.rotate_token(booking)
    _db.session.commit()
    auth.login(volunteer)
    first = client.post(f"/planning/{moment.id}/dag/{booking.id}/nieuwe-link")
    assert "werkt meteen niet meer" in first.get_data(as_text=True)  # asks first: the old link still works
    assert queries.get_booking_by_token(old_token).id == booking.id
    response = client.post(f"/planning/{moment.id}/dag/{booking.id}/nieuwe-link", data={"confirmed": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_token = re.search(r"/afspraak/([A-Za-z0-9_-]{40,})", html).group(1)
    assert new_token != old_token
    assert queries.get_booking_by_token(old_token) is None
    assert queries.get_booking_by_token(new_token).id == booking.id
    assert _db.session.scalar(sa.select(OutboxMessage.recipient)) == "amal@example.org"
    assert "booking.link_reissued" in actions()


def test_check_in_no_show_undo_through_the_page(client, auth, volunteer, moment, book):
    booking = book(moment.slots[0])
    auth.login(volunteer)
    base = f"/planning/{moment.id}/dag/{booking.id}"
    assert client.post(f"{base}/aanwezig", data={"confirmed": "1"}).status_code == 302
    assert booking.status == BookingStatus.CHECKED_IN
    html = client.get(f"/planning/{moment.id}/dag").get_data(as_text=True)
    assert f"/dossiers/start/{booking.id}" in html and "Dossier starten" in html
    client.post(f"{base}/ongedaan")
    assert booking.status == BookingStatus.BOOKED
    client.post(f"{base}/niet-gekomen", data={"confirmed": "1"})
    assert booking.status == BookingStatus.NO_SHOW and moment.slots[0].booked == 0
    response = client.post(f"{base}/niet-gekomen", data={"confirmed": "1"}, follow_redirects=True)
    assert "Dat kan niet meer voor deze afspraak." in response.get_data(as_text=True)
    assert [a for a in actions() if a.startswith("booking.")] == [
        "booking.check_in", "booking.undo_attendance", "booking.no_show"
    ]


def test_attendance_for_a_booking_of_another_moment_is_404(client, auth, volunteer, coordinator, moment, book):
    other = make_moment(coordinator, date(2027, 1, 12))
    booking = book(other.slots[0])
    auth.login(volunteer)
    assert client.post(f"/planning/{moment.id}/dag/{booking.id}/aanwezig").status_code == 404


def test_walk_in_into_a_free_seat(client, auth, volunteer, moment):
    auth.login(volunteer)
    slot = moment.slots[1]
    data = {"slot_id": str(slot.id), "contact_name": "Binnenloper", "language": "tr", "household_size": "3"}
    assert client.post(f"/planning/{moment.id}/dag/walk-in", data=data).status_code == 302
    walk_in = _db.session.scalar(sa.select(Booking).where(Booking.is_walk_in.is_(True)))
    assert walk_in.slot_id == slot.id and walk_in.status == BookingStatus.CHECKED_IN and slot.booked == 1


def test_walk_in_into_a_full_slot_is_refused_for_volunteers_even_when_asking(client, auth, volunteer, moment, book):
    slot = moment.slots[0]
    book(slot)
    book(slot)
    auth.login(volunteer)
    data = {"slot_id": str(slot.id), "contact_name": "Te veel", "language": "nl", "household_size": "1",
            "over_capacity": "y"}
    response = client.post(f"/planning/{moment.id}/dag/walk-in", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Dit slot is vol. Kies een ander slot." in html
    assert 'value="Te veel"' in html
    assert (slot.capacity, slot.booked) == (2, 2)


def test_coordinator_adds_a_walk_in_over_capacity_and_it_is_recorded(client, auth, coordinator, moment, book):
    slot = moment.slots[0]
    book(slot)
    book(slot)
    auth.login(coordinator)
    data = {"slot_id": str(slot.id), "contact_name": "Toch", "language": "nl", "household_size": "1",
            "over_capacity": "y"}
    assert client.post(f"/planning/{moment.id}/dag/walk-in", data=data).status_code == 302
    _db.session.expire_all()
    slot = _db.session.get(Slot, slot.id)
    assert (slot.capacity, slot.booked) == (3, 3)
    assert "slot.capacity_raised_for_walk_in" in actions()


def test_toch_toevoegen_with_a_seat_still_free_does_not_grow_the_slot(client, auth, coordinator, moment, book):
    slot = moment.slots[0]
    book(slot)
    auth.login(coordinator)
    data = {"slot_id": str(slot.id), "contact_name": "Voor de zekerheid", "language": "nl", "household_size": "1",
            "over_capacity": "y"}
    assert client.post(f"/planning/{moment.id}/dag/walk-in", data=data).status_code == 302
    _db.session.expire_all()
    slot = _db.session.get(Slot, slot.id)
    assert (slot.capacity, slot.booked) == (2, 2)
    assert "booking.walk_in" in actions() and "slot.capacity_raised_for_walk_in" not in actions()


# --- capacity -----------------------------------------------------------------------------------------------------


def test_capacity_refusal_lists_who_must_move_then_move_then_lower(client, auth, coordinator, moment, book):
    slot = moment.slots[0]
    book(slot, name="Blijft")
    mover = book(slot, name="Moet Verhuizen", phone="+32470123456")
    auth.login(coordinator)
    response = client.post(f"/planning/{moment.id}/capaciteit", data={"slot_id": str(slot.id), "capacity": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "eerst deze afspraken verplaatsen" in html and "Moet Verhuizen" in html and "+32470123456" in html
    assert "Blijft" not in html.split("refusal-title")[1].split("</section>")[0]
    assert _db.session.get(Slot, slot.id).capacity == 2

    target = moment.slots[2]
    response = client.post(
        f"/planning/{moment.id}/capaciteit/verplaats",
        data={"booking_id": str(mover.id), "slot_id": str(target.id), "pending_slot_id": str(slot.id),
              "pending_capacity": "1"},
    )
    assert response.headers["Location"].endswith(f"/planning/{moment.id}/capaciteit?slot_id={slot.id}&capacity=1")
    _db.session.expire_all()
    assert _db.session.get(Booking, mover.id).slot_id == target.id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Iedereen past nu." in html and 'value="1"' in html

    response = client.post(f"/planning/{moment.id}/capaciteit", data={"slot_id": str(slot.id), "capacity": "1"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Slot, slot.id).capacity == 1
    assert actions()[-2:] == ["booking.move_by_staff", "slot.capacity_change"]


def test_pending_change_after_a_move_still_lists_who_is_left(client, auth, coordinator, moment, book):
    slot = moment.slots[0]
    book(slot, name="Eerste")
    book(slot, name="Tweede")
    auth.login(coordinator)
    response = client.get(f"/planning/{moment.id}/capaciteit?slot_id={slot.id}&capacity=0")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Eerste" in html and "Tweede" in html
    assert 'name="pending_capacity" value="0"' in html


def test_capacity_for_all_slots(client, auth, coordinator, moment):
    auth.login(coordinator)
    client.post(f"/planning/{moment.id}/capaciteit", data={"slot_id": "0", "capacity": "1"})
    _db.session.expire_all()
    assert {s.capacity for s in _db.session.scalars(sa.select(Slot))} == {1}


def test_move_into_a_full_slot_is_refused(client, auth, coordinator, moment, book):
    booking = book(moment.slots[0])
    book(moment.slots[1])
    book(moment.slots[1])
    auth.login(coordinator)
    response = client.post(f"/planning/{moment.id}/capaciteit/verplaats",
                           data={"booking_id": str(booking.id), "slot_id": str(moment.slots[1].id)},
                           follow_redirects=True)
    assert "Dat slot is intussen vol." in response.get_data(as_text=True)
    assert booking.slot_id == moment.slots[0].id


# --- statistics ---------------------------------------------------------------------------------------------------


def test_statistics_table_and_svg(client, auth, volunteer, moment, book):
    book(moment.slots[0], status=BookingStatus.CHECKED_IN)
    book(moment.slots[0], status=BookingStatus.NO_SHOW)
    cancelled = book(moment.slots[1])
    cancelled.status = BookingStatus.CANCELLED
    _db.session.add(WaitlistEntry(moment_id=moment.id, contact_name="W", phone="+32470999999"))
    auth.login(volunteer)
    for url in (f"/planning/{moment.id}/statistiek", "/planning/statistiek"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert "<svg" in html and "<rect" in html and "style=" not in html
        assert "<td>2</td><td>1</td><td>1</td><td>1</td><td>1</td>" in html
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


# --- staff calendar feed ------------------------------------------------------------------------------------------


def test_feed_parses_with_icalendar_and_ics_at_brussels_wall_clock(client, coordinator, volunteer):
    # One moment on each DST change day, plus a winter one; the volunteer staffs all three.
    march = make_moment(coordinator, date(2027, 3, 28), blocks=[(time(1), time(4))])
    october = make_moment(coordinator, date(2026, 10, 25), blocks=[(time(1), time(4))])
    winter = make_moment(coordinator, date(2026, 12, 8), blocks=[(time(9), time(12)), (time(13), time(16))])
    draft = make_moment(coordinator, date(2027, 1, 12), status=MomentStatus.DRAFT)
    for m in (march, october, winter, draft):
        staff.set_staff(m, [volunteer.id], actor=coordinator, ip=None)
    _db.session.commit()

    response = client.get(f"/planning/agenda/{volunteer.calendar_token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data()

    cal = icalendar.Calendar.from_ical(body)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 3
    expected = {
        march.id: (datetime(2027, 3, 28, 1, 0), datetime(2027, 3, 28, 4, 0), timedelta(hours=2)),
        october.id: (datetime(2026, 10, 25, 1, 0), datetime(2026, 10, 25, 4, 0), timedelta(hours=4)),
        winter.id: (datetime(2026, 12, 8, 9, 0), datetime(2026, 12, 8, 16, 0), timedelta(hours=7)),
    }
    for moment_id, (start, end, length) in expected.items():
        event = events[f"moment-{moment_id}@localhost"]
        dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert dtstart.replace(tzinfo=None) == start and dtend.replace(tzinfo=None) == end
        # Same-zone subtraction in Python is wall-clock arithmetic; real length needs UTC.
        assert dtend.astimezone(UTC) - dtstart.astimezone(UTC) == length

    parsed = ics.Calendar(body.decode())
    by_uid = {e.uid: e for e in parsed.events}
    for moment_id, (start, end, length) in expected.items():
        event = by_uid[f"moment-{moment_id}@localhost"]
        begin = event.begin.to("Europe/Brussels")
        finish = event.end.to("Europe/Brussels")
        assert begin.naive == start and finish.naive == end
        assert finish.to("UTC") - begin.to("UTC") == length
        assert "Zaal" in event.location


def test_feed_stays_dutch_for_a_french_calendar_app(client, coordinator, moment):
    _db.session.commit()
    body = client.get(
        f"/planning/agenda/{coordinator.calendar_token}.ics", headers={"Accept-Language": "fr-BE,fr;q=0.9"}
    ).get_data()
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Groepsinschrijving: Sociaal Huis Kortrijk"


def test_coordinator_feed_lists_every_published_moment(client, coordinator, moment):
    make_moment(coordinator, date(2027, 1, 12), status=MomentStatus.DRAFT)
    _db.session.commit()
    body = client.get(f"/planning/agenda/{coordinator.calendar_token}.ics").get_data()
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")] == [
        f"moment-{moment.id}@localhost"
    ]


def test_renewing_the_feed_link_retires_the_old_one(client, auth, volunteer):
    old = volunteer.calendar_token
    auth.login(volunteer)
    response = client.post("/planning/agenda/nieuwe-link")
    assert response.status_code == 302
    assert volunteer.calendar_token != old and len(volunteer.calendar_token) >= 32
    assert client.get(f"/planning/agenda/{old}.ics").status_code == 404
    assert client.get(f"/planning/agenda/{volunteer.calendar_token}.ics").status_code == 200
    assert "user.calendar_token_renewed" in actions()


def test_unknown_or_landlord_token_is_404(client, db):
    landlord_user = UserFactory(landlord_staff=True)
    assert client.get("/planning/agenda/does-not-exist.ics").status_code == 404
    assert client.get(f"/planning/agenda/{landlord_user.calendar_token}.ics").status_code == 404
