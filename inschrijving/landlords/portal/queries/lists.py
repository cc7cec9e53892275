"""A moment's dossier list for a landlord: filtered, searched, sorted and paged in SQL, as plain rows.

Rows hold values, not database objects (`DossierRow`), so they stay readable after the request's
commit without a query per row. Every list starts from `shared.shared_choices_stmt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from inschrijving.dossiers.enums import ChoiceStatus, PersonRole
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import (
    Dossier,
    Person,
    Preferences,
    preference_municipalities,
    preference_sub_municipalities,
)
from inschrijving.extensions import db
from inschrijving.landlords.models import Municipality, SubMunicipality
from inschrijving.landlords.portal.queries.shared import (
    CHANGED_SINCE_DOWNLOAD,
    changed_since_download,
    shared_choices_stmt,
)


@dataclass(frozen=True)
class DossierRow:
    """One line of a moment's dossier list, as the portal page and the API list show it."""

    id: int
    reference: str
    reference_tenant: str | None
    household_size: int
    municipalities: list[str]
    documents: int
    is_complete: bool
    changed_since_download: bool
    landlord_status: ChoiceState
    # The landlord the candidate chose, when the reader sees the dossier as its successor.
    chosen_landlord: str | None = None


@dataclass(frozen=True)
class ChoiceState:
    """What a landlord reported on a dossier, and when it downloaded it."""

    status: ChoiceStatus
    landlord_reference: str | None
    registered_on: date | None
    note: str | None
    status_set_at: datetime | None
    first_downloaded_at: datetime | None
    last_downloaded_at: datetime | None

    @classmethod
    def of(cls, choice: LandlordChoice) -> ChoiceState:
        return cls(
            status=choice.status,
            landlord_reference=choice.landlord_reference,
            registered_on=choice.registered_on,
            note=choice.status_note,
            status_set_at=choice.status_set_at,
            first_downloaded_at=choice.first_downloaded_at,
            last_downloaded_at=choice.last_downloaded_at,
        )


def dossier_rows(choices: list[LandlordChoice], *, reader_id: int | None = None) -> list[DossierRow]:
    """The list lines of these choices (from `moment_choices`, so without further queries).

    With `reader_id`, a choice of another landlord (a predecessor of the reader) names that landlord;
    the choices must then have their landlord loaded.
    """
    return [
        DossierRow(
            id=c.dossier.id,
            reference=c.dossier.reference,
            reference_tenant=c.dossier.reference_tenant.full_name if c.dossier.reference_tenant else None,
            household_size=len(c.dossier.persons),
            municipalities=preferred_places(c.dossier),
            documents=len(c.dossier.documents),
            is_complete=c.dossier.is_complete,
            changed_since_download=changed_since_download(c),
            landlord_status=ChoiceState.of(c),
            chosen_landlord=c.landlord.name if reader_id is not None and c.landlord_id != reader_id else None,
        )
        for c in choices
    ]


def preferred_municipalities(dossier: Dossier) -> list[str]:
    """The whole municipalities the household wants, by name."""
    if dossier.preferences is None:
        return []
    return sorted(m.name for m in dossier.preferences.municipalities)


def preferred_sub_municipalities(dossier: Dossier) -> list[str]:
    """The deelgemeenten the household wants (without their whole municipality), as "Bellegem (Kortrijk)"."""
    if dossier.preferences is None:
        return []
    return sorted(s.label for s in dossier.preferences.sub_municipalities)


def preferred_places(dossier: Dossier) -> list[str]:
    """Where the household wants to live, at either level: "Bellegem (Kortrijk)", "Zwevegem"."""
    return sorted(preferred_municipalities(dossier) + preferred_sub_municipalities(dossier))


DOSSIER_PAGE_SIZE = 50


# How a moment's dossier list can be ordered: key -> what it sorts on (ties by dossier reference).
SORT_KEYS = ("naam", "referentie", "personen", "status", "afgerond")


HOUSEHOLD_SIZES = ("1", "2", "3", "4", "5+")


@dataclass(frozen=True)
class DossierFilter:
    """What a landlord narrows a moment's dossier list to; empty values filter nothing."""

    status: ChoiceStatus | None = None
    news: str | None = None  # "new" (never downloaded) or "changed" (changed since the last download)
    municipality_id: int | None = None
    household_size: str | None = None  # one of HOUSEHOLD_SIZES
    search: str | None = None  # part of a name or of the reference
    sort: str = "naam"
    descending: bool = False


@dataclass(frozen=True)
class DossierPage:
    rows: list[DossierRow]
    total: int
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _household_size():
    return sa.select(sa.func.count(Person.id)).where(Person.dossier_id == Dossier.id).scalar_subquery()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _wanted_municipalities() -> sa.Select:
    """(dossier id, municipality id) of every municipality a dossier wants, whole or by a deelgemeente."""
    whole = sa.select(Preferences.dossier_id, preference_municipalities.c.municipality_id).join(
        preference_municipalities, preference_municipalities.c.preferences_id == Preferences.id
    )
    parts = (
        sa.select(Preferences.dossier_id, SubMunicipality.municipality_id)
        .join(preference_sub_municipalities, preference_sub_municipalities.c.preferences_id == Preferences.id)
        .join(SubMunicipality, SubMunicipality.id == preference_sub_municipalities.c.sub_municipality_id)
    )
    return sa.union(whole, parts).subquery()


def _dossiers_wanting(municipality_id: int) -> sa.Select:
    wanted = _wanted_municipalities()
    return sa.select(wanted.c.dossier_id).where(wanted.c.municipality_id == municipality_id)


def _filtered(stmt: sa.Select, criteria: DossierFilter) -> sa.Select:
    if criteria.status is not None:
        stmt = stmt.where(LandlordChoice.status == criteria.status)
    if criteria.news == "new":
        stmt = stmt.where(LandlordChoice.first_downloaded_at.is_(None))
    elif criteria.news == "changed":
        stmt = stmt.where(CHANGED_SINCE_DOWNLOAD)
    if criteria.municipality_id is not None:
        # The whole municipality, or one of its deelgemeenten.
        stmt = stmt.where(Dossier.id.in_(_dossiers_wanting(criteria.municipality_id)))
    if criteria.household_size in HOUSEHOLD_SIZES:
        size = _household_size()
        stmt = stmt.where(size >= 5 if criteria.household_size == "5+" else size == int(criteria.household_size))
    search = (criteria.search or "").strip()
    if search:
        pattern = _like(search)
        named = (
            sa.exists()
            .where(Person.dossier_id == Dossier.id)
            .where(
                sa.or_(
                    Person.first_name.ilike(pattern, escape="\\"),
                    Person.last_name.ilike(pattern, escape="\\"),
                    (Person.first_name + " " + Person.last_name).ilike(pattern, escape="\\"),
                )
            )
        )
        stmt = stmt.where(sa.or_(Dossier.reference.ilike(pattern, escape="\\"), named))
    return stmt


def _ordered(stmt: sa.Select, criteria: DossierFilter) -> sa.Select:
    tenant = aliased(Person)
    stmt = stmt.outerjoin(
        tenant, sa.and_(tenant.dossier_id == Dossier.id, tenant.role == PersonRole.REFERENCE_TENANT)
    )
    keys = {
        "naam": [sa.func.lower(tenant.last_name), sa.func.lower(tenant.first_name)],
        "referentie": [],
        "personen": [_household_size()],
        "status": [LandlordChoice.status],
        "afgerond": [Dossier.completed_at],
    }[criteria.sort if criteria.sort in SORT_KEYS else "naam"]
    direction = sa.desc if criteria.descending else sa.asc
    return stmt.order_by(*[direction(key) for key in keys], direction(Dossier.reference), Dossier.id)


def dossier_page(
    landlord_id: int,
    moment_id: int,
    criteria: DossierFilter,
    *,
    page: int = 1,
    per_page: int = DOSSIER_PAGE_SIZE,
    clamp: bool = True,
) -> DossierPage:
    """One page of a moment's dossier list for this landlord, filtered and sorted in SQL.

    A fixed number of queries whatever the number of dossiers: the count, the page, and one per
    relation the rows show (persons, preferences and their municipalities, documents). A page past
    the last shows the last (`clamp`, for people) or nothing (for the API).
    """
    stmt = _filtered(shared_choices_stmt(landlord_id).where(Dossier.moment_id == moment_id), criteria)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.with_only_columns(LandlordChoice.id)
                                                                      .subquery()))
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages) if clamp else page)
    stmt = _ordered(stmt, criteria).limit(per_page).offset((page - 1) * per_page)
    stmt = stmt.options(
        selectinload(LandlordChoice.landlord),
        selectinload(LandlordChoice.dossier).options(
            selectinload(Dossier.persons),
            selectinload(Dossier.preferences).options(
                selectinload(Preferences.municipalities),
                selectinload(Preferences.sub_municipalities).selectinload(SubMunicipality.municipality),
            ),
            selectinload(Dossier.documents),
        )
    )
    choices = list(db.session.scalars(stmt).unique())
    return DossierPage(rows=dossier_rows(choices, reader_id=landlord_id), total=total, page=page, pages=pages)


def moment_municipalities(landlord_id: int, moment_id: int) -> list[tuple[int, str]]:
    """(id, name) of the municipalities that this moment's dossiers for this landlord prefer, for the filter."""
    shared = shared_choices_stmt(landlord_id).where(Dossier.moment_id == moment_id)
    wanted = _wanted_municipalities()
    stmt = (
        sa.select(Municipality.id, Municipality.name)
        .where(Municipality.id.in_(sa.select(wanted.c.municipality_id).where(
            wanted.c.dossier_id.in_(shared.with_only_columns(Dossier.id))
        )))
        .order_by(Municipality.name)
    )
    return [tuple(row) for row in db.session.execute(stmt)]
