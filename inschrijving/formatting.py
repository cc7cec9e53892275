"""Belgian writing of amounts (and Dutch writing of dates), shared by pages, PDFs, exports and forms; knows no domain.

One home for how an amount is written and read back: volunteers and coordinators paste figures from
Belgian papers ("30.500,00"), and landlords read them the same way. Documents that are always Dutch
(the landlords' packets) write their dates with `dutch_date` / `dutch_datetime`, whatever the
language of the request that happens to render them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal

BELGIAN_LOCALE = "nl_BE"
# Instants are stored in UTC; people in the region read them in Belgian time.
BELGIAN_TIMEZONE = "Europe/Brussels"
_CENT = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def euro(amount: Decimal | int | float | None) -> str:
    """An amount with the euro sign, Belgian style: "€ 29.515,00" (empty for no amount)."""
    if amount is None:
        return ""
    rounded = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    # Babel puts a no-break space after the sign, so "€" never ends a line alone.
    return format_currency(rounded, "EUR", locale=BELGIAN_LOCALE)


def amount(amount: Decimal | int | float | None) -> str:
    """An amount without the sign, Belgian style: "29.515,00" (as a form field shows it back)."""
    if amount is None:
        return ""
    rounded = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0.00", locale=BELGIAN_LOCALE)


def dutch_date(value: date | datetime | None, format: str = "d MMMM y") -> str:
    """A day in Dutch: "30 juli 1985" (empty for none); `format` is a Babel (CLDR) pattern."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone(BELGIAN_TIMEZONE)) if value.tzinfo else value
        value = value.date()
    return format_date(value, format, locale=BELGIAN_LOCALE)


def dutch_datetime(value: datetime | None, format: str = "d MMMM y, HH:mm") -> str:
    """An instant in Dutch and Belgian time: "7 december 2026, 13:05" (empty for none)."""
    if value is None:
        return ""
    return format_datetime(value, format, tzinfo=get_timezone(BELGIAN_TIMEZONE), locale=BELGIAN_LOCALE)


def parse_amount(text: str) -> Decimal:
    """Read an amount as people type or paste it: "30.500,00", "30500", "€ 30 500", "30500.5".

    The last of "." and "," is the decimal mark when both occur; a lone "." followed by exactly three
    digits is a thousands mark ("30.500" is thirty thousand five hundred, as on Belgian papers).
    Raises ValueError for anything else.
    """
    cleaned = _SPACES.sub("", text.replace("€", "").replace("EUR", ""))
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not cleaned or not re.fullmatch(r"-?[\d.,]+", cleaned):
        raise ValueError(text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif "," in cleaned:
        decimal_mark = "," if cleaned.count(",") == 1 else ""
    elif cleaned.count(".") == 1:
        decimal_mark = "" if re.fullmatch(r"-?\d{1,3}\.\d{3}", cleaned) else "."
    else:
        decimal_mark = ""
    whole, _, cents = cleaned.rpartition(decimal_mark) if decimal_mark else (cleaned, "", "")
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1:
        # Thousands groups must be three digits after the first, or it was not an amount.
        if not (1 <= len(groups[0].lstrip("-")) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ValueError(text)
    digits = "".join(groups) + ("." + cents if decimal_mark else "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueError(text) from None
