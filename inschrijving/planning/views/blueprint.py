"""The planning blueprints and their guards, plus the small helpers their views share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import format_time
from flask_babel import gettext as _

from inschrijving.accounts.models import Role
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.planning.queries import moments as moment_queries
from inschrijving.web import guard_blueprint, guard_dossier_scope, role_required

bp = Blueprint("planning", __name__, url_prefix="/planning")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)
# A volunteer opens only the moments they staff (day list, attendance list, new link, walk-in): the same rule
# as for their dossiers (issue 13.7), since a day list names every candidate of the moment.
guard_dossier_scope(bp)

# The calendar feed is fetched by calendar apps without a login; the secret token is the credential.
feed_bp = Blueprint("planning_feed", __name__, url_prefix="/planning")

coordinator_only = role_required(Role.COORDINATOR)


def moment_or_404(moment_id: int) -> RegistrationMoment:
    moment = moment_queries.get_moment_with_slots(moment_id)
    if moment is None:
        abort(404)
    return moment


def slot_label(slot: Slot) -> str:
    return _(
        "%(start)s-%(end)s (%(booked)s van %(capacity)s bezet)",
        start=format_time(slot.starts_at, "HH:mm"),
        end=format_time(slot.ends_at, "HH:mm"),
        booked=slot.booked,
        capacity=slot.capacity,
    )


def slot_choices(slots: list[Slot]) -> list[tuple[int, str]]:
    return [(s.id, slot_label(s)) for s in slots]
