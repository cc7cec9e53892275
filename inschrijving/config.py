"""Defaults only: secrets, URLs and site-specific choices come from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - the factory refuses it outside debug/testing

# The one list of the app's languages, each named in itself (the language switcher, the language fields).
# Dutch, the staff language and the default, comes first. A language here needs its catalogue in
# inschrijving/translations (docs/i18n.md).
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "fr": "Français",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
}
RTL_LANGUAGES = frozenset({"ar"})


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{INSTANCE / 'inschrijving.sqlite3'}"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    TIMEZONE = "Europe/Brussels"
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"

    # Where uploaded scans live; never under static/.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    # What rendering an upload may cost (checked before anything is stored; docs/security.md, "Uploads").
    UPLOAD_MAX_PDF_PAGES = int(os.environ.get("UPLOAD_MAX_PDF_PAGES", 50))
    UPLOAD_MAX_DOCUMENTS = int(os.environ.get("UPLOAD_MAX_DOCUMENTS", 20))
    UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", 25_000_000))
    # Fernet keys for uploads at rest, comma-separated: the first encrypts, all decrypt (rotation).
    DOCUMENT_KEYS = os.environ.get("DOCUMENT_KEYS", "")
    # Whole-request limit: the documents page sends several scans at once (issue 15: ID and income proof of
    # two adults, phone photos of a few MB each), each still held to UPLOAD_MAX_BYTES, plus the form.
    UPLOADS_PER_REQUEST = 6
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", UPLOADS_PER_REQUEST * UPLOAD_MAX_BYTES
                                            + 1024 * 1024))
    OUTBOX_FOLDER = os.environ.get("OUTBOX_FOLDER", str(INSTANCE / "outbox"))

    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Groepsinschrijving <noreply@groepsinschrijving.example>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", 587))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_TLS = _bool("SMTP_TLS", True)

    # The task queue's storage: empty = a SQLite file in instance/, redis://... in production (README).
    TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL", "")
    # A sender that claimed a message and died: after this long another sender may send it.
    OUTBOX_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", 600))
    # SMS: "twilio" sends through Twilio's REST API (credentials below); empty writes .sms files to OUTBOX_FOLDER.
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    # The sender: a Messaging Service (MG...) or an alphanumeric sender id / number.
    TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
    TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
    # Only for a test double of Twilio's API; production leaves it empty (https://api.twilio.com).
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")
    # Links in SMS texts: a short domain pointing at this site saves characters (default PUBLIC_BASE_URL).
    SMS_LINK_BASE_URL = os.environ.get("SMS_LINK_BASE_URL", "")
    SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", 10))

    REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", 2))
    # Shown to candidates who have no e-mail and need help with their booking.
    WOONCLUB_PHONE = os.environ.get("WOONCLUB_PHONE", "")
    WAITLIST_OFFER_HOURS = int(os.environ.get("WAITLIST_OFFER_HOURS", 24))
    RETENTION_DAYS_AFTER_MOMENT = int(os.environ.get("RETENTION_DAYS_AFTER_MOMENT", 90))
    # Past this age a moment's dossiers go even if a chosen landlord never downloaded or answered.
    RETENTION_HARD_MAX_DAYS = int(os.environ.get("RETENTION_HARD_MAX_DAYS", 365))

    # How many reverse proxies in front of the app may be believed about the client's address and scheme
    # (X-Forwarded-For, X-Forwarded-Proto). 0: none, the connection's address is the client's. Trusting
    # the headers without a proxy that sets them would let any client choose its own address.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", 0))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_PUBLIC_POST = os.environ.get("RATELIMIT_PUBLIC_POST", "20 per minute")
    RATELIMIT_HEADERS_ENABLED = True

    # Accounts: failed logins allowed per window, per account from one client address, and per client address
    # over all accounts. Never per account alone: that would let anyone lock a staff member out (issue 13.6).
    LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", 5))
    LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 20))
    LOGIN_THROTTLE_MINUTES = int(os.environ.get("LOGIN_THROTTLE_MINUTES", 15))
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 30))
    # Volunteers cover coordinators, volunteers and landlord staff alike (issue 13.7).
    REQUIRE_2FA_FOR_STAFF = _bool("REQUIRE_2FA_FOR_STAFF", False)
    # Volunteers reach the dossiers of the moments they staff, from this many days before the moment's day
    # until this many days after it (preparing, finishing dossiers: moments come every two months, so by
    # default until about the next one); coordinators reach every dossier.
    VOLUNTEER_DOSSIER_WINDOW_DAYS = int(os.environ.get("VOLUNTEER_DOSSIER_WINDOW_DAYS", 60))
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", 48))
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 730))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    WTF_CSRF_TIME_LIMIT = None


def is_maintenance_command() -> bool:
    """`flask db upgrade`, `flask seed-demo` and friends: they sign no cookies and read no scans.

    Only serving needs the secret key and the document keys at start-up, so these may run without.
    """
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true" and "run" not in sys.argv[1:]
