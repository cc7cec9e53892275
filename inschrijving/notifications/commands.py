"""Flask command that delivers the outbox: `flask --app wsgi send-outbox`."""

from __future__ import annotations

import click

from inschrijving.notifications.delivery import send_outbox


@click.command("send-outbox")
@click.option("--limit", default=200, show_default=True, help="Most messages to send in this run.")
def send_outbox_command(limit: int) -> None:
    """Deliver queued e-mail and SMS now (the worker does this after every commit; this is for manual runs)."""
    counts = send_outbox(limit=limit)
    click.echo(f"sent {counts['sent']}, will retry {counts['failed']}, gave up {counts['gave_up']}")
