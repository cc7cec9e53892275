"""Demo data for `flask --app wsgi seed-demo`.

Two layers with different rules:
- reference data (the region's municipalities, the yearly income limits) is real and is added by
  its stable key (NIS code, year) to any database that lacks it;
- the demo set (landlords marked is_demo, one user per role, moments, bookings, dossiers) is
  fictitious and is only written to a database without users and moments, so a real installation
  never gains accounts with printed passwords.

The models are written directly rather than through the domain services, so the demo can show
states (checked in, completed, reported back by a landlord) that take a whole day of clicks.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from inschrijving.accounts.models import Role, User
from inschrijving.db_types import utcnow
from inschrijving.dossiers.models import IncomeLimit
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, LandlordKind, Municipality
from inschrijving.planning.models import RegistrationMoment
from inschrijving.seed import data as seed_data


@dataclass
class SeedReport:
    municipalities: int = 0
    income_limits: int = 0
    landlords: int = 0
    users: int = 0
    moments: int = 0
    bookings: int = 0
    dossiers: int = 0
    demo_skipped: bool = False
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    manage_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any((self.municipalities, self.income_limits, self.landlords, self.users, self.moments))


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill an empty database with the region's municipalities, landlords and a fictitious demo set."""
    logins_path = demo_logins_path()
    report = seed(now=utcnow(), base_url=current_app.config["PUBLIC_BASE_URL"])
    db.session.commit()
    if report.logins:
        write_logins(logins_path, report, base_url=current_app.config["PUBLIC_BASE_URL"])
    if not report.created_anything:
        click.echo("The database already holds data: seed-demo seeded nothing new.")
    else:
        click.echo(
            f"Seeded {report.municipalities} municipalities, {report.income_limits} income limit year(s), "
            f"{report.landlords} landlords, {report.users} users, {report.moments} moments, "
            f"{report.bookings} bookings, {report.dossiers} dossiers."
        )
        if report.demo_skipped:
            click.echo("Users or moments already exist, so no demo accounts or fictitious data were added.")
    if logins_path.exists():
        click.echo(logins_path.read_text(encoding="utf-8"), nl=False)


def demo_logins_path() -> Path:
    configured = current_app.config.get("DEMO_LOGINS_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "demo-logins.txt"


def write_logins(path: Path, report: SeedReport, *, base_url: str) -> None:
    """Keep the demo passwords where `make run` can show them again; readable by the owner only."""
    lines = [
        "Demo logins (fictitious demo data; never use these accounts on a real installation)",
        f"Log in at {base_url}/login",
        "",
    ]
    role_width = max(len(role) for role, _email, _pw in report.logins)
    width = max(len(email) for _role, email, _pw in report.logins)
    lines += [f"  {role:<{role_width}}  {email:<{width}}  {password}" for role, email, password in report.logins]
    if report.manage_links:
        lines += ["", "A few candidates' manage links (the token is stored nowhere else):"]
        lines += [f"  {reference}  {link}" for reference, link in report.manage_links]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # an older file may have been created with wider rights


def seed(*, now: datetime, base_url: str) -> SeedReport:
    """Add what is missing; flushes, never commits."""
    report = SeedReport()
    municipalities = _seed_municipalities(report)
    _seed_income_limits(report, now=now)
    has_users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    has_moments = db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationMoment))
    if has_users or has_moments:
        report.demo_skipped = True
        return report
    landlords = _seed_landlords(report, municipalities)
    users = _seed_users(report, landlords)
    from inschrijving.seed.demo import DemoSet

    DemoSet(report, now=now, base_url=base_url, municipalities=municipalities, landlords=landlords,
            users=users).build()
    db.session.flush()
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


def _seed_landlords(report: SeedReport, municipalities: dict[str, Municipality]) -> list[Landlord]:
    existing = {lo.slug: lo for lo in db.session.scalars(sa.select(Landlord))}
    landlords = []
    for data in seed_data.LANDLORDS:
        landlord = existing.get(data["slug"])
        if landlord is None:
            landlord = Landlord(
                slug=data["slug"], name=data["name"], kind=LandlordKind(data["kind"]),
                contact_email=data["contact_email"], contact_phone=data["contact_phone"],
                address=data["address"], is_demo=True,
                municipalities=[municipalities[code] for code in data["municipalities"]],
            )
            db.session.add(landlord)
            report.landlords += 1
        landlords.append(landlord)
    db.session.flush()
    return landlords


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
