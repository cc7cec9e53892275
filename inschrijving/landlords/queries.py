"""Read-side selects of landlord management: the region's landlords and municipalities."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality, SubMunicipality


def list_landlords() -> list[Landlord]:
    """All landlords by name, with the municipalities they serve loaded in one extra query."""
    return list(
        db.session.scalars(
            sa.select(Landlord)
            .options(
                selectinload(Landlord.municipalities),
                selectinload(Landlord.sub_municipalities).joinedload(SubMunicipality.municipality),
                joinedload(Landlord.successor),
            )
            .order_by(Landlord.name)
        )
    )


def list_municipalities() -> list[Municipality]:
    """The region's municipalities by name."""
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name)))


def list_sub_municipalities() -> list[SubMunicipality]:
    """The region's deelgemeenten, by municipality, the one that carries the municipality's name first."""
    parts = db.session.scalars(sa.select(SubMunicipality).options(joinedload(SubMunicipality.municipality)))
    return sorted(parts, key=lambda s: (s.municipality.name, s.name != s.municipality.name, s.name))
