"""Groepsinschrijving: the group registration for social housing in the Kortrijk region."""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from inschrijving.config import DEFAULT_SECRET_KEY, ROOT, Config, is_maintenance_command


class InsecureConfiguration(RuntimeError):
    """The app was asked to run in production with a development setting."""


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error pages and CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    app.config.from_prefixed_env()
    if config:
        app.config.update(config)
    _refuse_unsafe_config(app)
    trust_proxies(app)
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    _private_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"])
    if (app.debug or app.testing) and "SESSION_COOKIE_SECURE" not in os.environ:
        # Plain http on 127.0.0.1 during development: a Secure cookie would never come back.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False

    register_extensions(app)
    from inschrijving.web import DatabaseIdConverter

    # Before the blueprints: their rules pick the converter when they are added.
    app.url_map.converters["int"] = DatabaseIdConverter
    register_blueprints(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_commands(app)
    logging.basicConfig(level=logging.INFO)
    from inschrijving import logsafety

    # No secret link's token in any log line: the app's, the development server's access lines (issue 13.17).
    logsafety.install(app.logger, logging.getLogger())
    return app


def _private_sqlite_files(url: str) -> None:
    """Create the SQLite database readable by its owner only, and tighten one made earlier (issue 13.14).

    SQLite gives its -wal and -shm files the database file's permissions, so these follow.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in (prefix, "sqlite://") or ":memory:" in url or "mode=memory" in url:
        return
    path = Path(url.removeprefix(prefix).split("?", 1)[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


MIN_SECRET_KEY_LENGTH = 32


def _refuse_unsafe_config(app: Flask) -> None:
    """Refuse to serve with a known, missing or short secret key, or with debug outside the local dev server.

    Debug switches off the secret-key check, secure cookies and HSTS, and its debugger runs code typed in
    a browser; so FLASK_DEBUG=1 is refused unless the app runs in `flask run` on a loopback address
    (issue 13.15).
    """
    if app.testing or is_maintenance_command():
        return
    if app.debug:
        if not _is_local_development_server():
            raise InsecureConfiguration(
                "FLASK_DEBUG is on, but this is not the development server on 127.0.0.1. Debug mode turns off "
                "the secret-key check, secure cookies and HSTS, and its debugger runs any code typed into a "
                "browser. Unset FLASK_DEBUG to serve (gunicorn, see the README), or use `make run` locally."
            )
        return
    key = app.config.get("SECRET_KEY") or ""
    if key and key != DEFAULT_SECRET_KEY and len(key) < MIN_SECRET_KEY_LENGTH:
        raise InsecureConfiguration(
            f"SECRET_KEY is too short ({len(key)} characters; at least {MIN_SECRET_KEY_LENGTH}): a short key can "
            "be guessed and sessions forged with it. Use a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if not key or key == DEFAULT_SECRET_KEY:
        raise InsecureConfiguration(
            "SECRET_KEY is not set. Outside debug or testing mode the app refuses the built-in "
            "development key, because anyone could forge sessions with it. Set the SECRET_KEY "
            "environment variable to a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )


def trust_proxies(app: Flask) -> None:
    """Believe PROXY_FIX_X_FOR reverse proxies about the client's address and scheme.

    Behind a proxy every request comes from the proxy's address, so rate limits, login throttling and
    the audit log would see one client. Only as many hops as configured are believed: a client can send
    its own X-Forwarded-For, and the proxies append to it, so the rightmost entries are the honest ones.
    The Host header is not taken from X-Forwarded-Host: the proxy passes the original Host itself.
    """
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops < 0:
        raise ValueError("PROXY_FIX_X_FOR is the number of trusted proxies: 0 or more")
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _is_local_development_server() -> bool:
    """A server only this machine can reach: `flask run`, or `make run`'s gunicorn, bound to loopback.

    `make run` serves the Procfile's gunicorn in debug mode (issue 18) and says so with LOCAL_DEVELOPMENT=1:
    a loopback bind alone proves nothing, since production gunicorn listens on 127.0.0.1 behind its proxy.
    gunicorn never runs Werkzeug's debugger.
    """
    args = sys.argv[1:]
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" and "run" in args:
        return _is_loopback(_option(args, ("--host", "-h")) or os.environ.get("FLASK_RUN_HOST", "127.0.0.1"))
    local = os.environ.get("LOCAL_DEVELOPMENT") == "1"
    if Path(sys.argv[0]).name == "gunicorn" and local:
        bind = _option(args, ("--bind", "-b")) or os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
        return _is_loopback(bind.rpartition(":")[0] or bind)
    # The task queue's worker beside it listens on no port at all.
    return Path(sys.argv[0]).name == "huey_consumer" and local


def _option(args: list[str], names: tuple[str, ...]) -> str | None:
    value = None
    for i, arg in enumerate(args):
        if arg in names and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(tuple(f"{name}=" for name in names if name.startswith("--"))):
            value = arg.split("=", 1)[1]
    return value


def _is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register_extensions(app: Flask) -> None:
    from inschrijving import static_files, web
    from inschrijving.extensions import babel, csrf, db, limiter, login_manager, migrate

    import_all_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: app.config["TIMEZONE"])
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    limiter.init_app(app)
    web.init_login(app)
    # Before the request hooks: its after_request (compression) then runs after theirs set Cache-Control.
    static_files.init_app(app)
    web.init_request_hooks(app)
    from inschrijving.rendering import storage

    storage.init_app(app)
    from inschrijving.notifications import queue, tasks  # noqa: F401 - tasks registers what may be queued

    queue.init_app(app)


def import_all_models() -> None:
    """Import every domain's models so the metadata (and Alembic) sees the whole schema."""
    from inschrijving.accounts import models as _accounts  # noqa: F401
    from inschrijving.booking import models as _booking  # noqa: F401
    from inschrijving.dossiers.models import consent as _consent  # noqa: F401
    from inschrijving.dossiers.models import documents as _documents  # noqa: F401
    from inschrijving.dossiers.models import history as _history  # noqa: F401
    from inschrijving.dossiers.models import household as _household  # noqa: F401
    from inschrijving.dossiers.models import means as _means  # noqa: F401
    from inschrijving.landlords import models as _landlords  # noqa: F401
    from inschrijving.notifications import models as _notifications  # noqa: F401
    from inschrijving.planning import models as _planning  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from inschrijving.accounts.views import bp as accounts_bp
    from inschrijving.booking.views import bp as booking_bp
    from inschrijving.dossiers.check.views import bp as eligibility_check_bp
    from inschrijving.dossiers.views import bp as dossiers_bp
    from inschrijving.landlords.api.views import bp as api_bp
    from inschrijving.landlords.api.views import keys_bp as api_keys_bp
    from inschrijving.landlords.portal.views import bp as portal_bp
    from inschrijving.landlords.views import bp as landlords_bp
    from inschrijving.notifications.views import bp as notifications_bp
    from inschrijving.planning.views import bp as planning_bp
    from inschrijving.planning.views import feed_bp as planning_feed_bp
    from inschrijving.privacy.views import bp as privacy_bp
    from inschrijving.professionals.views import bp as professionals_bp

    app.register_blueprint(booking_bp)
    app.register_blueprint(professionals_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(planning_bp)
    app.register_blueprint(planning_feed_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(eligibility_check_bp)
    app.register_blueprint(landlords_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(api_keys_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(notifications_bp)


def register_template_helpers(app: Flask) -> None:
    from inschrijving import web

    web.init_templates(app)


def register_error_handlers(app: Flask) -> None:
    from inschrijving import error_pages

    error_pages.init_error_pages(app)


def register_commands(app: Flask) -> None:
    from inschrijving import cli

    cli.init_app(app)
