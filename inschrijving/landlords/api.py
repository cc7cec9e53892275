"""The JSON API for landlords' own systems, under /api/v1/, authenticated by per-landlord tokens."""

from __future__ import annotations

from flask import Blueprint

from inschrijving.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine clients send no cookies, so CSRF does not apply.
csrf.exempt(bp)
