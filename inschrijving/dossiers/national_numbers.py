"""National register (rijksregister) and BIS numbers: parsing, birth-date agreement and masking."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import gettext as _
from stdnum.be import bis, nn
from stdnum.exceptions import InvalidChecksum, ValidationError


class NumberKind(enum.StrEnum):
    NATIONAL = "national_number"
    BIS = "bis_number"


class InvalidNationalNumber(ValueError):
    """The typed number is not a valid national register or BIS number; the message says why."""


@dataclass(frozen=True)
class ParsedNumber:
    number: str
    kind: NumberKind
    # None where the number does not know the part (refugees: month or day 00).
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None


def _is_bis(digits: str) -> bool:
    # BIS numbers add 20 or 40 to the month; a national number's month is 0..12.
    return len(digits) == 11 and digits.isdigit() and int(digits[2:4]) > 12


def parse_national_number(raw: str) -> ParsedNumber:
    """Check a typed national register or BIS number (dots, dashes and spaces allowed)."""
    digits = nn.compact(raw or "")
    if not digits.isdigit():
        raise InvalidNationalNumber(
            _("Een rijksregisternummer heeft alleen cijfers (punten, streepjes en spaties mogen).")
        )
    if len(digits) != 11:
        raise InvalidNationalNumber(_("Een rijksregisternummer heeft 11 cijfers. U typte er %(n)s.", n=len(digits)))
    if not 1 <= int(digits[6:9]) <= 998:
        raise InvalidNationalNumber(_("De cijfers 7 tot 9 (het volgnummer) moeten tussen 001 en 998 liggen."))
    module = bis if _is_bis(digits) else nn
    try:
        module.validate(digits)
        year, month = module.get_birth_year(digits), module.get_birth_month(digits)
        full = module.get_birth_date(digits)
    except InvalidChecksum as exc:
        raise InvalidNationalNumber(
            _("De controlecijfers kloppen niet. Kijk het nummer na op de identiteitskaart.")
        ) from exc
    except ValidationError as exc:
        raise InvalidNationalNumber(_("De geboortedatum in dit nummer bestaat niet. Kijk het nummer na.")) from exc
    day = full.day if full else None
    return ParsedNumber(
        number=digits,
        kind=NumberKind.BIS if module is bis else NumberKind.NATIONAL,
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )


def birth_date_agrees(parsed: ParsedNumber, year: int | None, month: int | None, day: int | None) -> bool:
    """Tell whether a typed birth date fits the number, comparing only the parts the number knows."""
    pairs = ((parsed.birth_year, year), (parsed.birth_month, month), (parsed.birth_day, day))
    return all(known is None or typed is None or known == typed for known, typed in pairs)


def format_number(number: str | None) -> str:
    """Show a stored number in the usual written form, e.g. 85.07.30-033.28."""
    if not number:
        return ""
    return nn.format(number) if len(number) == 11 else number


def mask_number(number: str | None) -> str:
    """Show only the last digits, for lists and exports that do not need the full number."""
    if not number:
        return ""
    return "••.••.••-•" + number[-4:-2] + "." + number[-2:] if len(number) == 11 else "•••" + number[-3:]
