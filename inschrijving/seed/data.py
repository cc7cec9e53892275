"""Reference and demo data for seed-demo, kept apart from the code that writes it.

Municipalities are real: the twelve municipalities of the administrative arrondissement Kortrijk
with their NIS codes (Statbel) and postcodes (bpost). Wervik (33029, arrondissement Ieper) and
Ledegem (36010, arrondissement Roeselare) border the region but are not part of it.
The demo landlords are today's woonmaatschappijen and the three of the original group registration that
merged into SW+ in 2023; everything about people is fictitious.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

# The demo's clock: every demo time is Brussels time, stored in UTC.
BRUSSELS = ZoneInfo("Europe/Brussels")


def local_time(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)

# (NIS code, name, postcodes of the municipality and its deelgemeenten)
MUNICIPALITIES: list[tuple[str, str, list[str]]] = [
    ("34002", "Anzegem", ["8570", "8572", "8573"]),
    ("34003", "Avelgem", ["8580", "8581", "8582", "8583"]),
    ("34009", "Deerlijk", ["8540"]),
    ("34013", "Harelbeke", ["8530", "8531"]),
    ("34022", "Kortrijk", ["8500", "8501", "8510", "8511"]),
    ("34023", "Kuurne", ["8520"]),
    ("34025", "Lendelede", ["8860"]),
    ("34027", "Menen", ["8930"]),
    ("34040", "Waregem", ["8790", "8791", "8792", "8793"]),
    ("34041", "Wevelgem", ["8560"]),
    ("34042", "Zwevegem", ["8550", "8551", "8552", "8553", "8554"]),
    ("34043", "Spiere-Helkijn", ["8587"]),
]

# Deelgemeenten of the municipalities that today's landlords split between them (DOMAIN.md 5.1):
# (NIS code of the municipality, name, postcode). Kortrijk: SW+ except Bellegem (WM Elan); Anzegem:
# VIVUS except Kaster (WM Elan).
SUB_MUNICIPALITIES: list[tuple[str, str, str]] = [
    ("34022", "Kortrijk", "8500"),
    ("34022", "Aalbeke", "8511"),
    ("34022", "Bellegem", "8510"),
    ("34022", "Bissegem", "8501"),
    ("34022", "Heule", "8501"),
    ("34022", "Kooigem", "8510"),
    ("34022", "Marke", "8510"),
    ("34022", "Rollegem", "8510"),
    ("34002", "Anzegem", "8570"),
    ("34002", "Gijzelbrechtegem", "8570"),
    ("34002", "Ingooigem", "8570"),
    ("34002", "Vichte", "8570"),
    ("34002", "Kaster", "8572"),
    ("34002", "Tiegem", "8573"),
]

# The region's woonmaatschappijen today (DOMAIN.md 5.1), with their areas: whole municipalities by NIS
# code, and deelgemeenten where they serve only part of one. Only the region's twelve municipalities are
# modelled (VIVUS also serves Dentergem, Oostrozebeke and Wielsbeke; !Mpuls also Wervik). Contact
# details use the reserved .example domain and made-up addresses (marked demo): a demo never mails a real office.
LANDLORDS: list[dict] = [
    {
        "slug": "sw-plus",
        "name": "SW+",
        "kind": "woonmaatschappij",
        "contact_email": "inschrijvingen@swplus.example",
        "contact_phone": "+32 56 00 00 11",
        "address": "Demo-adres 11, 8500 Kortrijk",
        "municipalities": ["34041"],
        "sub_municipalities": [("34022", n) for n in
                               ("Kortrijk", "Aalbeke", "Bissegem", "Heule", "Kooigem", "Marke", "Rollegem")],
        "active_from": date(2023, 6, 9),
    },
    {
        "slug": "wm-elan",
        "name": "WM Elan",
        "kind": "woonmaatschappij",
        "contact_email": "inschrijvingen@wmelan.example",
        "contact_phone": "+32 56 00 00 12",
        "address": "Demo-adres 12, 8550 Zwevegem",
        "municipalities": ["34042", "34043", "34023", "34003"],
        "sub_municipalities": [("34022", "Bellegem"), ("34002", "Kaster")],
    },
    {
        "slug": "vivus",
        "name": "VIVUS",
        "kind": "woonmaatschappij",
        "contact_email": "inschrijvingen@vivus.example",
        "contact_phone": "+32 56 00 00 13",
        "address": "Demo-adres 13, 8530 Harelbeke",
        "municipalities": ["34009", "34013", "34025", "34040"],
        "sub_municipalities": [("34002", n) for n in ("Anzegem", "Gijzelbrechtegem", "Ingooigem", "Tiegem", "Vichte")],
    },
    {
        "slug": "impuls",
        "name": "!Mpuls",
        "kind": "woonmaatschappij",
        "contact_email": "inschrijvingen@impuls.example",
        "contact_phone": "+32 56 00 00 14",
        "address": "Demo-adres 14, 8930 Menen",
        "municipalities": ["34027"],
        "sub_municipalities": [],
    },
]

# The landlords of the original group registration, merged into SW+ on 9 June 2023 (DOMAIN.md 5.1):
# inactive since then, SW+ their successor. Their dossiers of past moments stay theirs.
MERGED_INTO_SW_PLUS = date(2023, 6, 9)
HISTORIC_LANDLORDS: list[dict] = [
    {
        "slug": "wonen-regio-kortrijk",
        "name": "Wonen Regio Kortrijk",
        "kind": "shm",
        "contact_email": "inschrijvingen@wonenregiokortrijk.example",
        "contact_phone": "+32 56 00 00 01",
        "address": "Demo-adres 1, 8500 Kortrijk",
        "municipalities": [],
        "sub_municipalities": [("34022", n) for n in ("Kortrijk", "Aalbeke", "Bissegem", "Heule", "Marke", "Rollegem")],
    },
    {
        "slug": "de-vlashaard",
        "name": "De Vlashaard",
        "kind": "shm",
        "contact_email": "inschrijvingen@devlashaard.example",
        "contact_phone": "+32 56 00 00 02",
        "address": "Demo-adres 2, 8560 Wevelgem",
        "municipalities": ["34041"],
        "sub_municipalities": [],
    },
    {
        "slug": "svk-de-poort",
        "name": "SVK De Poort",
        "kind": "svk",
        "contact_email": "kandidaten@svkdepoort.example",
        "contact_phone": "+32 56 00 00 03",
        "address": "Demo-adres 3, 8500 Kortrijk",
        "municipalities": ["34022", "34013", "34023", "34025", "34009", "34042", "34041", "34027"],
        "sub_municipalities": [],
    },
]

# DOMAIN.md 1.4: the latest official values found. Later years are entered by a coordinator.
INCOME_LIMIT_2024 = {
    "year": 2024,
    "single": Decimal("29515"),
    "single_disabled": Decimal("31987"),
    "other": Decimal("44270"),
    "per_dependant": Decimal("2475"),
    "source": (
        "Wonen in Vlaanderen / Vlaamse overheid: inkomensgrenzen sociale huur, basisbedragen art. 6.13 "
        "Besluit Vlaamse Codex Wonen 2021 (20.244 / 21.940 / 30.365 + 1.697 per persoon ten laste), "
        "geïndexeerd voor 2024. Bron: vlaanderen.be, \"De middelentoets\" "
        "(https://www.vlaanderen.be/sociaal-woonbeleid/verhuren/inschrijven/de-middelentoets)."
    ),
}

# Obviously fictitious family names, so nobody mistakes demo data for a real candidate.
LAST_NAMES = [
    "Voorbeeld", "Testmans", "Proefkens", "Demoen", "Fictief", "Oefenaar", "Nepgezin", "Exemplaar",
    "Testelinck", "Proefdier", "Verzinsel", "Bedachtzaam",
]
FIRST_NAMES = [
    "Amal", "Bram", "Chloé", "Dries", "Elif", "Fatima", "Gert", "Hanne", "Ibrahim", "Joke", "Karim", "Lotte",
    "Mehmet", "Nadia", "Omar", "Pieter", "Rania", "Sofie", "Tom", "Yasmina", "Zeynep", "Lucas", "Marie", "Ahmed",
]
CHILD_NAMES = ["Noor", "Adam", "Lina", "Yusuf", "Mila", "Ayoub", "Elise", "Sami"]

LANGUAGES = ["nl", "nl", "nl", "fr", "en", "ar", "tr"]

SOCIAL_WORKERS = [
    ("Demo Maatschappelijk Werker", "OCMW Kortrijk (demo)"),
    ("Demo Trajectbegeleider", "CAW (demo)"),
]

MOMENT_PLACE = {
    "location_name": "Woonclub, Sociaal Huis Kortrijk",
    "address": "Budastraat 27, 8500 Kortrijk",
    "place_notes": {
        "nl": "Ingang langs de Budastraat. Neem uw identiteitskaart en uw laatste aanslagbiljet mee.",
        "fr": (
            "Entrée par la Budastraat. Apportez votre carte d'identité et votre dernier "
            "avertissement-extrait de rôle."
        ),
    },
}

