"""Flask commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask

from inschrijving.accounts.models import Role
from inschrijving.accounts.services import audit, users
from inschrijving.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(backup_command)
    from inschrijving.seed.commands import seed_demo

    app.cli.add_command(seed_demo)
    from inschrijving.booking.commands import send_reminders_command
    from inschrijving.notifications.commands import send_outbox_command

    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_outbox_command)
    from inschrijving.privacy.commands import purge_expired_command

    app.cli.add_command(purge_expired_command)


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.COORDINATOR.value)
@click.option("--landlord", "landlord_slug", default=None, help="Slug of the landlord (for landlord staff).")
@click.password_option()
def create_user(email: str, name: str, role: str, landlord_slug: str | None, password: str) -> None:
    """Create a staff account (the first coordinator, typically)."""
    import sqlalchemy as sa

    from inschrijving.landlords.models import Landlord

    landlord_id = None
    if landlord_slug:
        landlord = db.session.scalar(sa.select(Landlord).where(Landlord.slug == landlord_slug))
        if landlord is None:
            raise click.ClickException(f"No landlord with slug {landlord_slug!r}.")
        landlord_id = landlord.id
    try:
        user = users.create_user(
            email=email,
            name=name,
            role=Role(role),
            password=password,
            landlord_id=landlord_id,
            actor=audit.Actor.system("cli"),
        )
    except users.AccountError as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False))
def backup_command(target: str) -> None:
    """Write a consistent copy of the SQLite database and the document store into TARGET."""
    from flask import current_app

    from inschrijving import maintenance
    from inschrijving.db_types import utcnow

    try:
        result = maintenance.backup(
            database_url=current_app.config["SQLALCHEMY_DATABASE_URI"],
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            target=target,
            now=utcnow(),
        )
    except maintenance.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {result.directory} ({result.document_count} document files).")
