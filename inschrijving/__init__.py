"""Groepsinschrijving: the group registration for social housing in the Kortrijk region."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
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
    os.makedirs(app.instance_path, exist_ok=True)
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
    return app


def _refuse_unsafe_config(app: Flask) -> None:
    if app.debug or app.testing or is_maintenance_command():
        return
    if not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
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


def register_extensions(app: Flask) -> None:
    from inschrijving import web
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
    web.init_request_hooks(app)
    from inschrijving.rendering import storage

    storage.init_app(app)
    from inschrijving.notifications import queue, tasks  # noqa: F401 - tasks registers what may be queued

    queue.init_app(app)


def import_all_models() -> None:
    """Import every domain's models so the metadata (and Alembic) sees the whole schema."""
    from inschrijving.accounts import models as _accounts  # noqa: F401
    from inschrijving.booking import models as _booking  # noqa: F401
    from inschrijving.dossiers import models as _dossiers  # noqa: F401
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

    app.register_blueprint(booking_bp)
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
    from inschrijving import web

    web.init_error_pages(app)


def register_commands(app: Flask) -> None:
    from inschrijving import cli

    cli.init_app(app)
