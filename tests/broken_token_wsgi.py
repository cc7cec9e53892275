"""Test-only WSGI entry point for tests/test_gunicorn.py: the real app plus one token route that fails.

Never deploy this module. It proves that a failing request on a secret link leaves no token in the log.
"""

from __future__ import annotations

from inschrijving import create_app

app = create_app()


@app.route("/afspraak/<token>/kapot")
def broken(token: str):
    raise RuntimeError("a failure inside a token route")
