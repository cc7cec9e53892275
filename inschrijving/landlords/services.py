"""Landlord rules: creating and changing landlords (coordinators), and what candidates read of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from inschrijving import contact
from inschrijving.accounts.models import User
from inschrijving.accounts.services.audit import record_audit
from inschrijving.dossiers.enums import ChoiceStatus
from inschrijving.dossiers.models.consent import LandlordChoice
from inschrijving.dossiers.models.household import Dossier
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, LandlordKind, Municipality, SubMunicipality


class LandlordError(Exception):
    """Base class for landlord management rule violations."""


class SlugTaken(LandlordError):
    pass


class InvalidPeriod(LandlordError):
    """The active period ends before it starts."""


class InvalidPhone(LandlordError):
    pass


class InvalidEmail(LandlordError):
    pass


class UnknownMunicipality(LandlordError):
    pass


class InvalidSuccessor(LandlordError):
    """The successor is the landlord itself, unknown, or already succeeded by it (a loop)."""


@dataclass(frozen=True)
class LandlordData:
    name: str
    slug: str
    kind: LandlordKind
    contact_email: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    municipality_ids: tuple[int, ...] = ()
    active_from: date | None = None
    active_until: date | None = None
    sub_municipality_ids: tuple[int, ...] = ()
    successor_id: int | None = None
    successor_reads_history: bool = False


def normalise_phone(raw: str) -> str:
    """Return a Belgian (or international) phone number in readable international notation."""
    try:
        return contact.normalise_phone(raw, readable=True)
    except ValueError as exc:
        raise InvalidPhone(raw) from exc


def normalise_email(raw: str) -> str:
    try:
        return contact.normalise_email(raw)
    except ValueError as exc:
        raise InvalidEmail(str(exc)) from exc


def create_landlord(data: LandlordData, *, actor: User, ip: str | None = None) -> Landlord:
    """Add a landlord; the audit trail records who did it."""
    values = _clean(data, landlord_id=None)
    landlord = Landlord(**values)
    db.session.add(landlord)
    db.session.flush()
    record_audit(actor=actor, action="landlord.create", object_type="landlord", object_id=landlord.id,
                 detail={"slug": landlord.slug, "name": landlord.name}, ip=ip)
    return landlord


def update_landlord(landlord: Landlord, data: LandlordData, *, actor: User, ip: str | None = None) -> dict:
    """Change a landlord; return (and audit) what changed, as {field: [old, new]}."""
    values = _clean(data, landlord_id=landlord.id)
    changes = {}
    for key, new in values.items():
        old = getattr(landlord, key)
        if key in ("municipalities", "sub_municipalities"):
            old_names, new_names = sorted(_place(m) for m in old), sorted(_place(m) for m in new)
            if old_names != new_names:
                changes[key] = [old_names, new_names]
        elif old != new:
            changes[key] = [_plain(old), _plain(new)]
        setattr(landlord, key, new)
    if changes:
        db.session.flush()
        record_audit(actor=actor, action="landlord.update", object_type="landlord", object_id=landlord.id,
                     detail=changes, ip=ip)
    return changes


def _clean(data: LandlordData, *, landlord_id: int | None) -> dict:
    if data.active_from and data.active_until and data.active_until < data.active_from:
        raise InvalidPeriod()
    slug = data.slug.strip().lower()
    clash = db.session.scalar(sa.select(Landlord.id).where(Landlord.slug == slug, Landlord.id != landlord_id))
    if clash is not None:
        raise SlugTaken(slug)
    municipalities = []
    if data.municipality_ids:
        municipalities = list(
            db.session.scalars(
                sa.select(Municipality)
                .where(Municipality.id.in_(data.municipality_ids))
                .order_by(Municipality.name)
            )
        )
        if len(municipalities) != len(set(data.municipality_ids)):
            raise UnknownMunicipality()
    return {
        **_area_and_succession(data, landlord_id=landlord_id),
        "name": data.name.strip(),
        "slug": slug,
        "kind": LandlordKind(data.kind),
        "contact_email": normalise_email(data.contact_email) if _filled(data.contact_email) else None,
        "contact_phone": normalise_phone(data.contact_phone) if _filled(data.contact_phone) else None,
        "address": data.address.strip() if _filled(data.address) else None,
        "municipalities": municipalities,
        "active_from": data.active_from,
        "active_until": data.active_until,
    }


def _area_and_succession(data: LandlordData, *, landlord_id: int | None) -> dict:
    """The deelgemeenten served and the successor, checked (a successor is never the landlord, nor a loop)."""
    parts = []
    if data.sub_municipality_ids:
        parts = list(db.session.scalars(sa.select(SubMunicipality).where(
            SubMunicipality.id.in_(data.sub_municipality_ids)).order_by(SubMunicipality.name)))
        if len(parts) != len(set(data.sub_municipality_ids)):
            raise UnknownMunicipality()
    successor = None
    if data.successor_id is not None:
        successor = db.session.get(Landlord, data.successor_id)
        if successor is None or successor.id == landlord_id or (
            landlord_id is not None and successor.successor_id == landlord_id
        ):
            raise InvalidSuccessor()
    return {
        "sub_municipalities": parts,
        "successor_id": successor.id if successor else None,
        "successor_reads_history": bool(data.successor_reads_history and successor is not None),
    }


def _place(place: Municipality | SubMunicipality) -> str:
    return place.nis_code if isinstance(place, Municipality) else place.label


def _filled(value: str | None) -> bool:
    return bool(value and value.strip())


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value is not None else None


def _is_withdrawn(choice: LandlordChoice) -> bool:
    return choice.consent is not None and choice.consent.withdrawn_at is not None


def candidate_sees_status_lines(dossier: Dossier) -> bool:
    """Tell whether the candidate's manage page shows what the landlords did.

    A complete dossier always does. A dossier back in draft (reopened to be corrected) does once a
    landlord whose consent still stands had it: the candidate must keep reading, for instance, what
    a landlord found missing, exactly while that is being fixed.
    """
    if dossier.is_complete:
        return True
    return any(
        not _is_withdrawn(c) and (c.status != ChoiceStatus.NEW or c.first_downloaded_at is not None)
        for c in dossier.landlord_choices
    )


def candidate_status_lines(dossier: Dossier) -> list[str]:
    """Plain-language lines for the candidate's manage page: what each chosen landlord did.

    A landlord whose consent was withdrawn is left out: it no longer has the dossier.
    """
    lines = []
    choices = [c for c in dossier.landlord_choices if not _is_withdrawn(c)]
    for choice in sorted(choices, key=lambda c: c.landlord.name):
        name = choice.landlord.name
        if choice.status == ChoiceStatus.REGISTERED and choice.registered_on is not None:
            lines.append(
                _(
                    "%(landlord)s heeft u ingeschreven op %(day)s, nummer %(number)s.",
                    landlord=name,
                    day=format_date(choice.registered_on, "d MMMM y"),
                    number=choice.landlord_reference,
                )
            )
        elif choice.status == ChoiceStatus.INCOMPLETE:
            lines.append(
                _("%(landlord)s mist nog iets in uw dossier: %(what)s", landlord=name, what=choice.status_note)
            )
        elif choice.status == ChoiceStatus.REFUSED:
            lines.append(_("%(landlord)s kan u niet inschrijven: %(reason)s", landlord=name, reason=choice.status_note))
        elif choice.status == ChoiceStatus.DOWNLOADED:
            lines.append(_("%(landlord)s heeft uw dossier ontvangen.", landlord=name))
        else:
            lines.append(_("%(landlord)s heeft uw dossier nog niet bekeken.", landlord=name))
    return lines
