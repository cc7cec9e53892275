from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import AwareDateTime, bool_false, created_at, intpk, str_enum
from inschrijving.extensions import db


class LandlordKind(enum.StrEnum):
    SHM = "shm"
    SVK = "svk"
    WOONMAATSCHAPPIJ = "woonmaatschappij"


landlord_municipalities = sa.Table(
    "landlord_municipalities",
    db.metadata,
    sa.Column("landlord_id", sa.ForeignKey("landlords.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "municipality_id", sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)

# A landlord that serves only part of a municipality names its deelgemeenten here instead.
landlord_sub_municipalities = sa.Table(
    "landlord_sub_municipalities",
    db.metadata,
    sa.Column("landlord_id", sa.ForeignKey("landlords.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "sub_municipality_id",
        sa.ForeignKey("sub_municipalities.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[intpk]
    nis_code: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # Postcodes of the municipality and its sub-municipalities (deelgemeenten).
    postcodes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    sub_municipalities: Mapped[list[SubMunicipality]] = relationship(
        back_populates="municipality", order_by="SubMunicipality.name"
    )

    def __repr__(self) -> str:
        return f"<Municipality {self.nis_code} {self.name}>"


class SubMunicipality(db.Model):
    """A deelgemeente: a former municipality, now part of one (Bellegem in Kortrijk, Kaster in Anzegem)."""

    __tablename__ = "sub_municipalities"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: Mapped[intpk]
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    postcode: Mapped[str | None] = mapped_column(sa.String(4))

    municipality: Mapped[Municipality] = relationship(back_populates="sub_municipalities")

    @property
    def label(self) -> str:
        """"Bellegem (Kortrijk)"; the deelgemeente that carries its municipality's name is just that name."""
        if self.name == self.municipality.name:
            return _("%(name)s (centrum)", name=self.name)
        return f"{self.name} ({self.municipality.name})"

    def __repr__(self) -> str:
        return f"<SubMunicipality {self.name}>"


class Landlord(db.Model):
    __tablename__ = "landlords"
    __table_args__ = (
        sa.CheckConstraint(
            "active_until IS NULL OR active_from IS NULL OR active_until >= active_from",
            name="active_period_ordered",
        ),
        sa.CheckConstraint("successor_id IS NULL OR successor_id <> id", name="not_own_successor"),
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[LandlordKind] = mapped_column(str_enum(LandlordKind))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(32))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    active_from: Mapped[date | None]
    active_until: Mapped[date | None]
    is_demo: Mapped[bool_false]
    created_at: Mapped[created_at]
    # Succession (a merger): the landlord that took this one over. Dossiers keep the landlord they
    # chose; the successor's portal gets this landlord's dossiers of moments after `active_until`,
    # and all of them when the coordinator sets `successor_reads_history` (docs/landlords.md).
    successor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("landlords.id", ondelete="SET NULL"), index=True)
    successor_reads_history: Mapped[bool_false]

    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=landlord_municipalities, order_by=Municipality.name
    )
    # Deelgemeenten served where the landlord does not serve the whole municipality.
    sub_municipalities: Mapped[list[SubMunicipality]] = relationship(
        secondary=landlord_sub_municipalities, order_by=SubMunicipality.name
    )
    successor: Mapped[Landlord | None] = relationship(remote_side="Landlord.id", foreign_keys=[successor_id])
    # No `users` collection: staff accounts point at their landlord (accounts.models.User.landlord), so
    # this module needs nothing from accounts and the two model modules do not import each other.

    def serves(self, municipality_ids: set[int], sub_municipalities: list[SubMunicipality]) -> bool:
        """Whether it has dwellings where the candidate wants to live, at the finer level.

        A chosen deelgemeente is served by a landlord of that deelgemeente or of its whole municipality;
        a chosen whole municipality by a landlord of the whole or of one of its deelgemeenten.
        """
        whole = {m.id for m in self.municipalities}
        mine = {s.id for s in self.sub_municipalities}
        partly = {s.municipality_id for s in self.sub_municipalities}
        if any(s.id in mine or s.municipality_id in whole for s in sub_municipalities):
            return True
        return bool(municipality_ids & (whole | partly))

    def area_names(self) -> list[str]:
        """Its area in words: whole municipalities by name, deelgemeenten as "Bellegem (Kortrijk)"."""
        return sorted([m.name for m in self.municipalities] + [s.label for s in self.sub_municipalities])

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )

    def __repr__(self) -> str:
        return f"<Landlord {self.slug}>"


class ApiToken(db.Model):
    """A landlord system's credential for /api/v1/; only the token's hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    landlord_id: Mapped[int] = mapped_column(sa.ForeignKey("landlords.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    landlord: Mapped[Landlord] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class DossierSection(db.Model):
    """A dossier's packet section, rendered once and merged into every packet that needs it.

    The cache key covers the dossier version, the section template version and the documents, so
    any change to one of them misses the cache and the section is rendered again.
    """

    __tablename__ = "dossier_sections"
    __table_args__ = (sa.UniqueConstraint("dossier_id", "cache_key"),)

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    cache_key: Mapped[str] = mapped_column(sa.String(64))
    dossier_version: Mapped[int]
    template_version: Mapped[str] = mapped_column(sa.String(20))
    page_count: Mapped[int]
    # The section's prepared part, encrypted, in a file of its own (`storage.store_blob`); deleted with the row.
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    rendered_at: Mapped[created_at]

