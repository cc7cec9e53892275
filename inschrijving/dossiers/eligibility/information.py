"""The conditions that are information only: they never decide whether someone may register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from inschrijving.dossiers.eligibility.facts import AddressFacts, Condition, Finding, HouseholdFacts, Outcome

# DOMAIN.md 8.3: 5 uninterrupted years in one municipality within the last 10 gives priority there.
BINDING_YEARS_REQUIRED = 5
BINDING_WINDOW_YEARS = 10


# --- language (information only) -----------------------------------------------------------------


def assess_language(facts: HouseholdFacts) -> Finding:
    """Information only: the Dutch-language obligation comes after the lease starts."""
    tenant = facts.reference_tenant
    note = _("Geen voorwaarde om in te schrijven. Als huurder moet u binnen 2 jaar Nederlands op niveau A2 kennen.")
    if tenant is not None and tenant.language_level in ("a2", "b1_plus"):
        level = _("B1 of hoger") if tenant.language_level == "b1_plus" else "A2"
        return Finding(Condition.LANGUAGE, Outcome.MEETS, note, ((_("Niveau"), level),))
    return Finding(Condition.LANGUAGE, Outcome.UNKNOWN, note)


# --- local binding (information only) ------------------------------------------------------------


def _longest_stay(addresses: tuple[AddressFacts, ...], window_start: date, until: date) -> tuple[str, int]:
    """Municipality with the longest uninterrupted stay inside the window, and its length in days."""
    best = ("", 0)
    by_town: dict[str, list[tuple[date, date]]] = {}
    for entry in addresses:
        start = max(entry.from_on, window_start)
        end = min(entry.until_on or until, until)
        if end > start:
            by_town.setdefault(entry.municipality.strip().lower(), []).append((start, end))
    for town, periods in by_town.items():
        periods.sort()
        run_start, run_end = periods[0]
        for start, end in periods[1:]:
            if (start - run_end).days <= 1:
                run_end = max(run_end, end)
            else:
                best = max(best, (town, (run_end - run_start).days), key=lambda b: b[1])
                run_start, run_end = start, end
        best = max(best, (town, (run_end - run_start).days), key=lambda b: b[1])
    return best


def assess_binding(facts: HouseholdFacts) -> Finding:
    """Information only: 5 uninterrupted years in one municipality in the last 10 gives priority there."""
    if not facts.addresses:
        return Finding(Condition.BINDING, Outcome.UNKNOWN, _("De adressen van de laatste 10 jaar zijn niet ingevuld."))
    on = facts.registration_date
    window_start = date(on.year - BINDING_WINDOW_YEARS, on.month, min(on.day, 28))
    town, days = _longest_stay(facts.addresses, window_start, on)
    years = Decimal(days) / Decimal("365.25")
    numbers = ((_("Langste verblijf in één gemeente"),
                _("%(town)s: %(years)s jaar", town=town.title(), years=format_decimal(years, format="#,##0.0"))),)
    if years >= BINDING_YEARS_REQUIRED:
        return Finding(
            Condition.BINDING,
            Outcome.MEETS,
            _("Minstens 5 jaar zonder onderbreking in één gemeente, in de laatste 10 jaar: voorrang daar."),
            numbers,
        )
    return Finding(
        Condition.BINDING,
        Outcome.DOES_NOT_MEET,
        _("Geen 5 jaar zonder onderbreking in één gemeente. Dat is geen probleem om in te schrijven."),
        numbers,
    )
