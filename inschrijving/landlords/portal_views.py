"""The landlord portal: the moments and dossiers that chose this landlord, packets and exports."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord
from inschrijving.web import guard_blueprint

bp = Blueprint("portal", __name__, url_prefix="/verhuurder")
guard_blueprint(bp, Role.LANDLORD)


@bp.route("/")
def home():
    """Show the landlord's home: the moments whose dossiers chose this landlord."""
    landlord = db.session.get(Landlord, current_user.landlord_id)
    return render_template("landlords/portal.html", landlord=landlord)
