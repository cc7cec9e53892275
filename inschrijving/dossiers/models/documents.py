"""The papers uploaded to a dossier (the files themselves are encrypted in storage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inschrijving.db_types import created_at, intpk, str_enum
from inschrijving.dossiers.enums import DocumentKind
from inschrijving.extensions import db

if TYPE_CHECKING:
    from inschrijving.dossiers.models.household import Dossier, Person


class Document(db.Model):
    __tablename__ = "documents"

    id: Mapped[intpk]
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id", ondelete="SET NULL"))
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind))
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    # Decided from the file's first bytes, never from its name.
    content_type: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    # Pages in the file (a PDF's pages; an image is one), shown after upload; None for older uploads.
    page_count: Mapped[int | None]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_at: Mapped[created_at]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    person: Mapped[Person | None] = relationship()

    @property
    def is_image(self) -> bool:
        """A scan or photo (a small preview can be shown); otherwise a PDF."""
        return self.content_type.startswith("image/")
