"""A staff member's own account: overview, password change, two-factor set-up."""

from __future__ import annotations

import base64
import io

import qrcode
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from inschrijving.accounts.forms import ChangePasswordForm, EnrolForm
from inschrijving.accounts.services import two_factor, users
from inschrijving.accounts.views.blueprint import bp
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.web import current_actor

ISSUER = "Groepsinschrijving Kortrijk"


def qr_data_uri(text: str) -> str:
    """Render text as a PNG QR code in a data: URI (the CSP allows data: images, no extra request)."""
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@bp.route("/account")
@login_required
def account():
    """Show the user's own account: password and two-factor status."""
    remaining = two_factor.count_unused_recovery_codes(current_user) if current_user.has_two_factor else 0
    return render_template("accounts/account.html", remaining_codes=remaining)


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    """Let the user replace their own password; every other session of theirs ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(
                current_user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
                actor=current_actor(),
            )
        except users.WrongPassword:
            form.current_password.errors.append(_("Dit is niet uw huidige wachtwoord."))
        else:
            db.session.commit()
            # The session version went up; sign this browser in again under the new one.
            login_user(current_user._get_current_object())
            flash(_("Uw wachtwoord is gewijzigd. Op andere toestellen bent u nu afgemeld."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/tweestapsverificatie", endpoint="two_factor")
@login_required
def two_factor_status():
    """Show the two-factor status, or the QR code of an enrolment in progress."""
    if current_user.has_two_factor or current_user.totp_secret is None:
        return render_template(
            "accounts/two_factor.html",
            required=two_factor_required(),
            remaining_codes=two_factor.count_unused_recovery_codes(current_user),
        )
    uri = two_factor.provisioning_uri(current_user, issuer=ISSUER)
    return render_template(
        "accounts/two_factor_enrol.html", form=EnrolForm(), secret=current_user.totp_secret, uri=uri,
        qr=qr_data_uri(uri),
    )


@bp.route("/account/tweestapsverificatie/starten", methods=["POST"])
@login_required
def two_factor_start():
    """Create the secret the authenticator app will scan."""
    try:
        two_factor.start_enrolment(current_user)
    except two_factor.AlreadyEnrolled:
        flash(_("Tweestapsverificatie staat al aan."), "info")
    db.session.commit()
    return redirect(url_for("accounts.two_factor"))


@bp.route("/account/tweestapsverificatie/bevestigen", methods=["POST"])
@login_required
def two_factor_confirm():
    """Switch two-factor on with a first code from the app, and show the recovery codes once."""
    if current_user.totp_secret is None or current_user.has_two_factor:
        return redirect(url_for("accounts.two_factor"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(current_user, form.code.data, now=utcnow(), actor=current_actor())
        except two_factor.InvalidCode:
            form.code.errors.append(_("Deze code klopt niet. Kijk of de klok van uw telefoon juist staat."))
        else:
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(current_user, issuer=ISSUER)
    return render_template(
        "accounts/two_factor_enrol.html", form=form, secret=current_user.totp_secret, uri=uri, qr=qr_data_uri(uri)
    ), 422


@bp.route("/account/tweestapsverificatie/herstelcodes", methods=["POST"])
@login_required
def two_factor_new_codes():
    """Replace the recovery codes (the old ones stop working) and show the new ones once."""
    if not current_user.has_two_factor:
        return redirect(url_for("accounts.two_factor"))
    codes = two_factor.renew_recovery_codes(current_user, actor=current_actor())
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/account/tweestapsverificatie/uitzetten", methods=["POST"])
@login_required
def two_factor_disable():
    """Switch two-factor off, unless the setting makes it mandatory for this role."""
    if two_factor_required():
        flash(_("Voor uw rol is tweestapsverificatie verplicht. U kunt ze niet uitzetten."), "warning")
        return redirect(url_for("accounts.two_factor"))
    two_factor.disable_two_factor(current_user, actor=current_actor())
    db.session.commit()
    flash(_("Tweestapsverificatie staat uit."), "info")
    return redirect(url_for("accounts.account"))


def two_factor_required() -> bool:
    return current_app.config["REQUIRE_2FA_FOR_STAFF"] and current_user.role in two_factor.STAFF_ROLES_NEEDING_2FA
