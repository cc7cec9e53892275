"""Public pages: the home page, booking a slot and the private manage link."""

from __future__ import annotations

from flask import Blueprint, render_template

from inschrijving.booking import queries
from inschrijving.db_types import utcnow

bp = Blueprint("booking", __name__)


@bp.route("/")
def home():
    """Show what the group registration is and the next moments with free places."""
    moments = queries.list_bookable_moments(now=utcnow())
    return render_template("booking/home.html", moments=moments)
