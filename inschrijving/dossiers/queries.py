"""Read-side selects: who may see which dossier (for other domains), and the lists of the intake pages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from inschrijving.dossiers.models import (
    Consent,
    ConsentPurpose,
    Dossier,
    DossierChange,
    DossierStatus,
    IncomeLimit,
    LandlordChoice,
    Preferences,
)
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality


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


def list_dossiers(*, moment_id: int | None, limit: int = 500) -> list[Dossier]:
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


def list_municipality_choices(on: date) -> list[tuple[int, str]]:
    """(id, name) of the municipalities served by a landlord active on that day, by name."""
    stmt = (
        sa.select(Municipality.id, Municipality.name)
        .join(Landlord.municipalities)
        .where(
            (Landlord.active_from.is_(None)) | (Landlord.active_from <= on),
            (Landlord.active_until.is_(None)) | (Landlord.active_until >= on),
        )
        .distinct()
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
