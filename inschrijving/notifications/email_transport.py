"""How an e-mail leaves: written as a file (development, tests) or handed to an SMTP server (production)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from inschrijving.notifications.sms import (
    write_once,
)

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...


class FolderTransport:
    """Development delivery: each message becomes an .eml file, and the log says so."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, email: EmailMessage) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = email["Message-ID"].strip("<>").replace("@", "_").replace("/", "_") + ".eml"
        # Once per Message-ID (the message's idempotency key): a sender killed after writing does not write twice.
        # Readable by the owner only (write_once): the body holds a private manage link (issue 13.14).
        path = write_once(self.folder, name, bytes(email))
        # Bodies carry private manage links, subjects references and the header an address: log only the file.
        log.info("outbox: wrote message %s", path)


class SmtpTransport:
    """Deliver over SMTP, with STARTTLS and login when configured."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str = "",
        password: str = "",
        tls: bool = True,
        timeout: float = 30,
        smtp_class: Callable[..., smtplib.SMTP] = smtplib.SMTP,
    ):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.tls, self.timeout, self.smtp_class = tls, timeout, smtp_class

    def send(self, email: EmailMessage) -> None:
        with self.smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.tls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(email)
        log.info("outbox: sent message %s", email["Message-ID"])


def transport_from_config(config: Mapping[str, Any]) -> Transport:
    """Pick SMTP when SMTP_HOST is set, otherwise the .eml folder."""
    if config.get("SMTP_HOST"):
        return SmtpTransport(
            config["SMTP_HOST"],
            int(config.get("SMTP_PORT", 587)),
            user=config.get("SMTP_USER", ""),
            password=config.get("SMTP_PASSWORD", ""),
            tls=bool(config.get("SMTP_TLS", True)),
        )
    return FolderTransport(config["OUTBOX_FOLDER"])
