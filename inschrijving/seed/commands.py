"""`flask --app wsgi seed-demo`, and where it keeps the demo logins."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.seed.reference import seed
from inschrijving.seed.report import SeedReport


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
