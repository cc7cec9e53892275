"""Read-side selects of landlord management: the region's landlords and municipalities."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality


def list_landlords() -> list[Landlord]:
    """All landlords by name, with the municipalities they serve loaded in one extra query."""
    return list(
        db.session.scalars(
            sa.select(Landlord).options(selectinload(Landlord.municipalities)).order_by(Landlord.name)
        )
    )


def list_municipalities() -> list[Municipality]:
    """The region's municipalities by name."""
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name)))
