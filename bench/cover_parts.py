"""CPU time of a packet's cover and 100-row contents as parts: through pikepdf and `to_part`, or written directly.

Every download builds both afresh. The pages are the ones tests/rendering/test_pdfpages.py proves alike both
ways (Latin, Cyrillic and Arabic names). Font subsets are made before timing (a download finds them cached);
the two ways take turns, and the medians of this process's CPU time are printed with their ratio.

Run:  .venv/bin/python bench/cover_parts.py [--runs 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rendering.test_pdfpages import WAYS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    ways = {f"{page}, {way}": make for page, makes in WAYS.items()
            for way, make in zip(("pikepdf + to_part", "written directly"), makes, strict=True)}
    for make in ways.values():
        make()  # font subsets made, serialised fonts cached
    cpu: dict[str, list[float]] = {label: [] for label in ways}
    for _ in range(runs):
        for label, make in ways.items():
            start = time.process_time()
            make()
            cpu[label].append(time.process_time() - start)
    medians = {label: statistics.median(times) * 1000 for label, times in cpu.items()}
    for label, median in medians.items():
        print(f"{label:36} {median:6.2f} ms CPU (median of {runs})")
    labels = list(medians)
    for old, new in zip(labels[::2], labels[1::2], strict=True):
        print(f"{new}: {medians[old] / medians[new]:.1f}x less CPU than {old}")


if __name__ == "__main__":
    main()
