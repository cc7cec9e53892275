"""Who staffs a moment, and the personal calendar feed of staff."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import sqlalchemy as sa

from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services import audit as account_audit
from inschrijving.extensions import db
from inschrijving.planning.models import MomentStatus, RegistrationMoment
from inschrijving.planning.services.base import PlanningError


def set_staff(moment: RegistrationMoment, user_ids: Iterable[int], *, actor: User, ip: str | None) -> list[User]:
    """Set who staffs a moment; only enabled coordinators and volunteers can. Audited."""
    ids = set(user_ids)
    users = (
        db.session.scalars(
            sa.select(User).where(
                User.id.in_(ids), User.is_enabled.is_(True), User.role.in_((Role.COORDINATOR, Role.VOLUNTEER))
            )
        ).all()
        if ids
        else []
    )
    if len(users) != len(ids):
        raise PlanningError(ids)
    moment.staff = sorted(users, key=lambda u: u.name)
    db.session.flush()
    account_audit.record_audit(actor=actor, action="moment.staff", object_type="moment", object_id=moment.id,
                                  detail={"user_ids": [u.id for u in moment.staff]}, ip=ip)
    return moment.staff


def list_feed_moments(user: User) -> list[RegistrationMoment]:
    """Moments in a user's calendar feed: what they staff, or for coordinators every published moment.

    A closed moment stays in the feed: closing only stops new bookings, the day itself still happens.
    """
    stmt = (
        sa.select(RegistrationMoment)
        .where(RegistrationMoment.status.in_((MomentStatus.PUBLISHED, MomentStatus.CLOSED)))
        .order_by(RegistrationMoment.held_on)
    )
    if user.role != Role.COORDINATOR:
        stmt = stmt.where(RegistrationMoment.staff.any(User.id == user.id))
    return list(db.session.scalars(stmt.options(sa.orm.selectinload(RegistrationMoment.slots))))


def renew_calendar_token(user: User, *, ip: str | None) -> str:
    """Give the user a new secret feed link at their own request; the old link stops working at once. Audited."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.flush()
    account_audit.record_audit(actor=user, action="user.calendar_token_renewed", object_type="user",
                                  object_id=user.id, ip=ip)
    return user.calendar_token


def get_feed_user(token: str) -> User | None:
    """The enabled coordinator or volunteer owning a calendar token, or None."""
    if not token:
        return None
    user = db.session.scalar(sa.select(User).where(User.calendar_token == token))
    if user is None or not user.is_enabled or user.role not in (Role.COORDINATOR, Role.VOLUNTEER):
        return None
    return user
