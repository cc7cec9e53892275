"""Staff reads of personal data in dossiers: a dossier page, the list of a moment, a scan.

Every one of them is written to the audit trail here, so no page can show a dossier without it.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from inschrijving.accounts.services.audit import Actor, audit
from inschrijving.dossiers import queries
from inschrijving.dossiers.models.documents import Document
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.services.documents import load_document, load_upright_image
from inschrijving.dossiers.services.lifecycle import load_dossier


def view_dossier(dossier_id: int, *, actor: Actor, page: str) -> Dossier | None:
    """Load a dossier for a staff page and note who read it on which page (nothing noted when missing)."""
    dossier = load_dossier(dossier_id)
    if dossier is not None:
        audit(actor, "dossier.viewed", object_type="dossier", object_id=dossier.id, detail={"page": page})
    return dossier


def view_dossier_list(criteria: queries.DossierFilter, *, page: int, actor: Actor,
                      scope: sa.ColumnElement[bool] | None = None) -> queries.DossierPage:
    """One page of the dossier list (a moment's, or all, filtered): it names households, so it is noted.

    `scope` limits it to what the reader may open (`queries.dossier_scope`).
    """
    audit(actor, "dossier.list_viewed", object_type="moment", object_id=criteria.moment_id,
          detail={k: v for k, v in (("status", criteria.status), ("search", criteria.search)) if v})
    return queries.page_dossiers(criteria, page=page, scope=scope)


def hand_out_document(document: Document, *, actor: Actor) -> bytes:
    """The original bytes of a scan for a staff download, noted with its dossier and kind.

    :raises storage.StorageError: the file is missing or cannot be decrypted (nothing is noted then).
    """
    data = load_document(document)
    audit(
        actor,
        "document.downloaded",
        object_type="document",
        object_id=document.id,
        detail={"dossier_id": document.dossier_id, "kind": document.kind.value},
    )
    return data


def hand_out_preview(document: Document, *, actor: Actor, size: int = 240) -> bytes:
    """A small upright JPEG of a scanned image, to check on screen that the right paper was uploaded; noted
    like a download (it shows the paper).

    :raises storage.StorageError: the file is missing or cannot be decrypted (nothing is noted then).
    """
    data, _mime = load_upright_image(document)
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((size, size))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
    audit(
        actor,
        "document.previewed",
        object_type="document",
        object_id=document.id,
        detail={"dossier_id": document.dossier_id, "kind": document.kind.value},
    )
    return out.getvalue()
