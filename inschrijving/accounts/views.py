"""Login, logout, the staff home page and user management."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from inschrijving.accounts import services
from inschrijving.accounts.forms import LoginForm
from inschrijving.accounts.models import Role
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.web import client_ip

bp = Blueprint("accounts", __name__)

HOME_BY_ROLE = {
    Role.COORDINATOR: "planning.index",
    Role.VOLUNTEER: "planning.index",
    Role.LANDLORD: "portal.home",
}


def _safe_next(target: str | None) -> str | None:
    # Only same-site paths: an open redirect would make phishing links look like ours.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, now=utcnow())
        if user is None:
            form.password.errors.append(_("Dit e-mailadres en wachtwoord passen niet bij elkaar."))
        else:
            login_user(user)
            services.record_audit(actor=user, action="login", object_type="user", object_id=user.id, ip=client_ip())
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and return to the public home page."""
    services.record_audit(
        actor=current_user, action="logout", object_type="user", object_id=current_user.id, ip=client_ip()
    )
    db.session.commit()
    logout_user()
    flash(_("U bent afgemeld."), "info")
    return redirect(url_for("booking.home"))


@bp.route("/medewerkers")
@login_required
def home():
    """Send each staff member to the start page of their role."""
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/beheer/gebruikers/")
@login_required
def users():
    """List staff users for coordinators."""
    import sqlalchemy as sa
    from flask import abort

    from inschrijving.accounts.models import User

    if current_user.role != Role.COORDINATOR:
        abort(403)
    rows = db.session.scalars(sa.select(User).order_by(User.name)).all()
    return render_template("accounts/users.html", users=rows)
