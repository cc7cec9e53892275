"""The staff blueprint of the intake, behind the coordinator/volunteer guard."""

from __future__ import annotations

from flask import Blueprint

from inschrijving.accounts.models import Role
from inschrijving.web import guard_blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)
