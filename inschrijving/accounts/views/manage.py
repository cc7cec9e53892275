"""Coordinators' management of staff users, and the audit log viewer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from inschrijving.accounts import labels, queries
from inschrijving.accounts.forms import ROLE_LABELS, AuditFilterForm, CreateUserForm, EditUserForm
from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import two_factor, users
from inschrijving.accounts.views.blueprint import bp
from inschrijving.db_types import utcnow
from inschrijving.dossiers import queries as dossier_queries
from inschrijving.extensions import db
from inschrijving.web import current_actor, role_required

coordinator_only = role_required(Role.COORDINATOR)


def _reset_link_page(user: User, *, created: bool):
    """Issue a one-time link and show it; it is never shown again, only its hash is kept."""
    valid_for = timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    token = users.issue_reset_link(user, actor=current_actor(), now=utcnow(), valid_for=valid_for)
    link = url_for("accounts.reset_password", token=token, _external=True)
    page = render_template("accounts/reset_link.html", user=user, link=link, created=created,
                           hours=current_app.config["PASSWORD_RESET_HOURS"])
    db.session.commit()
    return page


@bp.route("/beheer/gebruikers/", endpoint="users")
@coordinator_only
def list_users():
    """List staff users for coordinators."""
    return render_template("accounts/users.html", users=queries.list_users(), role_labels=ROLE_LABELS)


@bp.route("/beheer/gebruikers/nieuw", methods=["GET", "POST"])
@coordinator_only
def create_user():
    """Create a staff user and hand over a one-time link to choose a password."""
    form = CreateUserForm(landlord_choices=queries.list_landlord_choices())
    if form.validate_on_submit():
        try:
            user = users.create_user(email=form.email.data, name=form.name.data, role=Role(form.role.data),
                                     landlord_id=form.landlord_id.data, actor=current_actor())
        except users.EmailTaken:
            form.email.errors.append(_("Er is al een account met dit e-mailadres."))
        else:
            return _reset_link_page(user, created=True)
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/beheer/gebruikers/<int:user_id>", methods=["GET", "POST"])
@coordinator_only
def edit_user(user_id: int):
    """Change a user's name, role, landlord or whether the account may log in."""
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user, landlord_choices=queries.list_landlord_choices())
    if form.validate_on_submit():
        try:
            users.update_user(user, actor=current_actor(), name=form.name.data, role=Role(form.role.data),
                              landlord_id=form.landlord_id.data, is_enabled=form.is_enabled.data)
        except users.CannotChangeOwnAccess:
            form.role.errors.append(_("U kunt uw eigen rol niet wijzigen en uw eigen account niet uitschakelen."))
        else:
            db.session.commit()
            flash(_("De gegevens van %(name)s zijn bewaard.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=user)


@bp.route("/beheer/gebruikers/<int:user_id>/uitschakelen", methods=["POST"])
@coordinator_only
def deactivate_user(user_id: int):
    """Disable an account; the person is logged out everywhere."""
    user = db.get_or_404(User, user_id)
    try:
        users.deactivate_user(user, actor=current_actor())
    except users.CannotChangeOwnAccess:
        flash(_("U kunt uw eigen account niet uitschakelen."), "error")
        return redirect(url_for("accounts.edit_user", user_id=user.id))
    db.session.commit()
    flash(_("Het account van %(name)s is uitgeschakeld.", name=user.name), "success")
    return redirect(url_for("accounts.users"))


@bp.route("/beheer/gebruikers/<int:user_id>/wachtwoordlink", methods=["POST"])
@coordinator_only
def reset_link(user_id: int):
    """Make a one-time link with which the user sets a new password; older links stop working."""
    user = db.get_or_404(User, user_id)
    if not user.is_enabled:
        flash(_("Dit account is uitgeschakeld. Zet het eerst weer aan."), "error")
        return redirect(url_for("accounts.edit_user", user_id=user.id))
    return _reset_link_page(user, created=False)


@bp.route("/beheer/gebruikers/<int:user_id>/tweestapsverificatie-uitzetten", methods=["POST"])
@coordinator_only
def reset_two_factor(user_id: int):
    """Switch off a user's two-factor when they lost both their phone and their recovery codes."""
    user = db.get_or_404(User, user_id)
    two_factor.reset_two_factor(user, actor=current_actor())
    db.session.commit()
    flash(_("Tweestapsverificatie van %(name)s staat uit. Bij de volgende aanmelding stelt die ze opnieuw in.",
            name=user.name), "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


def _local_midnight_utc(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


@bp.route("/beheer/audit")
@coordinator_only
def audit():
    """Show the audit log, newest first, filtered by person, dossier, object, action and period; paged by keyset."""
    form = AuditFilterForm(request.args, users=queries.list_user_choices(),
                           find_dossier=dossier_queries.get_dossier_id_by_reference)
    criteria = queries.AuditFilter()
    if request.args and form.validate():
        criteria = queries.AuditFilter(
            user_id=form.user_id.data, action=form.action.data or None,
            object_type="dossier" if form.dossier_id else form.object_type.data or None,
            object_id=form.dossier_id or form.object_id.data,
            since=_local_midnight_utc(form.since.data) if form.since.data else None,
            until=_local_midnight_utc(form.until.data + timedelta(days=1)) if form.until.data else None,
        )
    page = queries.page_audit_events(criteria, after=queries.parse_audit_cursor(request.args.get("na")))
    filters = {k: v for k, v in request.args.items() if k != "na" and v}
    return render_template("accounts/audit.html", form=form, page=page, filters=filters,
                           per_page=queries.AUDIT_PAGE_SIZE, action_label=labels.action_label,
                           object_type_label=labels.object_type_label)
