"""The dossier's history: who changed which part, what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, intpk, utcnow
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.accounts.models import User


class DossierChange(db.Model):
    """History: who changed which part of a dossier, and what, and when."""

    __tablename__ = "dossier_changes"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    step: Mapped[str] = mapped_column(sa.String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()
