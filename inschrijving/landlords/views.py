"""The landlord portal and the coordinators' landlord management."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.web import role_required

bp = Blueprint("landlords", __name__)


@bp.route("/verhuurder/")
@role_required(Role.LANDLORD)
def portal():
    """Show the landlord's home: the moments whose dossiers chose this landlord."""
    landlord = db.session.get(Landlord, current_user.landlord_id)
    return render_template("landlords/portal.html", landlord=landlord)


@bp.route("/beheer/verhuurders/")
@role_required(Role.COORDINATOR)
def manage_list():
    """List the region's landlords for coordinators."""
    landlords = db.session.scalars(sa.select(Landlord).order_by(Landlord.name)).all()
    return render_template("landlords/manage_list.html", landlords=landlords)
