"""The staff blueprint of the intake, behind the coordinator/volunteer guard."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request

from inschrijving.accounts.models import Role
from inschrijving.web import guard_blueprint, guard_dossier_scope

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)
guard_dossier_scope(bp)


@bp.before_request
def refuse_oversized_body():
    """Refuse a body over MAX_CONTENT_LENGTH before any form reads it: nothing of it is spooled to disk."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.method == "POST" and limit and (request.content_length or 0) > limit:
        abort(413)
