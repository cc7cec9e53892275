"""Where a booking's time goes under gunicorn: CPU per request of the workers, PostgreSQL and this client.

Same setup as bench/booking_storm.py (gunicorn, 2 sync workers, bench/wsgi_bench.py), on one
database: 800 booking POSTs and 800 bare inserts at 16 clients, twice each, alternating. For each
phase it reads the CPU time the worker processes and every PostgreSQL process used
(/proc/<pid>/stat) and this client process (getrusage), divided by the requests.

    .venv/bin/python bench/booking_cpu.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/groepsinschrijving_bench]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import booking_storm as storm  # noqa: E402


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def pids_matching(pattern: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in out.split()]


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/groepsinschrijving_bench")
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    ids = storm.prepare_database(args.url, storm_capacity=25, roomy_slots=100, roomy_capacity=50)
    server = storm.Server(args.url, Path(tempfile.mkdtemp(prefix="booking-cpu-")))
    book_path = f"/inschrijven/{ids['moment']}/{{slot}}"
    try:
        storm.fire(server.port, [("POST", "/_bench/bare", {"x": "1"})] * 50, 4)
        storm.fire(server.port, [("POST", book_path.format(slot=ids["roomy"][-1]), storm.booking_form())
                                 for _ in range(20)], 4)
        workers = [pid for pid in pids_matching("bench.wsgi_bench:app") if pid != server.proc.pid]
        for phase in ["booking", "bare", "booking", "bare"]:
            if phase == "booking":
                jobs = [("POST", book_path.format(slot=ids["roomy"][i % len(ids["roomy"])]), storm.booking_form())
                        for i in range(args.requests)]
            else:
                jobs = [("POST", "/_bench/bare", {"x": "1"})] * args.requests
            postgres = pids_matching("postgres")
            before = cpu_seconds(workers), cpu_seconds(postgres), own_cpu()
            results, wall = storm.fire(server.port, jobs, args.clients)
            after = cpu_seconds(workers), cpu_seconds(postgres), own_cpu()
            per = [1000 * (b - a) / len(jobs) for a, b in zip(before, after, strict=True)]
            ok = sum(1 for code, _ in results if code in (200, 302))
            print(f"{phase:8s} {ok / wall:5.0f} req/s   CPU ms per request: workers {per[0]:.2f}, "
                  f"postgres {per[1]:.2f}, client {per[2]:.2f}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
