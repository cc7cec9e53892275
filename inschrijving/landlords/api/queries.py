"""Read-side selects of the API's tokens."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from inschrijving.extensions import db
from inschrijving.landlords.models import ApiToken


def list_tokens() -> list[ApiToken]:
    """Every landlord's tokens, live ones first, newest first, with their landlord."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .options(joinedload(ApiToken.landlord))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )

