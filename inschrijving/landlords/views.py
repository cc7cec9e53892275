"""Coordinators' management of the region's landlords."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords import queries, services
from inschrijving.landlords.forms import KIND_LABELS, LandlordForm
from inschrijving.landlords.models import Landlord
from inschrijving.web import client_ip, guard_blueprint, to_local

bp = Blueprint("landlords", __name__, url_prefix="/beheer/verhuurders")
guard_blueprint(bp, Role.COORDINATOR)


def _form_choices() -> dict:
    return {
        "municipalities": queries.list_municipalities(),
        "sub_municipalities": queries.list_sub_municipalities(),
        "landlords": queries.list_landlords(),
    }


@bp.route("/")
def manage_list():
    """List the region's landlords with the municipalities they serve."""
    return render_template(
        "landlords/manage_list.html",
        landlords=queries.list_landlords(),
        kind_labels=KIND_LABELS,
        today=to_local(utcnow()).date(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
def manage_create():
    """Add a landlord."""
    form = LandlordForm(**_form_choices())
    if form.validate_on_submit():
        try:
            landlord = services.create_landlord(form.to_data(), actor=current_user, ip=client_ip())
        except services.LandlordError as exc:
            form.add_service_error(exc)
        else:
            db.session.commit()
            flash(_("Verhuurder %(name)s is toegevoegd.", name=landlord.name), "success")
            return redirect(url_for("landlords.manage_list"))
    return render_template("landlords/manage_form.html", form=form, landlord=None)


@bp.route("/<int:landlord_id>/bewerken", methods=["GET", "POST"])
def manage_edit(landlord_id: int):
    """Change a landlord's details, municipalities or active period."""
    landlord = db.get_or_404(Landlord, landlord_id)
    form = LandlordForm(landlord=landlord, **_form_choices())
    if form.validate_on_submit():
        try:
            changes = services.update_landlord(landlord, form.to_data(), actor=current_user, ip=client_ip())
        except services.LandlordError as exc:
            # Raised before anything is assigned, so the landlord is still as it was.
            form.add_service_error(exc)
        else:
            db.session.commit()
            if changes:
                flash(_("De gegevens van %(name)s zijn bewaard.", name=landlord.name), "success")
            else:
                flash(_("Er was niets gewijzigd."), "info")
            return redirect(url_for("landlords.manage_list"))
    return render_template("landlords/manage_form.html", form=form, landlord=landlord)
