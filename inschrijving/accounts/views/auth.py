"""Login (with its optional second step), logout, the staff home redirect and one-time reset links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from inschrijving.accounts.forms import LoginForm, SecondStepForm, SetPasswordForm
from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import audit, login, two_factor, users
from inschrijving.accounts.views.blueprint import bp
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.web import client_ip, current_actor

HOME_BY_ROLE = {
    Role.COORDINATOR: "planning.index",
    Role.VOLUNTEER: "planning.index",
    Role.LANDLORD: "portal.home",
}
# How long the password step stays valid while the user looks up their code.
SECOND_STEP_SECONDS = 300


def _safe_next(target: str | None) -> str | None:
    # Only same-site paths: an open redirect would make phishing links look like ours.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _throttled_message() -> str:
    return _(
        "U hebt te vaak na elkaar een verkeerde aanmelding geprobeerd. Wacht %(minutes)s minuten en probeer "
        "dan opnieuw.",
        minutes=current_app.config["LOGIN_THROTTLE_MINUTES"],
    )


def _limits() -> login.ThrottleLimits:
    return login.ThrottleLimits.from_config(current_app.config)


def _finish_login(user: User, now: datetime, factor: str | None = None):
    session.pop("pending_login", None)
    login_user(user)
    session["last_seen"] = int(now.timestamp())
    login.complete_login(user, now=now, actor=audit.Actor.of(user, ip=client_ip()), factor=factor)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def log_in():
    """Log a staff member in; with two-factor on, continue to the code step."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form, now, ip = LoginForm(), utcnow(), client_ip()
    if form.validate_on_submit():
        if login.is_login_throttled(form.email.data, ip, now=now, limits=_limits()):
            form.password.errors.append(_throttled_message())
            return render_template("accounts/login.html", form=form), 429
        user = login.authenticate(form.email.data, form.password.data)
        if user is None:
            login.record_login_failure(form.email.data, ip, now=now, limits=_limits())
            db.session.commit()
            form.password.errors.append(_("Dit e-mailadres en wachtwoord passen niet bij elkaar."))
        elif user.has_two_factor:
            session["pending_login"] = {"user": user.id, "version": user.session_version, "at": int(now.timestamp())}
            return redirect(url_for("accounts.second_step", next=_safe_next(request.args.get("next"))))
        else:
            return _finish_login(user, now)
    return render_template("accounts/login.html", form=form)


def _pending_user(now: datetime) -> User | None:
    pending = session.get("pending_login")
    if not isinstance(pending, dict) or now.timestamp() - pending.get("at", 0) > SECOND_STEP_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.is_enabled or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def second_step():
    """Ask for the authenticator code (or a recovery code) after a correct password."""
    now, ip = utcnow(), client_ip()
    user = _pending_user(now)
    if user is None:
        session.pop("pending_login", None)
        flash(_("Meld u opnieuw aan."), "info")
        return redirect(url_for("accounts.login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        if login.is_login_throttled(user.email, ip, now=now, limits=_limits()):
            form.code.errors.append(_throttled_message())
            return render_template("accounts/second_step.html", form=form), 429
        factor = two_factor.verify_second_factor(user, form.code.data, now=now)
        if factor is None:
            login.record_login_failure(user.email, ip, now=now, limits=_limits())
            db.session.commit()
            form.code.errors.append(_("Deze code klopt niet. Kijk de code in uw app na en probeer opnieuw."))
        else:
            if factor == "recovery_code":
                flash(_("U gebruikte een herstelcode. Er blijven er nog %(n)s over.",
                        n=two_factor.count_unused_recovery_codes(user)), "warning")
            return _finish_login(user, now, factor)
    return render_template("accounts/second_step.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and return to the public home page."""
    login.note_logout(current_user, actor=current_actor())
    db.session.commit()
    logout_user()
    session.pop("last_seen", None)
    flash(_("U bent afgemeld."), "info")
    return redirect(url_for("booking.home"))


@bp.route("/medewerkers")
@login_required
def home():
    """Send each staff member to the start page of their role."""
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Let a user choose a new password through the one-time link a coordinator gave them."""
    now = utcnow()
    reset = users.get_reset_token(token, now=now)
    if reset is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            users.use_reset_token(reset, password=form.new_password.data, now=now, ip=client_ip())
        except users.AccountError:
            db.session.rollback()
            return render_template("accounts/reset_invalid.html"), 404
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        flash(_("Uw wachtwoord is ingesteld. Meld u nu aan met uw nieuwe wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=reset.user)
