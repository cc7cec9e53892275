"""The short links in SMS texts: `/k/<code>` redirects to the manage or offer page it stands for."""

from __future__ import annotations

from flask import Blueprint, abort, redirect

from inschrijving.notifications import shortlinks

bp = Blueprint("notifications", __name__)

TARGETS = {"manage": "/afspraak/{token}", "offer": "/aanbod/{token}"}


@bp.get("/k/<code>")
def short_link(code: str):
    """Follow a short link while its token is current; a revoked or unknown code is a plain 404."""
    link = shortlinks.resolve_short_link(code)
    if link is None or not shortlinks.is_current_token(link):
        abort(404)
    response = redirect(TARGETS[link.kind].format(token=link.token), code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
