"""Intake pages: start, overview, one page per step, completion, receipt and history."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import audit as account_services
from inschrijving.booking.models import Booking
from inschrijving.db_types import utcnow
from inschrijving.dossiers import queries
from inschrijving.dossiers.forms.steps import VersionForm
from inschrijving.dossiers.models import Dossier, DossierChange, PersonRole
from inschrijving.dossiers.services import checklist, consent, errors, facts, lifecycle
from inschrijving.dossiers.views import labels
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.dossiers.views.steps import STEPS_BY_SLUG, next_step, visible_steps
from inschrijving.extensions import db
from inschrijving.landlords import packets as landlord_packets
from inschrijving.planning.models import RegistrationMoment
from inschrijving.rendering.pdf import render_pdf
from inschrijving.web import client_ip


def stale_message() -> str:
    return _(
        "Iemand anders heeft dit dossier intussen bewaard. Uw invoer staat hieronder en is nog niet bewaard. "
        "Kijk ze na en klik opnieuw op 'Bewaren'."
    )


def open_dossier(dossier_id: int, *, audit: bool = True) -> Dossier:
    """Load a dossier for a staff page (404 if missing) and write the audit event for this opening."""
    dossier = lifecycle.load_dossier(dossier_id)
    if dossier is None:
        abort(404)
    if audit and request.method == "GET":
        account_services.record_audit(
            actor=current_user,
            action="dossier.viewed",
            object_type="dossier",
            object_id=dossier.id,
            detail={"page": request.endpoint},
            ip=client_ip(),
        )
        db.session.commit()
    return dossier


def page_context(dossier: Dossier, **extra):
    return {
        "dossier": dossier,
        "steps": visible_steps(dossier),
        "checklist": checklist.completeness_checklist(dossier),
        "PersonRole": PersonRole,
        **extra,
    }


@bp.route("/")
def index():
    """List the dossiers of a moment (national numbers masked), in a fixed number of queries."""
    moment_id = request.args.get("moment", type=int)
    moment = db.get_or_404(RegistrationMoment, moment_id) if moment_id else None
    # The list names households: reading it is a staff read of personal data. Committed before the
    # rows load, so the commit does not expire them.
    account_services.record_audit(
        actor=current_user, action="dossier.list_viewed", object_type="moment", object_id=moment_id, ip=client_ip()
    )
    db.session.commit()
    rows = queries.list_dossiers(moment_id=moment_id)
    checklists = {d.id: checklist.missing_items(d) for d in rows}
    return render_template("dossiers/index.html", moment=moment, dossiers=rows, missing=checklists)


@bp.route("/start/<int:booking_id>", methods=["GET", "POST"])
def start(booking_id: int):
    """Open the dossier of a booking; create it on POST (a GET only asks, so no link can create one)."""
    booking = db.get_or_404(Booking, booking_id)
    existing = lifecycle.get_dossier_for_booking(booking.id)
    if existing is not None:
        return redirect(url_for("dossiers.show", dossier_id=existing.id))
    if request.method == "GET":
        return render_template("dossiers/start.html", booking=booking)
    try:
        dossier = lifecycle.start_dossier(booking, actor=current_user, now=utcnow())
    except errors.BookingNotLive:
        flash(_("Deze afspraak is geannuleerd. Start een dossier zonder afspraak."), "error")
        return redirect(url_for("dossiers.start_walk_in", moment_id=booking.moment_id))
    db.session.commit()
    return redirect(url_for("dossiers.show", dossier_id=dossier.id))


@bp.route("/walk-in/<int:moment_id>", methods=["GET", "POST"])
def start_walk_in(moment_id: int):
    """Ask for confirmation (GET), then open a new dossier without a booking (POST)."""
    moment = db.get_or_404(RegistrationMoment, moment_id)
    if request.method == "GET":
        return render_template("dossiers/walk_in.html", moment=moment)
    dossier = lifecycle.start_walk_in(moment, actor=current_user, now=utcnow())
    db.session.commit()
    return redirect(url_for("dossiers.step", dossier_id=dossier.id, slug="household"))


@bp.route("/<int:dossier_id>")
def show(dossier_id: int):
    """The dossier overview: summary, checklist, eligibility guidance, and the complete button."""
    dossier = open_dossier(dossier_id)
    return render_template(
        "dossiers/show.html",
        **page_context(
            dossier,
            findings=facts.assess_dossier(dossier),
            offers=consent.landlord_offers(dossier),
            health=consent.health_consent(dossier),
            form=VersionForm(data={"version": dossier.version}),
        ),
    )


@bp.route("/<int:dossier_id>/stap/<slug>", methods=["GET", "POST"])
def step(dossier_id: int, slug: str):
    """Show one intake step and save it on its own; a stale save keeps the user's input."""
    current = STEPS_BY_SLUG.get(slug)
    if current is None or current.build is None:
        abort(404)
    dossier = open_dossier(dossier_id)
    form = current.build(dossier)
    if form.validate_on_submit():
        try:
            current.save(dossier, form, current_user, utcnow())
            db.session.commit()
        except (errors.StaleDossier, StaleDataError):
            db.session.rollback()
            dossier = open_dossier(dossier_id, audit=False)
            # The field renders its raw input; both must carry the version the user has now seen.
            form.version.data = dossier.version
            form.version.raw_data = [str(dossier.version)]
            flash(stale_message(), "warning")
        except errors.DossierLocked:
            db.session.rollback()
            flash(_("Dit dossier is afgerond. Open het opnieuw om iets te wijzigen."), "error")
            return redirect(url_for("dossiers.show", dossier_id=dossier_id))
        except errors.LandlordNotOffered as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("dossiers.step", dossier_id=dossier_id, slug=slug))
        else:
            flash(_("Bewaard."), "success")
            following = next_step(dossier, slug)
            if following.slug == "review":
                return redirect(url_for("dossiers.show", dossier_id=dossier_id))
            if following.slug == "documents":
                return redirect(url_for("dossiers.documents", dossier_id=dossier_id))
            return redirect(url_for("dossiers.step", dossier_id=dossier_id, slug=following.slug))
    extra = {}
    if slug == "landlords":
        extra = {"offers": consent.landlord_offers(dossier)}
    if slug == "health":
        extra = {"health": consent.health_consent(dossier)}
    return render_template(current.template, **page_context(dossier, form=form, step=current, **extra))


@bp.post("/<int:dossier_id>/verhuurder/<int:landlord_id>/intrekken")
def withdraw(dossier_id: int, landlord_id: int):
    """Withdraw the consent for one landlord: it loses access at once."""
    dossier = open_dossier(dossier_id, audit=False)
    if consent.withdraw_landlord_consent(dossier, landlord_id, actor=current_user, now=utcnow()):
        db.session.commit()
        flash(_("De toestemming is ingetrokken. Deze verhuurder ziet het dossier niet meer."), "success")
    return redirect(url_for("dossiers.step", dossier_id=dossier_id, slug="landlords"))


@bp.post("/<int:dossier_id>/gezondheid/intrekken")
def withdraw_health(dossier_id: int):
    """Withdraw the separate consent for health data."""
    dossier = open_dossier(dossier_id, audit=False)
    if consent.withdraw_health_consent(dossier, actor=current_user, now=utcnow()):
        db.session.commit()
        flash(_("De toestemming voor gegevens over de handicap is ingetrokken."), "success")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))


@bp.post("/<int:dossier_id>/afronden")
def complete(dossier_id: int):
    """Mark the dossier complete, recording who and when; refused while something is missing."""
    dossier = open_dossier(dossier_id, audit=False)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.complete_dossier(dossier, version=form.version.data, actor=current_user, now=utcnow())
        db.session.commit()
    except (errors.StaleDossier, StaleDataError):
        db.session.rollback()
        flash(stale_message(), "warning")
    except errors.NotComplete as exc:
        db.session.rollback()
        flash(
            _("Het dossier is nog niet volledig. Er ontbreekt nog: %(items)s.", items="; ".join(exc.missing)), "error"
        )
    except errors.DossierLocked:
        flash(_("Dit dossier was al afgerond."), "warning")
    else:
        flash(_("Het dossier is afgerond. Druk het bewijs van inschrijving af voor de kandidaat."), "success")
        _prepare_packet_section(dossier)
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))


def _prepare_packet_section(dossier) -> None:
    # Render the landlords' packet section once, now, so their downloads only merge cached parts.
    # The completion is already committed: if this fails, the first download renders it instead.
    try:
        landlord_packets.render_section(dossier, now=utcnow())
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Packet section for dossier %s not prepared", dossier.id)


@bp.post("/<int:dossier_id>/heropenen")
def reopen(dossier_id: int):
    """Put a complete dossier back to draft to correct it."""
    dossier = open_dossier(dossier_id, audit=False)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.reopen_dossier(dossier, version=form.version.data, actor=current_user, now=utcnow())
        db.session.commit()
    except (errors.StaleDossier, StaleDataError):
        db.session.rollback()
        flash(stale_message(), "warning")
    else:
        flash(_("Het dossier is weer open. Verhuurders zien het pas weer als het afgerond is."), "warning")
    return redirect(url_for("dossiers.show", dossier_id=dossier_id))


@bp.route("/<int:dossier_id>/bewijs.pdf")
def receipt(dossier_id: int):
    """The candidate's receipt ('bewijs van inschrijving'), in the candidate's language."""
    dossier = open_dossier(dossier_id)
    with force_locale(dossier.language or "nl"):
        pdf = render_pdf("pdf/receipt.html", **receipt_context(dossier))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="bewijs-{dossier.reference}.pdf"'
    return response


def receipt_context(dossier: Dossier) -> dict:
    chosen = [o for o in consent.landlord_offers(dossier) if o.is_chosen]
    return {
        "dossier": dossier,
        "chosen": chosen,
        "missing": checklist.missing_items(dossier),
        "documents": sorted(dossier.documents, key=lambda d: d.uploaded_at),
        "printed_at": utcnow(),
    }


@bp.route("/<int:dossier_id>/geschiedenis")
def history(dossier_id: int):
    """Who changed what and when (coordinators only)."""
    if current_user.role != Role.COORDINATOR:
        abort(403)
    dossier = open_dossier(dossier_id)
    changes = db.session.scalars(
        db.select(DossierChange)
        .where(DossierChange.dossier_id == dossier.id)
        .order_by(DossierChange.changed_at.desc(), DossierChange.id.desc())
    ).all()
    user_ids = {c.user_id for c in changes if c.user_id}
    users = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    step_titles = {s.slug: s.title for s in STEPS_BY_SLUG.values()} | {
        "start": _("Dossier gestart"),
        "health_consent": _("Toestemming handicap"),
        "withdraw": _("Toestemming ingetrokken"),
        "complete": _("Afgerond"),
        "reopen": _("Opnieuw geopend"),
    }
    return render_template(
        "dossiers/history.html",
        **page_context(
            dossier,
            changes=changes,
            users=users,
            step_titles=step_titles,
            field_labels=labels.FIELD_LABELS,
            row_label=labels.row_label,
        ),
    )
