"""Editing a planned moment: place and window, and new opening hours that move the people booked."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from inschrijving.accounts.models import AuditEvent
from inschrijving.booking.models import Booking, BookingStatus, WaitlistEntry
from inschrijving.notifications.models import OutboxMessage
from inschrijving.planning.models import MomentStatus, Slot
from inschrijving.planning.services import editing, moments
from inschrijving.planning.services.base import WrongStatus
from tests.planning.conftest import NOW, make_booking


def change(moment, **overrides):
    values = {
        "location_name": moment.location_name,
        "address": moment.address,
        "place_notes": dict(moment.place_notes),
        "blocks": [(b.start_time, b.end_time) for b in moment.blocks],
        "slot_minutes": moment.slot_minutes,
        "booking_opens_at": moment.booking_opens_at,
        "booking_closes_at": moment.booking_closes_at,
    }
    return editing.plan_edit(moment, now=NOW, **{**values, **overrides})


def slot_at(moment, hh, mm=0) -> Slot:
    return next(s for s in moment.slots if s.starts_at.astimezone(moments.BRUSSELS).time() == time(hh, mm))


@pytest.fixture
def booked(db, moment):
    """09:00 full (2), 09:30 one, 10:30 two (both with e-mail); the moment runs 09:00-11:00, 2 desks."""
    people = {
        "early1": make_booking(slot_at(moment, 9), email="early1@example.org"),
        "early2": make_booking(slot_at(moment, 9), email="early2@example.org"),
        "half": make_booking(slot_at(moment, 9, 30), email="half@example.org"),
        "late1": make_booking(slot_at(moment, 10, 30), email="late1@example.org"),
        "late2": make_booking(slot_at(moment, 10, 30), email="late2@example.org"),
    }
    db.session.flush()
    return people


def outcomes(edit) -> dict[int, tuple[str, str | None]]:
    return {
        a.booking.id: (a.outcome, a.new_start.astimezone(moments.BRUSSELS).strftime("%H:%M") if a.new_start else None)
        for a in edit.affected
    }


def test_the_preview_names_exactly_who_keeps_moves_or_loses_their_time(moment, booked):
    edit = change(moment, blocks=[(time(9), time(10))])
    assert outcomes(edit) == {
        booked["early1"].id: ("same_time", "09:00"),
        booked["early2"].id: ("same_time", "09:00"),
        booked["half"].id: ("same_time", "09:30"),
        booked["late1"].id: ("new_time", "09:30"),  # the nearest time with a free seat
        booked["late2"].id: ("no_seat", None),
    }
    assert edit.needs_confirmation and edit.changed_fields == ["blocks"]


def test_confirming_moves_and_unseats_in_one_go_through_the_booking_life_cycle(db, moment, booked, coordinator):
    edit = change(moment, blocks=[(time(9), time(10))])
    editing.apply_edit(edit, actor=coordinator, ip="192.0.2.10", now=NOW, confirmed=edit.fingerprint)
    db.session.flush()
    late1, late2 = booked["late1"], booked["late2"]
    assert late1.slot_id == slot_at(moment, 9, 30).id and late1.status == BookingStatus.BOOKED
    assert late1.sequence == 1
    assert late2.status == BookingStatus.CANCELLED and late2.sequence == 1
    entry = db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.moment_id == moment.id)).one()
    assert entry.email == "late2@example.org" and entry.created_at == late2.created_at
    messages = db.session.scalars(sa.select(OutboxMessage.recipient).order_by(OutboxMessage.recipient)).all()
    assert [m for m in messages if m.startswith("late")] == ["late1@example.org", "late2@example.org"]
    # Seats add up; the withdrawn 10:30 keeps its history with no seats, the empty 10:00 is gone.
    db.session.expire_all()
    times = {s.starts_at.astimezone(moments.BRUSSELS).strftime("%H:%M"): (s.capacity, s.booked) for s in moment.slots}
    assert times == {"09:00": (2, 2), "09:30": (2, 2), "10:30": (0, 0)}
    assert [(b.start_time, b.end_time) for b in moment.blocks] == [(time(9), time(10))]
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "moment.edit")).one()
    assert event.detail["before"]["blocks"] == ["09:00-11:00"] and event.detail["after"]["blocks"] == ["09:00-10:00"]
    assert event.detail["moved"] == [late1.id] and event.detail["unseated"] == [late2.id]


def test_a_stale_or_missing_confirmation_changes_nothing(db, moment, booked, coordinator):
    edit = change(moment, blocks=[(time(9), time(10))])
    make_booking(slot_at(moment, 10), email="meanwhile@example.org")  # lands after the preview
    fresh = change(moment, blocks=[(time(9), time(10))])
    for confirmed in (None, edit.fingerprint):
        with pytest.raises(editing.EditChanged):
            editing.apply_edit(fresh, actor=coordinator, ip=None, now=NOW, confirmed=confirmed)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(Booking.sequence > 0)) == 0
    assert len(moment.slots) == 4 and moment.blocks[0].end_time == time(11)


def test_a_longer_day_keeps_everyone_and_adds_slots(db, moment, booked, coordinator):
    edit = change(moment, blocks=[(time(9), time(12))], location_name="Het Pand", address="Onze-Lieve-Vrouwestraat 1")
    assert not edit.needs_confirmation and {a.outcome for a in edit.affected} == {"same_time"}
    editing.apply_edit(edit, actor=coordinator, ip=None, now=NOW)
    db.session.flush()
    assert len(moment.slots) == 6 and moment.location_name == "Het Pand"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "moment.edit")).one()
    assert event.detail["before"]["location_name"] == "Sociaal Huis Kortrijk"
    assert event.detail["after"]["location_name"] == "Het Pand"


def test_a_withdrawn_time_that_comes_back_gets_its_seats_again(db, moment, booked, coordinator):
    edit = change(moment, blocks=[(time(9), time(10))])
    editing.apply_edit(edit, actor=coordinator, ip=None, now=NOW, confirmed=edit.fingerprint)
    db.session.flush()
    again = change(moment, blocks=[(time(9), time(11))])
    editing.apply_edit(again, actor=coordinator, ip=None, now=NOW)
    db.session.flush()
    db.session.expire_all()
    assert slot_at(moment, 10, 30).capacity == 2 and len(moment.slots) == 4


def test_only_drafts_and_published_moments_can_be_edited(db, moment, coordinator):
    assert moment.can_edit
    moments.close_moment(moment, actor=coordinator, ip=None)
    assert not moment.can_edit
    with pytest.raises(WrongStatus):
        change(moment, location_name="Elders")
    moment.status = MomentStatus.DRAFT
    assert moment.can_edit


def test_a_block_that_does_not_divide_into_whole_slots_says_so(moment):
    edit = change(moment, blocks=[(time(13), time(15, 10))])
    assert edit.plan.remainders == [(time(13), time(15, 10), 10)]
    plan = moments.plan_moment(kind=moment.kind, held_on=moment.held_on, location_name="x", address="y",
                               blocks=[(time(9), time(12))], slot_minutes=30, desks=1, now=NOW)
    assert plan.remainders == []


def test_the_same_window_written_in_brussels_time_is_no_change(moment):
    from inschrijving.planning.services.base import BRUSSELS

    edit = change(moment, booking_opens_at=moment.booking_opens_at.astimezone(BRUSSELS),
                  booking_closes_at=moment.booking_closes_at.astimezone(BRUSSELS), location_name="Het Pand")
    assert edit.changed_fields == ["location_name"]


def test_the_candidate_without_a_seat_is_told_and_knows_they_are_first_on_the_waiting_list(db, moment, booked,
                                                                                              coordinator):
    from inschrijving.notifications.services import message_text

    edit = change(moment, blocks=[(time(9), time(10))])
    editing.apply_edit(edit, actor=coordinator, ip=None, now=NOW, confirmed=edit.fingerprint)
    db.session.flush()
    message = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "late2@example.org")
    ).one()
    assert message.template == "emails/booking_unseated.txt"
    text = message_text(message)
    assert "De openingsuren van de groepsinschrijving zijn veranderd." in text
    assert "U staat vooraan op de wachtlijst." in text
    assert message.attachments[0]["content_type"] == "text/calendar; method=CANCEL"


def test_saving_without_a_change_writes_nothing(db, moment, coordinator):
    edit = change(moment)
    assert edit.changed_fields == [] and not edit.needs_confirmation
    editing.apply_edit(edit, actor=coordinator, ip=None, now=NOW)
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "moment.edit")) == 0


def test_a_candidate_with_only_a_mobile_number_is_told_by_sms(db, moment, booked, coordinator):
    # Issue 18: a phone is a channel too; the cancellation must not be silent for someone without e-mail.
    late2 = booked["late2"]
    late2.email, late2.phone = None, "+32470112233"
    db.session.flush()
    edit = change(moment, blocks=[(time(9), time(10))])
    editing.apply_edit(edit, actor=coordinator, ip=None, now=NOW, confirmed=edit.fingerprint)
    db.session.flush()
    sms = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "+32470112233")).all()
    assert [m.channel for m in sms] == ["sms"]


def test_a_window_kept_to_the_minute_the_form_shows_is_no_change(db, moment):
    # The form writes minutes; a window stored with seconds (the demo's, a script's) must not show as changed.
    from datetime import timedelta as _delta

    moment.booking_opens_at = moment.booking_opens_at.replace(second=0, microsecond=0) + _delta(seconds=37)
    db.session.flush()
    edit = change(moment, booking_opens_at=moment.booking_opens_at.replace(second=0),
                  booking_closes_at=moment.booking_closes_at, location_name="Het Pand")
    assert edit.changed_fields == ["location_name"]
