"""The planning blueprints and the small helpers their views share."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.accounts.services.audit import record_audit
from inschrijving.planning import queries
from inschrijving.planning.models import RegistrationMoment, Slot
from inschrijving.web import client_ip, guard_blueprint, role_required

bp = Blueprint("planning", __name__, url_prefix="/planning")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)

# The calendar feed is fetched by calendar apps without a login; the secret token is the credential.
feed_bp = Blueprint("planning_feed", __name__, url_prefix="/planning")

coordinator_only = role_required(Role.COORDINATOR)


def audit(action: str, object_type: str, object_id: int, **detail) -> None:
    record_audit(
        actor=current_user, action=action, object_type=object_type, object_id=object_id, detail=detail, ip=client_ip()
    )


def moment_or_404(moment_id: int) -> RegistrationMoment:
    moment = queries.get_moment_with_slots(moment_id)
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


def dossier_start_url(booking_id: int) -> str:
    """The link to start a dossier from a booking."""
    return url_for("dossiers.start", booking_id=booking_id)
