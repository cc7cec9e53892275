"""Cross-cutting web helpers: locale choice, login wiring, role guards, template filters, error pages.

No business rules live here.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_datetime, format_time, get_locale, refresh
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError, IntegerConverter

from inschrijving import contact
from inschrijving.accounts.models import Role, User
from inschrijving.accounts.services.audit import Actor
from inschrijving.config import LANGUAGE_NAMES, RTL_LANGUAGES
from inschrijving.db_types import utcnow
from inschrijving.extensions import db, login_manager


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds, so /dossiers/99999999999999999999 is a 404, not a 500."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(*args, **kwargs)


def select_locale() -> str:
    """Pick the page language: staff pages are Dutch; else ?lang= (remembered), the remembered choice, the browser."""
    if is_staff_page():
        # Staff read and write Dutch; a language a candidate page left in the session must not leak in.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in LANGUAGE_NAMES:
        session["lang"] = asked
        return asked
    if g.get("page_language") in LANGUAGE_NAMES:
        return g.page_language
    remembered = session.get("lang")
    if remembered in LANGUAGE_NAMES:
        return remembered
    return request.accept_languages.best_match(LANGUAGE_NAMES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def use_page_language(code: str) -> None:
    """Speak this language on this page (e.g. a booking's own), unless ?lang= asks for another."""
    g.page_language = code
    refresh()


# Blueprints for staff: the guarded ones register here, plus the staff login and account pages.
# Known before any hook runs, so the language is right even when an app-wide hook (idle timeout,
# flash) translates something before the blueprint's own guard.
_STAFF_BLUEPRINTS: set[str] = {"accounts", "api"}


def is_staff_page() -> bool:
    if not has_request_context():
        return False
    return bool(getattr(g, "staff_page", False)) or request.blueprint in _STAFF_BLUEPRINTS


def _mark_staff_page() -> None:
    g.staff_page = True
    # Flask-Babel caches the locale on first use; drop it so the next gettext re-selects Dutch.
    refresh()


def init_login(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    # Flask-Login binds a session to a hash of the client's address and browser, but reads the address
    # from X-Forwarded-For, which any client can write. Bind it to the address the app trusts instead:
    # `request.remote_addr`, which ProxyFix sets from the proxies' part of the header (PROXY_FIX_X_FOR).
    login_manager._session_identifier_generator = _session_identifier

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # The session id carries the session version, so a password change ends older sessions.
        raw_id, _sep, version = user_id.partition(":")
        if not raw_id.isdigit():
            return None
        user = db.session.get(User, int(raw_id))
        if user is None or str(user.session_version) != version:
            return None
        return user


def _session_identifier() -> str:
    user_agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{user_agent}".encode()).hexdigest()


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def init_request_hooks(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # PostgreSQL text cannot hold NUL (a 500 on save), and no person types one: refuse the request whole.
        values = [v for _key, vs in [*request.args.lists(), *request.form.lists()] for v in vs]
        if _holds_nul(values) or (request.is_json and _holds_nul(request.get_json(silent=True))):
            abort(400)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
        )
        if not (app.debug or app.testing):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and not request.endpoint.startswith("static") and (
            current_user.is_authenticated or request.blueprint == "api"
        ):
            # Staff pages and the landlords' API (token, no session) carry personal data: never keep them in
            # any cache, shared or the client's own (issue 13.12).
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def role_required(*roles: Role) -> Callable:
    """Refuse the view unless the logged-in user has one of the roles (403), or log in first."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            _mark_staff_page()
            denied = _check_roles(roles)
            if denied is not None:
                return denied
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]  # read by guard_dossier_scope
        return wrapped

    return decorator


def guard_blueprint(bp: Blueprint, *roles: Role) -> None:
    """Apply a role guard to every view of a blueprint."""

    _STAFF_BLUEPRINTS.add(bp.name)

    @bp.before_request
    def _guard():
        _mark_staff_page()
        return _check_roles(roles)


def guard_dossier_scope(bp: Blueprint) -> None:
    """Answer 404 when the URL names a dossier, booking or moment outside the user's reach.

    The rule is `dossiers.queries.may_open` (volunteers: the moments they staff, within a window);
    register after `guard_blueprint`, so a visitor without the role is sent to log in first.
    """
    from inschrijving.dossiers import queries as dossier_queries

    @bp.before_request
    def _scope():
        view = current_app.view_functions.get(request.endpoint or "")
        roles = getattr(view, "required_roles", None)
        if roles is not None and current_user.is_authenticated and current_user.role not in roles:
            return None  # a page of another role: the view's own guard answers 403, the same for every id
        ids = dict(request.view_args or {})
        if "moment" in request.args:
            ids["moment_id"] = request.args.get("moment", type=int)
        if not dossier_queries.may_open(current_user, ids, today=local_today(),
                                        window_days=current_app.config["VOLUNTEER_DOSSIER_WINDOW_DAYS"]):
            abort(404)


def moment_scope_for_current_user():
    """The SQL condition on RegistrationMoment for the moment lists the current user sees."""
    from inschrijving.dossiers import queries as dossier_queries

    return dossier_queries.moment_scope(current_user, today=local_today(),
                                        window_days=current_app.config["VOLUNTEER_DOSSIER_WINDOW_DAYS"])


def dossier_scope_for_current_user():
    """The SQL condition on Dossier for the lists the current user sees (`dossiers.queries.dossier_scope`)."""
    from inschrijving.dossiers import queries as dossier_queries

    return dossier_queries.dossier_scope(current_user, today=local_today(),
                                         window_days=current_app.config["VOLUNTEER_DOSSIER_WINDOW_DAYS"])


def local_today() -> date:
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _check_roles(roles: tuple[Role, ...]):
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path))
    if roles and current_user.role not in roles:
        abort(403)
    return None


def client_ip() -> str | None:
    return request.remote_addr


def current_actor() -> Actor:
    """The logged-in user and the client's address, as the services record them."""
    return Actor.of(current_user._get_current_object(), ip=client_ip())


def attachment(body: bytes, content_type: str, filename: str) -> Response:
    """A download the browser saves and never shows inline or sniffs, and no cache keeps."""
    response = Response(body, content_type=content_type)
    # Headers travel as Latin-1: an ASCII fallback name plus the real one encoded (RFC 6266).
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def to_local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def language_url(code: str) -> str:
    """This page in another language: built from the matched route, never from the raw path.

    The raw path of a page that matched no route (a 404) is whatever the visitor typed, and
    `/\\evil.example/` put in an href is read by browsers as another site (issue 13.8); such a page
    links to the home page in that language instead.
    """
    view_args = request.view_args or {}
    query = {k: v for k, v in request.args.items() if k != "lang" and k not in view_args}
    if request.url_rule is not None and request.endpoint and request.endpoint != "static":
        with contextlib.suppress(BuildError):  # a route that cannot be rebuilt links home, never fails the page
            return url_for(request.endpoint, **view_args, **query, lang=code)
    return url_for("booking.home", lang=code)


def init_templates(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        locale = str(get_locale() or "nl")
        return {
            "current_language": locale,
            "text_direction": "rtl" if locale in RTL_LANGUAGES else "ltr",
            "language_names": LANGUAGE_NAMES,
            "staff_page": is_staff_page(),
            "Role": Role,
            "language_url": language_url,
        }

    @app.template_filter("ltr")
    def ltr_filter(value: str) -> str:
        # A code read left to right (a reference like 499-EJP) inside right-to-left text: the bidi
        # algorithm would show it as EJP-499. Plain text has no markup, so it gets Unicode isolates.
        if str(get_locale() or "nl") in RTL_LANGUAGES:
            return f"\u2066{value}\u2069"
        return value

    app.add_template_filter(contact.readable_phone, "phone")

    @app.template_filter("bdi")
    def bdi_filter(value: Any) -> Markup:
        # A number, reference, time or phone number inside a sentence of any language: <bdi> keeps its
        # characters in their own order in Arabic text ("0470 12 34 56", never "56 34 12 0470").
        return Markup('<bdi dir="ltr">%s</bdi>') % value

    @app.template_filter("break_at_punctuation")
    def break_at_punctuation_filter(value: Any) -> Markup:
        # Lets an e-mail address or a code wrap after @ . _ / : , or - instead of mid-word (CSS cannot).
        return Markup("<wbr>").join(re.split(r"(?<=[@./_,:-])", str(value)))

    @app.template_filter("day")
    def day_filter(value: date | datetime) -> str:
        return format_date(value, "EEEE d MMMM y")

    @app.template_filter("short_day")
    def short_day_filter(value: date | datetime) -> str:
        return format_date(value, "d MMM y")

    @app.template_filter("clock")
    def clock_filter(value: datetime) -> str:
        return format_time(value, "HH:mm")

    @app.template_filter("moment_time")
    def moment_time_filter(value: datetime) -> str:
        return format_datetime(value, "d MMM y HH:mm")
