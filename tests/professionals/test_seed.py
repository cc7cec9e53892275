"""The demo shows the whole professionals' path: an upcoming published info moment with registrations, and a
social worker's two clients without contact booked on one day with one work phone."""

from __future__ import annotations

import sqlalchemy as sa

from inschrijving.booking.models import Booking, ContactChannel
from inschrijving.db_types import utcnow
from inschrijving.planning.models import MomentKind, MomentStatus, RegistrationMoment
from inschrijving.professionals import queries
from tests.test_seed import logins_file, run_seed  # noqa: F401 - the fixture is used by name


def test_the_demo_has_an_open_info_moment_with_registrations(db, app, logins_file):  # noqa: F811
    run_seed(app)
    [info] = db.session.scalars(sa.select(RegistrationMoment).where(RegistrationMoment.kind == MomentKind.INFO)).all()
    assert info.status == MomentStatus.PUBLISHED and info.held_on > utcnow().date()
    [session] = queries.list_upcoming_info_moments(now=utcnow())
    registrations = queries.list_registrations(info.id)
    assert len(registrations) >= 3 and len({b.organisation for b in registrations}) >= 3
    assert session.slot.booked == sum(b.seats for b in registrations) < session.slot.capacity
    clients = db.session.scalars(sa.select(Booking).where(Booking.contact_channel == ContactChannel.BOOKER)).all()
    assert len(clients) == 2 and len({(c.moment_id, c.phone) for c in clients}) == 1
    assert len({c.client_key for c in clients}) == 2
