"""Consents the candidate gave (and withdrew), and the landlords the dossier is shared with."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, created_at, intpk, str_enum, utcnow
from inschrijving.dossiers.enums import ChoiceStatus, ConsentPurpose
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.dossiers.models.household import Dossier
    from inschrijving.landlords.models import Landlord


class Consent(db.Model):
    __tablename__ = "consents"
    __table_args__ = (
        sa.CheckConstraint(
            "(purpose = 'share_with_landlord') = (landlord_id IS NOT NULL)", name="landlord_iff_sharing"
        ),
        sa.CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
        sa.Index("ix_consents_dossier_id_purpose", "dossier_id", "purpose"),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose))
    landlord_id: Mapped[int | None] = mapped_column(sa.ForeignKey("landlords.id", ondelete="RESTRICT"), index=True)
    text_version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    dossier: Mapped[Dossier] = relationship(back_populates="consents")
    landlord: Mapped[Landlord | None] = relationship()

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class LandlordChoice(db.Model):
    """The candidate chose this landlord; the landlord reports back on it here."""

    __tablename__ = "landlord_choices"
    __table_args__ = (
        sa.UniqueConstraint("dossier_id", "landlord_id"),
        sa.Index("ix_landlord_choices_landlord_id_status", "landlord_id", "status"),
    )

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"))
    landlord_id: Mapped[int] = mapped_column(sa.ForeignKey("landlords.id", ondelete="RESTRICT"))
    # A choice exists only with the consent to share with this landlord.
    consent_id: Mapped[int] = mapped_column(sa.ForeignKey("consents.id", ondelete="RESTRICT"), unique=True)
    status: Mapped[ChoiceStatus] = mapped_column(str_enum(ChoiceStatus), default=ChoiceStatus.NEW)
    landlord_reference: Mapped[str | None] = mapped_column(sa.String(60))
    registered_on: Mapped[date | None]
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    status_set_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    status_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    first_downloaded_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # Set on every download: a dossier completed again after it (corrected) is "changed" for the landlord.
    last_downloaded_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[created_at]

    dossier: Mapped[Dossier] = relationship(back_populates="landlord_choices")
    landlord: Mapped[Landlord] = relationship()
    consent: Mapped[Consent] = relationship()

    # What the landlord reported, as facts: pages show one line per state and never compare status strings.
    @property
    def is_registered(self) -> bool:
        return self.status == ChoiceStatus.REGISTERED

    @property
    def is_incomplete(self) -> bool:
        return self.status == ChoiceStatus.INCOMPLETE

    @property
    def is_refused(self) -> bool:
        return self.status == ChoiceStatus.REFUSED

    @property
    def is_downloaded(self) -> bool:
        """Downloaded and not yet answered (a reported status says more than the download)."""
        return self.status == ChoiceStatus.DOWNLOADED

    @property
    def consent_is_withdrawn(self) -> bool:
        return self.consent is not None and self.consent.withdrawn_at is not None
