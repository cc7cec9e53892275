"""Coordinators enter each registration year's income limits, with their source."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.dossiers import queries
from inschrijving.dossiers.forms.limits import IncomeLimitForm
from inschrijving.dossiers.services import facts
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.extensions import db
from inschrijving.web import current_actor, role_required


@bp.route("/grenzen", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def limits():
    """List the entered years and enter (or correct) one year's limits."""
    year = request.args.get("jaar", type=int)
    form = IncomeLimitForm(existing=facts.get_income_limit(year) if year else None, year=year)
    if form.validate_on_submit():
        facts.save_income_limit(
            form.year.data, values=form.data, indexation=form.parsed_indexation, actor=current_actor(), now=utcnow()
        )
        db.session.commit()
        flash(_("De grenzen voor %(year)s zijn bewaard.", year=form.year.data), "success")
        return redirect(url_for("dossiers.limits"))
    limits = facts.list_income_limits()
    this_year = utcnow().year
    missing = queries.years_without_limits({this_year, this_year + 1})
    return render_template("dossiers/limits.html", form=form, limits=limits, missing_years=missing)
