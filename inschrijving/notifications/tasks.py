"""The worker's tasks: deliver the outbox at once after a commit, and the periodic jobs of the old timers.

One worker process (`huey_consumer`, the Procfile's `worker:` line) replaces the cron lines for
send-outbox, send-reminders and purge-expired; the CLI commands stay for manual runs.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from huey import crontab

from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.notifications.queue import huey, register, with_app

log = logging.getLogger(__name__)


@register
@huey.task(retries=3, retry_delay=30, retry_backoff=2)
@with_app
def deliver_outbox() -> dict[str, int]:
    """Send every due message; enqueued after each commit that queued one, and every minute as a safety net.

    Two runs at once are safe: each message is claimed with a lease before it is sent.
    """
    from inschrijving.notifications.delivery import send_outbox

    return send_outbox()


@huey.periodic_task(crontab(minute="*"), name="deliver_outbox_every_minute")
def deliver_outbox_periodically() -> None:
    # Retries whose backoff has passed, and messages queued while the broker was unreachable.
    deliver_outbox.call_local()


@huey.periodic_task(crontab(minute="*/5"))
@with_app
def expire_waitlist_offers() -> int:
    """Give an unclaimed waiting-list seat to the next person once its offer's deadline has passed."""
    from inschrijving.booking.services import waitlist

    expired = waitlist.expire_offers(now=utcnow())
    db.session.commit()
    return expired


@huey.periodic_task(crontab(minute="*/15"))
@with_app
def send_reminders() -> dict[str, int]:
    """Queue the reminders that are due (as `flask send-reminders` does); their commit enqueues the delivery."""
    from inschrijving.booking.services.reminders import run_reminders

    return run_reminders()


@huey.periodic_task(crontab(hour="3", minute="10"))
@with_app
def purge_expired() -> dict[str, int]:
    """The nightly storage limitation run (as `flask purge-expired` does)."""
    from inschrijving.privacy import services

    report = services.purge_expired(utcnow())
    db.session.commit()
    return report.counts()


@huey.periodic_task(crontab(hour="3", minute="40"))
@with_app
def purge_audit_log() -> int:
    """Shorten the audit log to AUDIT_RETENTION_DAYS (also part of purge-expired; this keeps it daily on its own)."""
    from inschrijving.accounts.services.audit import purge_audit

    removed = purge_audit(utcnow())
    db.session.commit()
    return removed


@register
@huey.task(retries=2, retry_delay=60)
@with_app
def render_packet_section(dossier_id: int) -> bool:
    """Render a completed dossier's packet section for the landlords; the completion page did not wait for it."""
    from inschrijving.dossiers.models.household import Dossier
    from inschrijving.landlords.portal.services import sections

    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not dossier.is_complete or not sections.missing_sections([dossier]):
        return False
    # No request in the worker: the section is in the staff language, as the landlords read it.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        sections.render_section(dossier, now=utcnow())
    db.session.commit()
    return True


PERIODIC_TASKS = (deliver_outbox_periodically, expire_waitlist_offers, send_reminders, purge_expired,
                  purge_audit_log)
