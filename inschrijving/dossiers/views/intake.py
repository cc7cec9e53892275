"""Intake pages: the list, start, overview, one page per step, consent withdrawal, completion and reopening."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.dossiers.forms.common import VersionForm
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services import checklist, consent, duplicates, errors, facts, lifecycle
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.dossiers.views.common import (
    keep_input_after_stale_save,
    open_dossier,
    render_dossier_page,
    stale_message,
)
from inschrijving.dossiers.views.steps import answers_context, form_step, next_step
from inschrijving.extensions import db
from inschrijving.notifications import services as notifications
from inschrijving.planning.models import RegistrationMoment
from inschrijving.web import current_actor, dossier_scope_for_current_user


@bp.route("/start/<int:booking_id>", methods=["GET", "POST"])
def start(booking_id: int):
    """Open the dossier of a booking; create it on POST (a GET only asks, so no link can create one)."""
    booking = db.get_or_404(Booking, booking_id)
    if not booking.moment.takes_dossiers:
        abort(404)
    existing = lifecycle.get_dossier_for_booking(booking.id)
    if existing is not None:
        return redirect(url_for("dossiers.show", dossier_id=existing.id))
    if request.method == "GET":
        return render_template("dossiers/start.html", booking=booking)
    try:
        dossier = lifecycle.start_dossier(booking, actor=current_actor(), now=utcnow())
    except errors.BookingNotLive:
        flash(_("Deze afspraak is geannuleerd. Start een dossier zonder afspraak."), "error")
        return redirect(url_for("dossiers.start_walk_in", moment_id=booking.moment_id))
    db.session.commit()
    # Straight to the first step: the day list's "Dossier starten" is the only click before the intake.
    return redirect(url_for("dossiers.step", dossier_id=dossier.id, slug="household"))


@bp.route("/walk-in/<int:moment_id>", methods=["GET", "POST"])
def start_walk_in(moment_id: int):
    """Ask for confirmation (GET), then open a new dossier without a booking (POST)."""
    moment = db.get_or_404(RegistrationMoment, moment_id)
    if not moment.takes_dossiers:
        abort(404)
    if request.method == "GET":
        return render_template("dossiers/walk_in.html", moment=moment)
    dossier = lifecycle.start_walk_in(moment, actor=current_actor(), now=utcnow())
    db.session.commit()
    return redirect(url_for("dossiers.step", dossier_id=dossier.id, slug="household"))


@bp.route("/<int:dossier_id>")
def show(dossier_id: int):
    """The dossier overview: summary, checklist, eligibility guidance, and the complete button."""
    dossier = open_dossier(dossier_id)
    return render_dossier_page(
        "dossiers/show.html",
        dossier,
        findings=facts.assess_dossier(dossier),
        offers=consent.landlord_offers(dossier),
        health=consent.health_consent(dossier),
        can_complete=checklist.can_complete(dossier),
        form=VersionForm(data={"version": dossier.version}),
        **answers_context(dossier),
    )


@bp.route("/<int:dossier_id>/stap/<slug>", methods=["GET", "POST"])
def step(dossier_id: int, slug: str):
    """Show one intake step and save it on its own; a stale save keeps the user's input."""
    current = form_step(slug) or abort(404)
    dossier = open_dossier(dossier_id)
    form = current.build(dossier)
    if request.method == "POST" and request.form.get("add_row") and hasattr(form, "add_row"):
        form.add_row()  # "add a person": the same step again, with what was typed, nothing saved
        return render_dossier_page(current.template, dossier, form=form, step=current, **current.page_context(dossier))
    if form.validate_on_submit():
        try:
            current.save(dossier, form, current_actor(), utcnow())
            db.session.commit()
        except (errors.StaleDossier, StaleDataError):
            dossier = keep_input_after_stale_save(dossier_id, form)
        except (errors.DossierLocked, errors.LandlordNotOffered) as exc:
            return _step_refused(exc, dossier_id, slug)
        else:
            flash(_("Bewaard."), "success")
            if slug == "identity" and duplicates.pending_duplicates(dossier, scope=dossier_scope_for_current_user()):
                return redirect(url_for("dossiers.duplicates", dossier_id=dossier_id))
            if request.args.get("terug") == "overzicht":  # "Wijzig" on the overview: back to it
                return redirect(url_for("dossiers.show", dossier_id=dossier_id, _anchor=f"answers-{slug}"))
            return redirect(next_step(dossier, slug).url(dossier_id))
    return render_dossier_page(current.template, dossier, form=form, step=current, **current.page_context(dossier))


def _step_refused(exc: errors.DossierError, dossier_id: int, slug: str):
    db.session.rollback()
    if isinstance(exc, errors.DossierLocked):
        flash(_("Dit dossier is afgerond. Open het opnieuw om iets te wijzigen."), "error")
        return redirect(url_for("dossiers.show", dossier_id=dossier_id))
    flash(str(exc), "error")
    return redirect(url_for("dossiers.step", dossier_id=dossier_id, slug=slug))


@bp.route("/<int:dossier_id>/dubbel", methods=["GET", "POST"], endpoint="duplicates")
def duplicates_page(dossier_id: int):
    """Earlier dossiers of the same household: continue one, copy its answers, or keep a new one (audited)."""
    dossier = open_dossier(dossier_id)
    earlier = duplicates.same_household(dossier, other_ids=dossier_scope_for_current_user())
    if request.method == "GET":
        return render_dossier_page("dossiers/duplicates.html", dossier, earlier=earlier, form=VersionForm())
    chosen = next((d for d in earlier if d.id == request.form.get("earlier", type=int)), None)
    try:
        choice = duplicates.Choice(request.form.get("choice", ""))
        kept = duplicates.decide(dossier, chosen, choice, actor=current_actor(), now=utcnow())
    except (ValueError, errors.DossierLocked):
        db.session.rollback()
        abort(400)
    db.session.commit()
    return redirect(next_step(kept, "identity").url(kept.id))


@bp.post("/<int:dossier_id>/verhuurder/<int:landlord_id>/intrekken")
def withdraw(dossier_id: int, landlord_id: int):
    """Withdraw the consent for one landlord: it loses access at once."""
    dossier = open_dossier(dossier_id)
    if consent.withdraw_landlord_consent(dossier, landlord_id, actor=current_actor(), now=utcnow()):
        db.session.commit()
        flash(_("De toestemming is ingetrokken. Deze verhuurder ziet het dossier niet meer."), "success")
    return redirect(url_for("dossiers.step", dossier_id=dossier_id, slug="landlords"))


@bp.post("/<int:dossier_id>/gezondheid/intrekken")
def withdraw_health(dossier_id: int):
    """Withdraw the separate consent for health data."""
    dossier = open_dossier(dossier_id)
    if consent.withdraw_health_consent(dossier, actor=current_actor(), now=utcnow()):
        db.session.commit()
        flash(_("De toestemming voor gegevens over de handicap is ingetrokken."), "success")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))


@bp.post("/<int:dossier_id>/afronden")
def complete(dossier_id: int):
    """Mark the dossier complete, recording who and when; refused while something is missing."""
    dossier = open_dossier(dossier_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.complete_dossier(dossier, version=form.version.data, actor=current_actor(), now=utcnow())
    except (errors.DossierError, StaleDataError) as exc:
        db.session.rollback()
        _flash_not_completed(exc)
    else:
        _prepare_packet_section(dossier)
        db.session.commit()
        flash(_("Het dossier is afgerond. Druk het bewijs van inschrijving af voor de kandidaat."), "success")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))


def _flash_not_completed(exc: Exception) -> None:
    if isinstance(exc, errors.DuplicateHousehold):
        flash(_("Dit gezin heeft voor dit moment al een afgerond dossier bij %(landlords)s. Werk in dat dossier "
                "verder of trek daar eerst de toestemming in.", landlords=", ".join(exc.landlords)), "error")
    elif isinstance(exc, errors.NotComplete):
        missing = "; ".join(exc.missing)
        flash(_("Het dossier is nog niet volledig. Er ontbreekt nog: %(items)s.", items=missing), "error")
    elif isinstance(exc, errors.DossierLocked):
        flash(_("Dit dossier was al afgerond."), "warning")
    else:
        flash(stale_message(), "warning")


def _prepare_packet_section(dossier: Dossier) -> None:
    # The landlords' packet section is rendered by the worker once this completion commits, so the page
    # returns at once; until it exists the portal shows it as being prepared (a download renders it too).
    notifications.render_packet_section_after_commit(dossier.id)


@bp.post("/<int:dossier_id>/heropenen")
def reopen(dossier_id: int):
    """Put a complete dossier back to draft to correct it."""
    dossier = open_dossier(dossier_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.reopen_dossier(dossier, version=form.version.data, actor=current_actor(), now=utcnow())
        db.session.commit()
    except (errors.StaleDossier, StaleDataError):
        db.session.rollback()
        flash(stale_message(), "warning")
    else:
        flash(_("Het dossier is weer open. Verhuurders zien het pas weer als het afgerond is."), "warning")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))
