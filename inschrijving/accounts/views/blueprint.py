"""The accounts blueprint and the session rules every staff request passes: idle timeout, two-factor enrolment."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from inschrijving.accounts.services import two_factor
from inschrijving.db_types import utcnow

bp = Blueprint("accounts", __name__)

# Pages a staff member who still has to set up two-factor may open.
_ENROLMENT_ENDPOINTS = {
    "static",
    "accounts.logout",
    "accounts.two_factor",
    "accounts.two_factor_start",
    "accounts.two_factor_confirm",
}
# Writing the last-seen time on every request would re-send the cookie each time; a minute is precise enough.
_LAST_SEEN_RESOLUTION = 60


@bp.before_app_request
def enforce_session_rules():
    """End idle sessions and send staff who must enrol in two-factor to the enrolment page."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(utcnow().timestamp())
    last_seen = session.get("last_seen")
    if isinstance(last_seen, int) and now - last_seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        logout_user()
        session.pop("last_seen", None)
        flash(_("U was een tijd niet actief. Meld u opnieuw aan."), "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if not isinstance(last_seen, int) or now - last_seen >= _LAST_SEEN_RESOLUTION:
        session["last_seen"] = now
    if request.endpoint not in _ENROLMENT_ENDPOINTS and two_factor.must_enrol(
        current_user, required=current_app.config["REQUIRE_2FA_FOR_STAFF"]
    ):
        flash(_("Stel eerst tweestapsverificatie in. Dat is verplicht voor uw account."), "info")
        return redirect(url_for("accounts.two_factor"))
    return None
