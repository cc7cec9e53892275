"""An info moment on the day: the attendance list (audited, it shows personal data) and walk-in professionals.

Checking in, no-shows and undo are the booking life cycle's (`booking.services.lifecycle`), which moves
every seat of a registration at once (`Booking.seats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.booking.models import BookedBy, Booking, BookingStatus
from inschrijving.booking.services import new_booking, seats
from inschrijving.booking.services.base import ContactDetails, MomentNotRunning, SlotFull
from inschrijving.booking.services.seats import SeatTarget
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.professionals import queries


@dataclass(frozen=True)
class AttendanceList:
    registrations: list[Booking]

    @property
    def expected_attendees(self) -> int:
        return sum(b.seats for b in self.registrations if b.is_live)

    @property
    def present_attendees(self) -> int:
        return sum(b.seats for b in self.registrations if b.status == BookingStatus.CHECKED_IN)

    @property
    def no_show_attendees(self) -> int:
        return sum(b.seats for b in self.registrations if b.is_no_show)

    @property
    def organisations(self) -> int:
        return len({(b.organisation or "").casefold() for b in self.registrations if b.is_live and b.organisation})


def open_attendance_list(moment: RegistrationMoment, *, actor: Actor) -> AttendanceList:
    """The registrations that are not cancelled, with the audit event their reading leaves."""
    audit(actor, "moment.attendance_list_view", object_type="moment", object_id=moment.id)
    return AttendanceList(queries.list_registrations(moment.id))


def add_walk_in(slot: Slot, *, contact_name: str, organisation: str, attendees: int, actor: Actor,
                may_add_seats: bool, now: datetime) -> Booking:
    """Seat a professional who came without registering, checked in at once.

    A full session takes them only by the explicit choice of someone who may add seats (a coordinator):
    the seats they need are added, then taken, each step atomic.

    :raises SlotFull: not enough seats and no seats may be added.
    :raises MomentNotRunning: a draft or cancelled moment.
    """
    if not slot.moment.takes_walk_ins:
        raise MomentNotRunning(slot.moment_id)
    try:
        seats.take_seat(slot.id, attendees)
    except SlotFull:
        if not may_add_seats or not seats.set_capacity(slot.id, max(slot.capacity, slot.booked + attendees)):
            raise
        seats.take_seat(slot.id, attendees)
        audit(actor, "slot.capacity_raised_for_walk_in", object_type="slot", object_id=slot.id)
    details = ContactDetails(contact_name=contact_name.strip(), organisation=organisation.strip(), seats=attendees,
                             booked_by=BookedBy.SOCIAL_WORKER)
    issued = new_booking.insert_booking(SeatTarget.of(slot), details=details, now=now, take_seat_first=False,
                                        notify=False, status=BookingStatus.CHECKED_IN, is_walk_in=True,
                                        checked_in_at=now, reminder_sent_at=None)
    audit(actor, "booking.walk_in", object_type="booking", object_id=issued.booking_id)
    return issued.booking
