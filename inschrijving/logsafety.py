"""Log lines never carry a secret link's token (issue 13.17).

Manage links (and their SMS short links), waiting-list offers, professionals' registration and list links,
password-set links and staff calendar feeds are keys in their URL. A
failed request on one of them is logged with its path (Flask's "Exception on /afspraak/... [GET]",
gunicorn's "Error handling request /afspraak/..."), and a log is read by more people, kept longer and
copied further than the database. `TokenFilter` replaces the token with `[token]` in every record that
passes it; the app puts it on its own logger and gunicorn.conf.py on gunicorn's.
"""

from __future__ import annotations

import logging
import re

# The routes whose path segment after the prefix is a secret (tests/test_logsafety.py checks this list
# against the app's URL rules, so a new token route cannot be forgotten).
TOKEN_PREFIXES = (
    "/afspraak/", "/aanbod/", "/wachtwoord-instellen/", "/planning/agenda/",
    # A professional's registration link, their waiting-list offer and a social worker's signed list link
    # (issue 14; a booking opened from the list is /afspraak/<list token>~<id>); the code of an SMS short link
    # stands for a manage link (issue 18).
    "/hulpverleners/inschrijving/", "/hulpverleners/aanbod/", "/hulpverleners/mijn-afspraken/", "/k/",
)
_TOKEN_IN_PATH = re.compile(
    "(" + "|".join(re.escape(p) for p in TOKEN_PREFIXES) + r")[^/\s?#\"'<>]+?(?=\.ics\b|[/\s?#\"'<>]|$)"
)


def redact(text: str) -> str:
    """The text with the token of every secret link in it replaced by `[token]`."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class TokenFilter(logging.Filter):
    """Rewrite a record's message (with its arguments merged in) without tokens; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(*loggers: logging.Logger) -> None:
    """Put one TokenFilter on each logger and on each of its handlers (records from child loggers too)."""
    for logger in loggers:
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, TokenFilter) for f in target.filters):
                target.addFilter(TokenFilter())
