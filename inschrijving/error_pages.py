"""Error pages: every status in the site's layout and the visitor's language; the API's errors in JSON.

A lost session (expired CSRF token) on a candidate form shows the form again with what was typed.
"""

from __future__ import annotations

from flask import (
    Flask,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from inschrijving.extensions import db

# Blueprints whose public forms re-show themselves, values kept, when the session (and its CSRF token) expired.
CANDIDATE_FORM_BLUEPRINTS = {"booking"}


def _api_error(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    # The API's documented error shape (landlords/portal/schemas.py "Error"); its messages are English.
    return {"error": {"code": code, "message": message}}, status, headers or {}


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def init_error_pages(app: Flask) -> None:
    # Under /api/ every error answers in the API's JSON shape with a stable code, also those raised
    # before any API route is matched (an unknown path, a wrong method) or by an app-wide hook.
    def render_error(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(_error):
        if _is_api_request():
            return _api_error(400, "bad_request", "The request could not be understood.")
        return render_error(400, _("Er ging iets mis met uw aanvraag"), _("Probeer het opnieuw."))

    @app.errorhandler(403)
    def forbidden(_error):
        return render_error(403, _("Geen toegang"), _("U mag deze pagina niet bekijken."))

    @app.errorhandler(404)
    def not_found(_error):
        if _is_api_request():
            # A path no API route matches (a negative id fails the int converter) still answers in
            # the API's documented JSON shape, not with a web page.
            return _api_error(404, "not_found", "Not found.")
        return render_error(
            404, _("Pagina niet gevonden"), _("Deze pagina bestaat niet (meer). Kijk of het adres juist is.")
        )

    @app.errorhandler(405)
    def method_not_allowed(error):
        allowed = ", ".join(sorted(error.valid_methods or ()))
        if _is_api_request():
            message = f"This path does not take {request.method}; use {allowed}."
            return _api_error(405, "method_not_allowed", message, {"Allow": allowed})
        page, code = render_error(405, _("Deze pagina werkt zo niet"),
                                  _("Open de pagina via een link of een knop op de website."))
        return page, code, {"Allow": allowed}

    @app.errorhandler(CSRFError)
    def session_expired(error):
        # A candidate who took long over a form (or whose session cookie was lost) gets the same form back,
        # with what they typed and a plain message: the view runs again and its form, whose own token check
        # fails the same way, refuses to act and shows "Het formulier was verlopen" above the fields.
        # Still a refused request (400), whose page is the form again; a view that shows anything else
        # (an unknown link, a gone offer) gives the plain 400 page.
        if request.blueprint in CANDIDATE_FORM_BLUEPRINTS and request.endpoint in app.view_functions:
            try:
                page = make_response(app.ensure_sync(app.view_functions[request.endpoint])(**request.view_args))
            except HTTPException:
                return bad_request(error)
            if page.status_code == 200:  # the form again; anything else (a gone offer) is the plain 400
                page.status_code = 400
                return page
        return bad_request(error)

    @app.errorhandler(HTTPException)
    def any_other_status(error):
        # Every other status the framework or a view raises (409, 410, 415 ...) in the site's own page and
        # language, never Werkzeug's English default.
        if _is_api_request() or error.code is None or error.code < 400:
            return error
        return render_error(error.code, _("Er ging iets mis met uw aanvraag"), _("Probeer het opnieuw."))

    @app.errorhandler(413)
    def too_large(_error):
        if _is_api_request():
            return _api_error(413, "too_large", "The request is too large.")
        return render_error(413, _("Bestand te groot"), _(
            "De bestanden zijn samen te groot. Kies minder bestanden tegelijk, of kleinere."))

    @app.errorhandler(429)
    def too_many(_error):
        return render_error(
            429, _("Even geduld"), _("U probeerde het te vaak na elkaar. Wacht een minuut en probeer opnieuw.")
        )

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        if _is_api_request():
            return _api_error(500, "internal_error", "Something went wrong on our side; try again later.")
        return render_error(
            500,
            _("Er ging iets mis bij ons"),
            _("Het is niet uw fout. Probeer het later opnieuw of bel ons."),
        )
