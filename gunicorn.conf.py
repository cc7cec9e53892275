"""gunicorn settings for production and the benches: `gunicorn -c gunicorn.conf.py wsgi:app` (README).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS; the ones below read the
environment where a site differs (bind address, workers, timeout). See docs/security.md and
docs/performance.md, "gunicorn".
"""

from __future__ import annotations

import gc
import logging
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Sync workers: steadier than threads for database writes (README, "Production").
worker_class = "sync"
# A packet of a large moment is prepared in the background; no page needs more than this. A worker
# stuck longer is replaced, its request answered 502 by the proxy.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Request limits: the longest request line gunicorn allows, so an over-long link (a 5,000-character
# token pasted twice) reaches the app, which answers with its own friendly 404 instead of gunicorn's bare
# "Request Line is too large" page (issue 13.16). Headers stay at gunicorn's limits.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# No access log: manage links carry the candidate's token in the path. Errors go to stderr, tokens
# replaced (inschrijving/logsafety.py, issue 13.17).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Freeze the objects the app loads at start-up (~200,000: SQLAlchemy mappers, Jinja, Babel catalogues)
# into the permanent generation, so the full collections during requests no longer walk them. Measured
# in docs/performance.md, "Garbage collection under gunicorn". GC_FREEZE=0 switches it off.
gc_freeze = os.environ.get("GC_FREEZE", "1") != "0"


def post_worker_init(worker) -> None:
    """After a worker has loaded the app: its log without tokens, its start-up objects frozen."""
    from inschrijving import logsafety

    logsafety.install(logging.getLogger("gunicorn.error"), logging.getLogger("gunicorn.access"))
    if gc_freeze:
        gc.collect()
        gc.freeze()


def on_starting(server) -> None:
    from inschrijving import logsafety

    logsafety.install(logging.getLogger("gunicorn.error"))
