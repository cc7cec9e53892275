"""SMS: what a text costs (GSM-7 or UCS-2 segments), and its delivery (a folder in development, Twilio in production).

No phone number, message body or token is ever logged: only the outbox message's key.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import phonenumbers

log = logging.getLogger(__name__)

# GSM 03.38: the basic character set (one septet each) and its extension table (escape + septet: two).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 2


@dataclass(frozen=True)
class SmsCost:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def sms_cost(text: str) -> SmsCost:
    """How many segments a text takes: 160 GSM-7 septets (153 per part when split), or 70 UCS-2 units (67)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        units = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else math.ceil(units / part)
    return SmsCost(encoding, units, segments)


def fits(text: str, *, segments: int = MAX_SEGMENTS) -> bool:
    return sms_cost(text).segments <= segments


def is_mobile(phone: str | None) -> bool:
    """Whether a stored (E.164) number can receive an SMS, as phonenumbers' metadata says."""
    if not phone:
        return False
    try:
        number = phonenumbers.parse(phone, "BE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


class SmsError(Exception):
    """The provider did not take the message."""


class SmsTemporaryError(SmsError):
    """Try again later: the provider answered 5xx or 429, or did not answer in time."""


class SmsRefused(SmsError):
    """The provider refuses this number (invalid, not mobile, unsubscribed): retrying cannot help."""


class SmsTransport(Protocol):
    def send(self, *, to: str, body: str, key: str) -> str | None:
        """Deliver one SMS; return the provider's reference. `key` is the message's idempotency key."""


class FolderSmsTransport:
    """Development and tests: each SMS becomes `<key>.sms` next to the .eml files, and the log says so."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, *, to: str, body: str, key: str) -> str | None:
        path = write_once(self.folder, f"{key}.sms", f"To: {to}\n\n{body}\n".encode())
        log.info("outbox: wrote sms %s", path)
        return None


def write_once(folder: Path, name: str, data: bytes) -> Path:
    """Write a delivery file atomically and only once: a second delivery of the same key leaves the first.

    Written to a temporary name and linked into place, so a process killed halfway leaves no half file.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    # Readable by the owner only: e-mails and SMS carry private manage links (issue 13.14).
    with os.fdopen(os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "wb") as file:
        file.write(data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        log.info("outbox: %s was delivered before; not again", path.name)
    finally:
        temporary.unlink()
    return path


# Twilio error codes that say the number itself is refused (https://www.twilio.com/docs/api/errors).
TWILIO_REFUSED_CODES = frozenset({
    21211,  # invalid 'To' number
    21408,  # permission to send to this region not enabled
    21610,  # the recipient replied STOP (unsubscribed)
    21612,  # the 'To' number cannot be reached by this sender
    21614,  # 'To' is not a mobile number
})


class TwilioSmsTransport:
    """Send through Twilio's Messages REST API with its maintained SDK (twilio); credentials from the environment."""

    def __init__(self, *, account_sid: str, auth_token: str, messaging_service_sid: str = "", sender: str = "",
                 base_url: str = "", timeout: float = 10):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        if not (messaging_service_sid or sender):
            raise ValueError("Twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM")
        # The SDK logs each request with its parameters (number and text) at INFO: keep it quiet.
        logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
        if base_url:
            self.client.api.base_url = base_url.rstrip("/")
        self.messaging_service_sid, self.sender = messaging_service_sid, sender

    def send(self, *, to: str, body: str, key: str) -> str | None:
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        params: dict[str, Any] = {"to": to, "body": body}
        if self.messaging_service_sid:
            params["messaging_service_sid"] = self.messaging_service_sid
        else:
            params["from_"] = self.sender
        try:
            message = self.client.messages.create(**params)
        except TwilioRestException as exc:
            if exc.status >= 500 or exc.status == 429:
                raise SmsTemporaryError(f"provider answered {exc.status}") from None
            if exc.code in TWILIO_REFUSED_CODES:
                raise SmsRefused(f"provider refused the number (code {exc.code})") from None
            raise SmsError(f"provider answered {exc.status} (code {exc.code})") from None
        except (RequestException, TwilioException, OSError) as exc:
            # Timeouts and connection errors; the exception text may hold the URL, never the number or body.
            raise SmsTemporaryError(f"provider unreachable ({type(exc).__name__})") from None
        log.info("outbox: sms %s accepted by the provider", key)
        return message.sid


def sms_transport_from_config(config: Mapping[str, Any]) -> SmsTransport:
    """Twilio when SMS_PROVIDER=twilio, otherwise .sms files in OUTBOX_FOLDER (never calling out)."""
    provider = (config.get("SMS_PROVIDER") or "").lower()
    if provider == "twilio":
        return TwilioSmsTransport(
            account_sid=config["TWILIO_ACCOUNT_SID"], auth_token=config["TWILIO_AUTH_TOKEN"],
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID", ""),
            sender=config.get("TWILIO_FROM", ""), base_url=config.get("TWILIO_API_BASE_URL", ""),
            timeout=float(config.get("SMS_TIMEOUT_SECONDS", 10)),
        )
    if provider:
        raise ValueError(f"SMS_PROVIDER must be empty or 'twilio', not {provider!r}")
    return FolderSmsTransport(config["OUTBOX_FOLDER"])
