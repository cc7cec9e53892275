"""CPU time of a packet's cover and 100-row contents as parts: through pikepdf and `to_part`, or written directly.

Every download builds both afresh. Font subsets are made before timing (a download finds them cached);
the two ways take turns, and the medians of CPU time (this process's) are printed with their ratio.

Run:  .venv/bin/python bench/cover_parts.py [--runs 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inschrijving.rendering import pdfpages, pdfparts  # noqa: E402

NAMES = ["Dąbrowska Şahin", "Ковальчук Олена", "محمد العلي", "Jansens Marie", "Öztürk Ayşe"]
COVER = [
    (9.5, False, "Groepsinschrijving sociale huur · Regio Kortrijk"),
    (6, False, ""),
    (24, True, "Dossiers voor SVK De Poort"),
    (10, False, ""),
    (11, False, "Inschrijvingsmoment: dinsdag 3 maart 2026, Ontmoetingscentrum De Kring"),
    (11, False, "Aantal dossiers: 100"),
    (11, False, "Samengesteld op: 3 maart 2026 14:05"),
    (40, False, ""),
    (11, True, "Vertrouwelijk. Dit pakket bevat persoonsgegevens. Bewaar het niet langer dan nodig en geef het niet "
     "door."),
]
TABLE = (
    "Inhoud",
    ["Referentiehuurder", "Dossier", "Personen", "Pagina"],
    [(f"{NAMES[i % 5]} {i}", f"K7F-{i:03d}", str(1 + i % 4), str(4 + 3 * i)) for i in range(100)],
    [46, 330, 420, 500],
)
WAYS = {
    "cover, pikepdf + to_part": lambda: pdfparts.to_part(pdfpages.text_document(COVER)),
    "cover, text_part": lambda: pdfpages.text_part(COVER),
    "contents (100 rows), pikepdf + to_part": lambda: pdfparts.to_part(pdfpages.table_document(*TABLE)),
    "contents (100 rows), table_part": lambda: pdfpages.table_part(*TABLE),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    cpu: dict[str, list[float]] = {label: [] for label in WAYS}
    for make in WAYS.values():
        make()  # font subsets made, serialised fonts cached
    for _ in range(runs):
        for label, make in WAYS.items():
            start = time.process_time()
            make()
            cpu[label].append(time.process_time() - start)
    medians = {label: statistics.median(times) * 1000 for label, times in cpu.items()}
    for label, median in medians.items():
        print(f"{label:42} {median:6.2f} ms CPU (median of {runs})")
    labels = list(medians)
    for old, new in (labels[0:2], labels[2:4]):
        print(f"{new}: {medians[old] / medians[new]:.1f}x less CPU than {old}")


if __name__ == "__main__":
    main()
