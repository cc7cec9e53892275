"""The real reference data (municipalities, income limits) for any database, and the demo set for an empty one."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from inschrijving.accounts.models import Role, User
from inschrijving.dossiers.enums import DossierStatus
from inschrijving.dossiers.models.household import Dossier
from inschrijving.dossiers.models.means import IncomeLimit
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, Municipality
from inschrijving.notifications.services import render_packet_section_after_commit
from inschrijving.planning.models import RegistrationMoment
from inschrijving.seed import data as seed_data
from inschrijving.seed import land_demo
from inschrijving.seed.demo import DemoSet
from inschrijving.seed.report import SeedReport


def seed(*, now: datetime, base_url: str) -> SeedReport:
    """Add what is missing; flushes, never commits."""
    report = SeedReport()
    municipalities = _seed_municipalities(report)
    land_demo.seed_sub_municipalities(municipalities)
    _seed_income_limits(report, now=now)
    has_users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    has_moments = db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationMoment))
    if has_users or has_moments:
        report.demo_skipped = True
        return report
    landlords = land_demo.seed_landlords(report, municipalities)
    users = _seed_users(report, landlords)
    DemoSet(report, now=now, base_url=base_url, municipalities=municipalities, landlords=landlords,
            users=users).build()
    db.session.flush()
    # As when a volunteer completes a dossier: the worker renders each packet section once this commits, so the
    # landlords' lists do not show the demo's complete dossiers as "being prepared" with nothing queued.
    for dossier_id in db.session.scalars(sa.select(Dossier.id).where(Dossier.status == DossierStatus.COMPLETE)):
        render_packet_section_after_commit(dossier_id)
    return report


def _seed_municipalities(report: SeedReport) -> dict[str, Municipality]:
    existing = {m.nis_code: m for m in db.session.scalars(sa.select(Municipality))}
    for nis_code, name, postcodes in seed_data.MUNICIPALITIES:
        if nis_code not in existing:
            existing[nis_code] = Municipality(nis_code=nis_code, name=name, postcodes=postcodes)
            db.session.add(existing[nis_code])
            report.municipalities += 1
    return existing


def _seed_income_limits(report: SeedReport, *, now: datetime) -> None:
    data = seed_data.INCOME_LIMIT_2024
    if db.session.scalar(sa.select(IncomeLimit.id).where(IncomeLimit.year == data["year"])) is None:
        db.session.add(IncomeLimit(indexation={}, created_at=now, **data))
        report.income_limits += 1


def _seed_users(report: SeedReport, landlords: list[Landlord]) -> dict[str, User]:
    wanted = [
        ("coordinator", "coordinator@groepsinschrijving.example", "Demo Coördinator", Role.COORDINATOR, None),
        ("volunteer", "vrijwilliger@groepsinschrijving.example", "Demo Vrijwilliger", Role.VOLUNTEER, None),
    ] + [
        (f"landlord {lo.slug}", f"{lo.slug}@groepsinschrijving.example", f"Demo {lo.name}", Role.LANDLORD, lo)
        for lo in landlords
    ]
    users = {}
    for key, email, name, role, landlord in wanted:
        password = secrets.token_urlsafe(12)
        user = User(email=email, name=name, role=role, landlord=landlord,
                    calendar_token=secrets.token_urlsafe(24))
        user.set_password(password)
        db.session.add(user)
        users[key] = user
        report.users += 1
        report.logins.append((key, email, password))
    db.session.flush()
    return users
