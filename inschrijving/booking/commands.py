"""Flask command for the reminder timer: `flask --app wsgi send-reminders`."""

from __future__ import annotations

import click

from inschrijving.booking.services.reminders import run_reminders


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Queue reminder e-mails for bookings REMINDER_DAYS_BEFORE days ahead and expire old waiting-list offers."""
    counts = run_reminders()
    click.echo(f"queued {counts['reminders']} reminders, expired {counts['expired_offers']} offers")
