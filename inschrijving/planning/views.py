"""Staff pages for planning moments and running the day."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from inschrijving.accounts.models import Role
from inschrijving.extensions import db
from inschrijving.planning.models import RegistrationMoment
from inschrijving.web import guard_blueprint

bp = Blueprint("planning", __name__, url_prefix="/planning")
guard_blueprint(bp, Role.COORDINATOR, Role.VOLUNTEER)


@bp.route("/")
def index():
    """List the registration moments, the next one first."""
    moments = db.session.scalars(
        sa.select(RegistrationMoment).order_by(RegistrationMoment.held_on.desc())
    ).all()
    return render_template("planning/index.html", moments=moments)
