"""`flask --app wsgi purge-expired`: storage limitation, run daily from a timer."""

from __future__ import annotations

import click

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.privacy import services


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Print what would be removed; change nothing.")
def purge_expired_command(dry_run: bool) -> None:
    """Delete or anonymise the personal data of moments past their retention period."""
    report = services.purge_expired(utcnow(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    heading = "Would remove (dry run, nothing changed):" if dry_run else "Removed:"
    click.echo(heading)
    for name, count in report.counts().items():
        click.echo(f"  {name.replace('_', ' ')}: {count}")
