"""Read-side selects: who may see which dossier (for other domains), and the lists of the intake pages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

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
