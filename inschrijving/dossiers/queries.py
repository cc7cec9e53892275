"""Read-side selects: who may see which dossier (for other domains), and the lists of the intake pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from inschrijving.accounts.models import Role, User
from inschrijving.booking.models import Booking
from inschrijving.dossiers.models import (
    Consent,
    ConsentPurpose,
    Dossier,
    DossierChange,
    DossierStatus,
    LandlordChoice,
    Preferences,
)
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality, SubMunicipality, landlord_sub_municipalities
from inschrijving.planning.models import RegistrationMoment, moment_staff

# --- who on the staff may read and change which dossier (issue 13.7) -------------------------------------
# The one rule, used by the dossier and privacy blueprints' guard (`may_open`) and by every list of dossiers
# (`dossier_scope`): a coordinator reaches every dossier; a volunteer only those of the moments they staff,
# from `window_days` before the moment's day until `window_days` after it (VOLUNTEER_DOSSIER_WINDOW_DAYS);
# everyone else none. Outside it a dossier answers 404, as if it did not exist.


def staffed_moment_ids(user: User, *, today: date, window_days: int) -> sa.Select:
    """The ids of the moments this volunteer staffs whose day is within the window around today."""
    window = timedelta(days=window_days)
    return (
        sa.select(moment_staff.c.moment_id)
        .join(RegistrationMoment, RegistrationMoment.id == moment_staff.c.moment_id)
        .where(moment_staff.c.user_id == user.id,
               RegistrationMoment.held_on.between(today - window, today + window))
    )


def dossier_scope(user: User, *, today: date, window_days: int) -> sa.ColumnElement[bool]:
    """SQL condition on Dossier: the dossiers this staff member may read and change."""
    if user.role == Role.COORDINATOR:
        return sa.true()
    if user.role == Role.VOLUNTEER:
        return Dossier.moment_id.in_(staffed_moment_ids(user, today=today, window_days=window_days))
    return sa.false()


def may_open(user: User, ids: Mapping[str, object], *, today: date, window_days: int) -> bool:
    """Whether the user may open what a URL names by `dossier_id`, `booking_id` or `moment_id`.

    Ids the URL does not name are not checked; an id of nothing is let through (the view answers 404).
    """
    if user.role == Role.COORDINATOR:
        return True
    moment_ids = []
    if "dossier_id" in ids:
        moment_ids.append(sa.select(Dossier.moment_id).where(Dossier.id == ids["dossier_id"]).scalar_subquery())
    if "booking_id" in ids:
        moment_ids.append(sa.select(Booking.moment_id).where(Booking.id == ids["booking_id"]).scalar_subquery())
    if "moment_id" in ids and ids["moment_id"] is not None:
        moment_ids.append(sa.literal(ids["moment_id"]))
    if not moment_ids:
        return True
    allowed = staffed_moment_ids(user, today=today, window_days=window_days) if user.role == Role.VOLUNTEER else None
    checks = []
    for moment_id in moment_ids:
        # A missing dossier or booking gives NULL: let the view answer its own 404.
        checks.append(sa.or_(moment_id.is_(None), moment_id.in_(allowed)) if allowed is not None else sa.false())
    return bool(db.session.scalar(sa.select(sa.and_(*checks))))


def shared_with_landlord(landlord_id: int) -> sa.ColumnElement[bool]:
    """The access rule: the choice is this landlord's, its consent is a live share with this landlord
    for this same dossier, and the dossier is complete.

    The one rule for the landlord portal, the API and the packets (`landlords.portal.queries`); a
    statement using it must select from (or join) landlord_choices, consents and dossiers.
    """
    # The choice row stays for history after a withdrawal; only a live consent opens access. The
    # consent's own dossier is checked too: a choice must never borrow another dossier's consent.
    return sa.and_(
        LandlordChoice.landlord_id == landlord_id,
        Consent.id == LandlordChoice.consent_id,
        Consent.dossier_id == LandlordChoice.dossier_id,
        Consent.purpose == ConsentPurpose.SHARE_WITH_LANDLORD,
        Consent.landlord_id == landlord_id,
        Consent.withdrawn_at.is_(None),
        Dossier.id == LandlordChoice.dossier_id,
        Dossier.status == DossierStatus.COMPLETE,
    )


def list_dossiers(*, moment_id: int | None, limit: int = 500,
                  scope: sa.ColumnElement[bool] | None = None) -> list[Dossier]:
    """Dossiers of a moment (or the latest ones), loaded for a list with checklist in a fixed number of queries."""
    stmt = (
        db.select(Dossier)
        .options(
            selectinload(Dossier.persons),
            selectinload(Dossier.incomes),
            selectinload(Dossier.assets),
            selectinload(Dossier.property_declarations),
            selectinload(Dossier.preferences).selectinload(Preferences.municipalities),
            selectinload(Dossier.consents),
            selectinload(Dossier.documents),
            selectinload(Dossier.moment),
        )
        .order_by(Dossier.created_at.desc(), Dossier.id.desc())
        .limit(limit)
    )
    if moment_id is not None:
        stmt = stmt.where(Dossier.moment_id == moment_id)
    if scope is not None:
        stmt = stmt.where(scope)
    return list(db.session.scalars(stmt))


def list_changes(dossier_id: int) -> list[DossierChange]:
    """The history lines of a dossier, newest first, with who wrote each (two queries)."""
    return list(
        db.session.scalars(
            sa.select(DossierChange)
            .where(DossierChange.dossier_id == dossier_id)
            .options(selectinload(DossierChange.user))
            .order_by(DossierChange.changed_at.desc(), DossierChange.id.desc())
        )
    )


def _active_on(on: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        (Landlord.active_from.is_(None)) | (Landlord.active_from <= on),
        (Landlord.active_until.is_(None)) | (Landlord.active_until >= on),
    )


def _split_municipalities(on: date) -> sa.Select:
    """Ids of the municipalities an active landlord serves only in part (by deelgemeente)."""
    return (
        sa.select(SubMunicipality.municipality_id)
        .join(landlord_sub_municipalities, landlord_sub_municipalities.c.sub_municipality_id == SubMunicipality.id)
        .join(Landlord, Landlord.id == landlord_sub_municipalities.c.landlord_id)
        .where(_active_on(on))
    )


def list_sub_municipality_choices(on: date) -> list[tuple[int, str]]:
    """(id, "Bellegem (Kortrijk)") of the deelgemeenten of every municipality an active landlord serves in part.

    Only municipalities some landlord serves in part are worth splitting; listing those keeps the step short.
    """
    stmt = (
        sa.select(SubMunicipality)
        .where(SubMunicipality.municipality_id.in_(_split_municipalities(on)))
        .options(joinedload(SubMunicipality.municipality))
    )
    parts = sorted(db.session.scalars(stmt), key=lambda s: (s.municipality.name, s.name != s.municipality.name, s.name))
    return [(s.id, s.label) for s in parts]


def list_municipality_choices(on: date) -> list[tuple[int, str]]:
    """(id, name) of the municipalities served (whole or in part) by a landlord active on that day, by name."""
    whole = sa.select(Municipality.id).join(Landlord.municipalities).where(_active_on(on))
    stmt = (
        sa.select(Municipality.id, Municipality.name)
        .where(sa.or_(Municipality.id.in_(whole), Municipality.id.in_(_split_municipalities(on))))
        .order_by(Municipality.name)
    )
    return [(row.id, row.name) for row in db.session.execute(stmt)]
