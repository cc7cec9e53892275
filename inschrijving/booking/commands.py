"""Flask command for the reminder timer: `flask --app wsgi send-reminders`."""

from __future__ import annotations

import click
from flask import current_app

from inschrijving.booking.services import reminders, waitlist
from inschrijving.db_types import utcnow
from inschrijving.extensions import db


def run_reminders() -> dict[str, int]:
    """Expire unclaimed waiting-list offers, then queue due reminders; one commit per booking."""
    expired = waitlist.expire_offers(now=utcnow())
    db.session.commit()
    days = current_app.config["REMINDER_DAYS_BEFORE"]
    sent = 0
    for booking_id in reminders.list_due_reminder_ids(now=utcnow(), days_before=days):
        if reminders.send_reminder(booking_id, now=utcnow()):
            sent += 1
            db.session.commit()
        else:
            db.session.rollback()
    return {"reminders": sent, "expired_offers": expired}


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Queue reminder e-mails for bookings REMINDER_DAYS_BEFORE days ahead and expire old waiting-list offers."""
    counts = run_reminders()
    click.echo(f"queued {counts['reminders']} reminders, expired {counts['expired_offers']} offers")
