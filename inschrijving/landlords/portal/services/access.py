"""Every read of a landlord's dossiers is audited; every download also marks the dossiers downloaded.

Portal pages and API calls both come here: the reader is a landlord staff member (`User`) or a
landlord system's `ApiToken`, and the audit event says which, with its landlord and address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from inschrijving.accounts.models import AuditEvent, User
from inschrijving.accounts.services.audit import record_audit
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
    choices: Sequence[LandlordChoice],
    *,
    actor: Reader,
    ip: str | None,
    now: datetime,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    **detail: Any,
) -> None:
    """Mark these choices downloaded (a new one becomes "downloaded", a report is kept) and audit the download."""
    for choice in choices:
        if choice.first_downloaded_at is None:
            choice.first_downloaded_at = now
        choice.last_downloaded_at = now
        if choice.status == ChoiceStatus.NEW:
            choice.status = ChoiceStatus.DOWNLOADED
            choice.status_set_at = now
    record_view(actor=actor, ip=ip, action=action, object_type=object_type, object_id=object_id, **detail)
    db.session.flush()


def action_prefix(actor: Reader) -> str:
    """Where a reader came in: "api" for a token, "portal" for a staff member (the audit actions' first word)."""
    return "api" if isinstance(actor, ApiToken) else "portal"
