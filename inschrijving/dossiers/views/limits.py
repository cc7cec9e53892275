"""Coordinators enter each registration year's income limits, with their source."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.dossiers.forms.limits import IncomeLimitForm
from inschrijving.dossiers.services import facts
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.extensions import db
from inschrijving.web import client_ip


@bp.before_request
def _coordinators_only_for_limits():
    if (
        request.endpoint == "dossiers.limits"
        and current_user.is_authenticated
        and current_user.role != Role.COORDINATOR
    ):
        abort(403)


@bp.route("/grenzen", methods=["GET", "POST"])
def limits():
    """List the entered years and enter (or correct) one year's limits."""
    year = request.args.get("jaar", type=int)
    existing = facts.get_income_limit(year) if year else None
    data = None
    if existing is not None:
        data = {
            "year": existing.year,
            "single": existing.single,
            "single_disabled": existing.single_disabled,
            "other": existing.other,
            "per_dependant": existing.per_dependant,
            "indexation": "\n".join(f"{k}={v}" for k, v in sorted((existing.indexation or {}).items())),
            "source": existing.source,
        }
    form = IncomeLimitForm(data=data)
    if form.validate_on_submit():
        facts.save_income_limit(
            form.year.data,
            values=form.data,
            indexation=form.parsed_indexation,
            actor=current_user,
            now=utcnow(),
            ip=client_ip(),
        )
        db.session.commit()
        flash(_("De grenzen voor %(year)s zijn bewaard.", year=form.year.data), "success")
        return redirect(url_for("dossiers.limits"))
    return render_template("dossiers/limits.html", form=form, limits=facts.list_income_limits())
