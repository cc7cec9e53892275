"""The day list as staff open it: who comes per slot, and every opening of it audited (it shows personal data).

Checking in, no-shows, undo and walk-ins change bookings: they are `booking.services.lifecycle`'s.
"""

from __future__ import annotations

from inschrijving.accounts.models import User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.planning.models import RegistrationMoment
from inschrijving.planning.queries import day as day_queries


def open_day_list(
    moment: RegistrationMoment, *, actor: User, ip: str | None, day_filter: day_queries.DayFilter | None = None,
    printed: bool = False,
) -> day_queries.DayList:
    """The moment's day list (`day_queries.day_list`), with the audit event its reading (or printing) leaves."""
    account_audit.record_audit(actor=actor, action="moment.day_list_print" if printed else "moment.day_list_view",
                               object_type="moment", object_id=moment.id, ip=ip)
    return day_queries.day_list(moment, day_filter)
