"""Coordinators' management of the region's landlords."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from inschrijving.accounts.models import Role
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.web import guard_blueprint

bp = Blueprint("landlords", __name__, url_prefix="/beheer/verhuurders")
guard_blueprint(bp, Role.COORDINATOR)


@bp.route("/")
def manage_list():
    """List the region's landlords for coordinators."""
    landlords = db.session.scalars(sa.select(Landlord).order_by(Landlord.name)).all()
    return render_template("landlords/manage_list.html", landlords=landlords)
