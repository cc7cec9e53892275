"""The edit page of a moment, and the new-moment form starting from the last moment."""

from __future__ import annotations

import sqlalchemy as sa

from inschrijving.booking.models import BookingStatus
from inschrijving.planning.models import RegistrationMoment
from tests.planning.conftest import make_booking
from tests.planning.test_editing import slot_at


def form_of(moment, **overrides) -> dict:
    data = {
        "location_name": moment.location_name,
        "address": moment.address,
        "blocks-0-start": "09:00", "blocks-0-end": "11:00",
        "blocks-1-start": "", "blocks-1-end": "", "blocks-2-start": "", "blocks-2-end": "",
        "slot_minutes": "30",
        "booking_opens_at": "", "booking_closes_at": "",
        "note_nl": "Ingang via de zijdeur",
    }
    return {**data, **overrides}


def html(response) -> str:
    return response.get_data(as_text=True)


def test_the_edit_page_starts_from_the_moment(client, auth, coordinator, moment):
    auth.login(coordinator)
    page = html(client.get(f"/planning/{moment.id}/bewerken"))
    assert 'value="Sociaal Huis Kortrijk"' in page and 'value="09:00"' in page and 'value="11:00"' in page


def test_a_volunteer_may_not_edit(client, auth, volunteer, moment):
    auth.login(volunteer)
    assert client.get(f"/planning/{moment.id}/bewerken").status_code == 403


def test_a_new_place_is_saved_at_once_when_nobody_moves(db, client, auth, coordinator, moment):
    auth.login(coordinator)
    response = client.post(f"/planning/{moment.id}/bewerken",
                           data={**form_of(moment, location_name="Het Pand"), "action": "save"})
    assert response.status_code == 302
    assert db.session.get(RegistrationMoment, moment.id).location_name == "Het Pand"


def test_new_hours_show_who_moves_and_move_them_only_after_confirming(db, client, auth, coordinator, moment):
    late = make_booking(slot_at(moment, 10, 30), name="Lotte Laat", email="lotte@example.org")
    db.session.commit()
    auth.login(coordinator)
    shorter = form_of(moment, **{"blocks-0-end": "10:00"})
    page = html(client.post(f"/planning/{moment.id}/bewerken", data={**shorter, "action": "save"}))
    assert "Kijk hieronder wie, en bevestig dan." in page
    assert "Lotte Laat" in page and "nieuw uur: 09:30" in page
    db.session.refresh(late)
    assert late.slot_id == slot_at(moment, 10, 30).id and late.sequence == 0  # nothing moved yet
    fingerprint = page.split('name="confirmed" value="')[1].split('"')[0]
    response = client.post(f"/planning/{moment.id}/bewerken",
                           data={**shorter, "action": "save", "confirmed": fingerprint})
    assert response.status_code == 302
    db.session.refresh(late)
    assert late.slot_id == slot_at(moment, 9, 30).id and late.sequence == 1 and late.status == BookingStatus.BOOKED


def test_the_preview_warns_about_minutes_that_hold_no_slot(client, auth, coordinator, moment):
    auth.login(coordinator)
    data = form_of(moment, **{"blocks-0-start": "13:00", "blocks-0-end": "15:10", "action": "preview"})
    page = html(client.post(f"/planning/{moment.id}/bewerken", data=data))
    assert "de laatste 10 minuten krijgen geen slot" in page


def test_the_new_moment_form_warns_about_minutes_that_hold_no_slot(client, auth, coordinator):
    from tests.planning.test_views import FORM

    auth.login(coordinator)
    data = {**FORM, "blocks-0-start": "13:00", "blocks-0-end": "15:10", "blocks-1-start": "", "blocks-1-end": "",
            "action": "preview"}
    page = html(client.post("/planning/nieuw", data=data))
    assert "Het blok 13:00–15:10 gaat niet op in hele slots van 30 minuten: de laatste 10 minuten" in page


def test_a_new_moment_starts_from_the_last_moments_place_notes_blocks_and_desks(client, auth, coordinator, moment):
    auth.login(coordinator)
    moment.place_notes = {"nl": "Ingang via de zijdeur"}
    moment.desks = 5
    page = html(client.get("/planning/nieuw"))
    assert 'value="Sociaal Huis Kortrijk"' in page and 'value="Budastraat 27, 8500 Kortrijk"' in page
    assert 'value="09:00"' in page and 'value="11:00"' in page and 'value="5"' in page
    assert "Ingang via de zijdeur" in page
    assert "komen van het vorige moment" in page


def test_a_closed_moment_cannot_be_edited(db, client, auth, coordinator, moment):
    from inschrijving.planning.models import MomentStatus

    moment.status = MomentStatus.CLOSED
    db.session.commit()
    auth.login(coordinator)
    response = client.get(f"/planning/{moment.id}/bewerken")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(RegistrationMoment.location_name)) == "Sociaal Huis Kortrijk"
