"""Bench-only WSGI entry point: the real app, plus a bare write endpoint to compare against.

Never deploy this module. CSRF is switched off only when BENCH_DISABLE_CSRF=1 is set, and only
here: the application itself has no such switch.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from bench.bench_schema import bench_rows
from inschrijving import create_app
from inschrijving.extensions import db

config = {"RATELIMIT_ENABLED": False}
if os.environ.get("BENCH_DISABLE_CSRF") == "1":
    config["WTF_CSRF_ENABLED"] = False
app = create_app(config)


@app.post("/_bench/bare")
def bare_insert():
    """The ceiling for any write: one INSERT and a commit, nothing else."""
    db.session.execute(sa.insert(bench_rows).values(note="bare"))
    db.session.commit()
    return "ok"
