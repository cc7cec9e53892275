"""Reference and demo data for seed-demo, kept apart from the code that writes it.

Municipalities are real: the twelve municipalities of the administrative arrondissement Kortrijk
with their NIS codes (Statbel) and postcodes (bpost). Wervik (33029, arrondissement Ieper) and
Ledegem (36010, arrondissement Roeselare) border the region but are not part of it.
The demo landlords are those of the original group registration; everything about people is fictitious.
"""

from __future__ import annotations

from decimal import Decimal

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

# The landlords that worked together with the Woonclub before the 2023 merger into SW+ (DOMAIN.md 5).
# Contact details use the reserved .example domain so a demo can never mail a real office.
LANDLORDS: list[dict] = [
    {
        "slug": "wonen-regio-kortrijk",
        "name": "Wonen Regio Kortrijk",
        "kind": "shm",
        "contact_email": "inschrijvingen@wonenregiokortrijk.example",
        "contact_phone": "+32 56 00 00 01",
        "address": "Demo-adres 1, 8500 Kortrijk",
        "municipalities": ["34022"],
    },
    {
        "slug": "de-vlashaard",
        "name": "De Vlashaard",
        "kind": "shm",
        "contact_email": "inschrijvingen@devlashaard.example",
        "contact_phone": "+32 56 00 00 02",
        "address": "Demo-adres 2, 8560 Wevelgem",
        "municipalities": ["34041"],
    },
    {
        "slug": "svk-de-poort",
        "name": "SVK De Poort",
        "kind": "svk",
        "contact_email": "kandidaten@svkdepoort.example",
        "contact_phone": "+32 56 00 00 03",
        "address": "Demo-adres 3, 8500 Kortrijk",
        "municipalities": ["34022", "34013", "34023", "34025", "34009", "34042", "34041", "34027"],
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
INTERPRETER_LANGUAGE = {"ar": "Arabisch", "tr": "Turks", "fr": "Frans", "en": "Engels"}

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

