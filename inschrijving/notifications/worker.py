"""The worker's entry point: `huey_consumer inschrijving.notifications.worker.huey` (the Procfile's worker line).

Builds the app from the environment (the same settings as the web process), points the queue at its
storage and registers the tasks. On start it delivers what waited while no worker ran.
"""

from __future__ import annotations

import logging

from inschrijving import create_app
from inschrijving.notifications import queue, tasks
from inschrijving.notifications.queue import huey

app = create_app()
queue.init_app(app)
# huey_consumer prints its own log lines; the app's root handler would print each one twice.
logging.getLogger("huey").propagate = False

__all__ = ["app", "huey"]


@huey.on_startup()
def _deliver_what_waited() -> None:
    tasks.deliver_outbox()
