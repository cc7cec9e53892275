"""The region's landlords as they are today, for seed-demo: deelgemeenten, the four woonmaatschappijen with
their areas, the three landlords that merged into SW+ in 2023, and a past moment whose dossiers chose those three.

Deterministic: the same data on every run. Called from `seed.reference` and `seed.demo` (one call each).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, LandlordKind, Municipality, SubMunicipality
from inschrijving.planning.models import MomentStatus
from inschrijving.seed import data as seed_data
from inschrijving.seed.report import SeedReport

if TYPE_CHECKING:
    from inschrijving.seed.demo import DemoSet

# A group registration held before the merger (a Tuesday), with a few dossiers for the historic landlords.
HISTORY_MOMENT = date(2023, 3, 14)
HISTORY_DOSSIERS = 6


def seed_sub_municipalities(municipalities: dict[str, Municipality]) -> dict[tuple[str, str], SubMunicipality]:
    """The real deelgemeenten of the municipalities that landlords split (reference data, for any database)."""
    existing = {(s.municipality.nis_code, s.name): s for s in db.session.scalars(
        sa.select(SubMunicipality).options(sa.orm.joinedload(SubMunicipality.municipality)))}
    for nis_code, name, postcode in seed_data.SUB_MUNICIPALITIES:
        if (nis_code, name) not in existing:
            part = SubMunicipality(municipality=municipalities[nis_code], name=name, postcode=postcode)
            db.session.add(part)
            existing[(nis_code, name)] = part
    return existing


def seed_landlords(report: SeedReport, municipalities: dict[str, Municipality]) -> list[Landlord]:
    """Today's four woonmaatschappijen, then the three historic ones (inactive since 9 June 2023, successor SW+)."""
    parts = seed_sub_municipalities(municipalities)
    existing = {lo.slug: lo for lo in db.session.scalars(sa.select(Landlord))}
    landlords = []
    for data in seed_data.LANDLORDS + seed_data.HISTORIC_LANDLORDS:
        landlord = existing.get(data["slug"])
        if landlord is None:
            landlord = Landlord(
                slug=data["slug"], name=data["name"], kind=LandlordKind(data["kind"]),
                contact_email=data["contact_email"], contact_phone=data["contact_phone"],
                address=data["address"], is_demo=True, active_from=data.get("active_from"),
                municipalities=[municipalities[code] for code in data["municipalities"]],
                sub_municipalities=[parts[key] for key in data["sub_municipalities"]],
            )
            db.session.add(landlord)
            report.landlords += 1
        landlords.append(landlord)
    successor = landlords[0]
    for landlord in landlords[len(seed_data.LANDLORDS):]:
        if landlord.successor is None:
            landlord.active_until = seed_data.MERGED_INTO_SW_PLUS - timedelta(days=1)
            landlord.successor = successor
            # The demo shows the successor reading its predecessors' dossiers (a coordinator's choice).
            landlord.successor_reads_history = True
    db.session.flush()
    return landlords


def choices_for(landlords: list[Landlord], day: date, i: int) -> tuple[list[Landlord], list, list]:
    """Which landlords demo dossier `i` of a moment on `day` chooses, and the places it wants that they serve.

    Past moments (before the merger) choose among the historic landlords, later ones among today's;
    every chosen landlord serves at least one wanted place, at municipality or deelgemeente level.
    """
    active = [lo for lo in landlords if lo.is_active_on(day)]
    historic = [lo for lo in active if lo.successor is not None]
    pool = historic or active
    chosen = [pool[i % len(pool)]]
    if i % 3 != 0:
        chosen.append(pool[(i + 1) % len(pool)])
    towns, parts = [], []
    for k, landlord in enumerate(chosen):
        area = [*landlord.municipalities, *landlord.sub_municipalities]
        place = area[(i + k) % len(area)]
        (towns if isinstance(place, Municipality) else parts).append(place)
    return chosen, sorted(set(towns), key=lambda m: m.name), sorted(set(parts), key=lambda s: s.name)


def build_history(demo: DemoSet) -> None:
    """A closed moment before the merger, with dossiers for Wonen Regio Kortrijk, De Vlashaard and SVK De Poort."""
    moment = demo._moment(HISTORY_MOMENT, MomentStatus.CLOSED)
    db.session.flush()
    for i in range(HISTORY_DOSSIERS):
        demo._dossier(moment, 100 + i, booking=None)
