"""Every read of a landlord's dossiers is audited; every download also marks the dossiers downloaded.

Portal pages and API calls both come here: the reader is a landlord staff member (`User`) or a
landlord system's `ApiToken`, and the audit event says which, with its landlord and address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from inschrijving.accounts.models import AuditEvent, User
from inschrijving.accounts.services.audit import record_audit
from inschrijving.db_types import AwareDateTime
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.extensions import db
from inschrijving.landlords.models import ApiToken

Reader = User | ApiToken


def record_view(
    *,
    actor: Reader,
    ip: str | None,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Audit a read by a landlord's staff member or system: who, which landlord, what, from where."""
    if isinstance(actor, ApiToken):
        return record_audit(
            actor=None,
            actor_label=f"api-token:{actor.id}",
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail={"landlord_id": actor.landlord_id, "token_id": actor.id, **detail},
            ip=ip,
        )
    return record_audit(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail={"landlord_id": actor.landlord_id, **detail},
        ip=ip,
    )


def record_download(
    choices: Sequence[LandlordChoice] | Sequence[int],
    *,
    actor: Reader,
    ip: str | None,
    now: datetime,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    **detail: Any,
) -> None:
    """Mark these choices downloaded (a new one becomes "downloaded", a report is kept) and audit the download.

    The choices loaded, or their ids (a packet reads plain rows, `shared.packet_entries`).
    """
    loaded = [choice for choice in choices if isinstance(choice, LandlordChoice)]
    ids = [choice.id if isinstance(choice, LandlordChoice) else choice for choice in choices]
    is_new = LandlordChoice.status == ChoiceStatus.NEW
    # Typed as the columns are: inside COALESCE and CASE the bare value would be bound as a plain datetime,
    # which SQLite keeps as written (local time read back as UTC) instead of converting it to UTC.
    at = sa.type_coerce(now, AwareDateTime())
    # One statement for a moment's choices, not one UPDATE each through the unit of work (a third of a
    # packet download's own work at 100 dossiers). Each right-hand side reads the row as it was.
    db.session.execute(
        sa.update(LandlordChoice)
        .where(LandlordChoice.id.in_(ids))
        .values(
            first_downloaded_at=sa.func.coalesce(LandlordChoice.first_downloaded_at, at),
            last_downloaded_at=at,
            status=sa.case((is_new, ChoiceStatus.DOWNLOADED), else_=LandlordChoice.status),
            status_set_at=sa.case((is_new, at), else_=LandlordChoice.status_set_at),
        )
        .execution_options(synchronize_session=False)
    )
    # The loaded choices say what the rows now hold, as if read again (nothing left for a flush to write).
    for choice in loaded:
        set_committed_value(choice, "last_downloaded_at", now)
        if choice.first_downloaded_at is None:
            set_committed_value(choice, "first_downloaded_at", now)
        if choice.status == ChoiceStatus.NEW:
            set_committed_value(choice, "status", ChoiceStatus.DOWNLOADED)
            set_committed_value(choice, "status_set_at", now)
    record_view(actor=actor, ip=ip, action=action, object_type=object_type, object_id=object_id, **detail)
    db.session.flush()


def action_prefix(actor: Reader) -> str:
    """Where a reader came in: "api" for a token, "portal" for a staff member (the audit actions' first word)."""
    return "api" if isinstance(actor, ApiToken) else "portal"
