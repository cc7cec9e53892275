"""The /check page: a few questions, and per condition what the answers mean."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from inschrijving.db_types import utcnow
from inschrijving.dossiers.check import services
from inschrijving.dossiers.check.forms import CheckForm
from inschrijving.dossiers.eligibility.rules import default_income_year
from inschrijving.web import to_local

bp = Blueprint("eligibility_check", __name__)


@bp.route("/check")
def check():
    """Ask a few questions and explain, per condition, what the answers mean. Nothing is stored."""
    # Any answer (even an empty one: the form always sends its number fields) means "submitted": validate it,
    # so a missing first answer shows an error and keeps the rest. Only ?lang= alone is a fresh form.
    answered = bool(set(request.args) - {"lang"})
    form = CheckForm(request.args if answered else None)
    today = to_local(utcnow()).date()
    result = services.assess_answers(form.data, today) if answered and form.validate() else None
    return render_template("dossiers/check.html", form=form, result=result, year=today.year,
                           income_year=default_income_year(today))
