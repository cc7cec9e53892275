"""Contact details in one stored form everywhere: phone numbers and e-mail addresses. No domain rules."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def normalise_phone(raw: str, *, readable: bool = False) -> str:
    """Return a phone number typed the Belgian way (0470 12 34 56) or internationally, in one form.

    E.164 (+32470123456) by default, so equal numbers compare equal (the live-booking unique index);
    `readable` gives the spaced international form (+32 470 12 34 56) for numbers shown as contact data.

    :raises ValueError: for anything that is not a valid number.
    """
    try:
        number = phonenumbers.parse(raw.strip(), "BE")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(raw)
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if readable else phonenumbers.PhoneNumberFormat.E164
    return phonenumbers.format_number(number, style)


def readable_phone(stored: str | None) -> str:
    """A stored number (+32470123456) as people read it (+32 470 12 34 56); what cannot be parsed, as stored.

    The one way every page, print and PDF shows a phone number (the `phone` template filter).
    """
    if not stored:
        return ""
    try:
        return normalise_phone(stored, readable=True)
    except ValueError:
        return stored


def normalise_email(raw: str) -> str:
    """Return a validated, lower-cased e-mail address (compared case-insensitively everywhere).

    :raises ValueError: with email-validator's reason, for anything that is not an address.
    """
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
