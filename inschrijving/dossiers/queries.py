"""Read-side selects: who may see which dossier (for other domains), and the lists of the intake pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from inschrijving.accounts.models import Role, User
from inschrijving.booking.models import Booking
from inschrijving.dossiers.enums import ConsentPurpose, DossierStatus, PersonRole
from inschrijving.dossiers.models.consent import Consent, LandlordChoice
from inschrijving.dossiers.models.history import DossierChange
from inschrijving.dossiers.models.household import Dossier, Person, Preferences
from inschrijving.dossiers.models.means import IncomeLimit
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


def moment_scope(user: User, *, today: date, window_days: int) -> sa.ColumnElement[bool]:
    """SQL condition on RegistrationMoment: the moments this staff member may open (same rule as dossiers)."""
    if user.role == Role.COORDINATOR:
        return sa.true()
    if user.role == Role.VOLUNTEER:
        return RegistrationMoment.id.in_(staffed_moment_ids(user, today=today, window_days=window_days))
    return sa.false()


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


DOSSIER_PAGE_SIZE = 50
# What the list loads with each dossier so the checklist column needs no query per row.
_LIST_LOADS = (
    selectinload(Dossier.persons),
    selectinload(Dossier.incomes),
    selectinload(Dossier.assets),
    selectinload(Dossier.property_declarations),
    selectinload(Dossier.preferences).selectinload(Preferences.municipalities),
    selectinload(Dossier.consents),
    selectinload(Dossier.documents),
    selectinload(Dossier.moment),
)


@dataclass(frozen=True)
class DossierFilter:
    moment_id: int | None = None
    status: DossierStatus | None = None
    search: str | None = None  # the start of a reference, or part of the reference tenant's name


@dataclass(frozen=True)
class DossierPage:
    items: list[Dossier]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_dossiers(criteria: DossierFilter, *, page: int = 1, per_page: int = DOSSIER_PAGE_SIZE,
                  scope: sa.ColumnElement[bool] | None = None) -> DossierPage:
    """One page of the dossiers matching the filter, newest first, and how many match: a fixed number of queries
    (a count, the page's ids, then the page's rows with what the checklist column reads) however many there are.

    `scope` limits it to what the reader may open (`dossier_scope`).
    """
    wanted = sa.select(Dossier.id)
    if scope is not None:
        wanted = wanted.where(scope)
    if criteria.moment_id is not None:
        wanted = wanted.where(Dossier.moment_id == criteria.moment_id)
    if criteria.status is not None:
        wanted = wanted.where(Dossier.status == criteria.status)
    if criteria.search:
        term = criteria.search.strip()
        like = f"%{term.lower()}%"
        named = sa.select(Person.id).where(
            Person.dossier_id == Dossier.id,
            Person.role == PersonRole.REFERENCE_TENANT,
            sa.func.lower(Person.first_name + " " + Person.last_name).like(like),
        )
        wanted = wanted.where(sa.or_(Dossier.reference.ilike(f"{term}%"), named.exists()))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(wanted.subquery())) or 0
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    ids = list(db.session.scalars(
        wanted.order_by(Dossier.created_at.desc(), Dossier.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ))
    rows = {d.id: d for d in db.session.scalars(sa.select(Dossier).where(Dossier.id.in_(ids)).options(*_LIST_LOADS))}
    return DossierPage([rows[i] for i in ids if i in rows], total, page, per_page)


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


def list_limit_years() -> list[int]:
    """The registration years whose income limits are entered, oldest first."""
    return list(db.session.scalars(sa.select(IncomeLimit.year).order_by(IncomeLimit.year)))


def years_without_limits(years: set[int]) -> list[int]:
    """Of these registration years, the ones whose income limits are not entered yet (one query)."""
    if not years:
        return []
    entered = set(db.session.scalars(sa.select(IncomeLimit.year).where(IncomeLimit.year.in_(years))))
    return sorted(years - entered)


def get_dossier_id_by_reference(reference: str) -> int | None:
    """The id of the dossier with this reference, if any (the audit log's filter by dossier)."""
    return db.session.scalar(sa.select(Dossier.id).where(Dossier.reference == reference))
