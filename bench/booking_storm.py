"""Booking storm: gunicorn (2 sync workers) on SQLite and PostgreSQL, hammered over HTTP.

For each database it
1. builds a fresh schema with one moment: a "storm" slot of known capacity and many roomy slots;
2. starts gunicorn with bench/wsgi_bench.py (CSRF off for the bench only);
3. fires several hundred concurrent booking attempts at the storm slot and counts successes and
   overbookings (from the database afterwards, not from the responses);
4. measures successful bookings at 16 concurrent clients (req/s, p50, p95) and, in the same
   gunicorn, a bare endpoint that inserts one row; prints the ratio. The two alternate in rounds
   (booking, bare, bare, booking, ...), so a machine that slows down during the run (other
   processes, a shared host's stolen CPU) weighs on both alike.

    .venv/bin/python bench/booking_storm.py [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/groepsinschrijving_bench]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BRUSSELS = ZoneInfo("Europe/Brussels")


def free_port() -> int:
    if os.environ.get("BENCH_PORT"):  # a port of one's own on a shared machine
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the bench's own PostgreSQL database when missing (the bench drops and rebuilds its tables)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    server = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    server.dispose()


def prepare_database(url: str, *, storm_capacity: int, roomy_slots: int, roomy_capacity: int) -> dict:
    """Fresh schema, one published moment, the bench table; returns the ids the clients need."""
    import sqlalchemy as sa

    from bench.bench_schema import bench_metadata
    from inschrijving import create_app
    from inschrijving.db_types import utcnow
    from inschrijving.extensions import db
    from inschrijving.planning.models import MomentStatus, OpeningBlock, RegistrationMoment, Slot

    ensure_database(url)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        bench_metadata.drop_all(db.engine)
        db.create_all()
        bench_metadata.create_all(db.engine)
        day = date.today() + timedelta(days=30)
        moment = RegistrationMoment(
            held_on=day, status=MomentStatus.PUBLISHED, location_name="Bench", address="Benchstraat 1, 8500 Kortrijk",
            slot_minutes=5, desks=roomy_capacity, booking_opens_at=utcnow() - timedelta(days=1),
            booking_closes_at=utcnow() + timedelta(days=20),
        )
        moment.blocks = [OpeningBlock(start_time=clock(8), end_time=clock(20))]
        db.session.add(moment)
        start = datetime.combine(day, clock(8), tzinfo=BRUSSELS)
        storm = Slot(moment=moment, starts_at=start, ends_at=start + timedelta(minutes=5), capacity=storm_capacity)
        db.session.add(storm)
        roomy = []
        for i in range(1, roomy_slots + 1):
            at = start + timedelta(minutes=5 * i)
            roomy.append(Slot(moment=moment, starts_at=at, ends_at=at + timedelta(minutes=5), capacity=roomy_capacity))
        db.session.add_all(roomy)
        db.session.commit()
        ids = {"moment": moment.id, "storm": storm.id, "roomy": [s.id for s in roomy]}
        db.session.execute(sa.text("SELECT 1"))
        db.engine.dispose()
    return ids


def count_storm(url: str, slot_id: int) -> tuple[int, int]:
    """(live bookings, slot.booked) for a slot, read from the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        live = conn.execute(sa.text(
            "SELECT count(*) FROM bookings WHERE slot_id = :s AND status IN ('booked', 'checked_in')"), {"s": slot_id}
        ).scalar_one()
        booked = conn.execute(sa.text("SELECT booked FROM slots WHERE id = :s"), {"s": slot_id}).scalar_one()
    engine.dispose()
    return live, booked


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class Server:
    def __init__(self, url: str, workdir: Path):
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-not-for-production-but-long-enough",
            "BENCH_DISABLE_CSRF": "1",
            "SESSION_COOKIE_SECURE": "0",
            "OUTBOX_FOLDER": str(workdir / "outbox"),
            "PYTHONPATH": str(ROOT),
            # Production refuses to start without an upload key; the bench uploads nothing.
            "DOCUMENT_KEYS": os.environ.get("DOCUMENT_KEYS") or _fernet_key(),
        }
        self.proc = subprocess.Popen(
            # The production settings (gunicorn.conf.py), with the bench's own workers, address and log level.
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2", "-k", "sync",
             "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "bench.wsgi_bench:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(workdir / "gunicorn.log", "wb"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see gunicorn.log")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def request(port: int, method: str, path: str, form: dict | None = None) -> tuple[int, float]:
    body = urllib.parse.urlencode(form).encode() if form else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


_counter = iter(range(10**9))
_counter_lock = threading.Lock()


def booking_form() -> dict:
    with _counter_lock:
        n = next(_counter)
    return {
        "contact_name": f"Bench {n}",
        "phone": f"+3247{n % 10**7:07d}",
        "email": f"bench{n}@example.org",
        "language": "nl",
        "household_size": "2",
        "booked_by": "self",
    }


def fire(port: int, jobs: list[tuple[str, str, dict | None]], clients: int) -> tuple[list[tuple[int, float]], float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda job: request(port, *job), jobs))
    return results, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(label: str, url: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"storm-{label}-"))
    ids = prepare_database(url, storm_capacity=args.capacity, roomy_slots=args.roomy_slots,
                           roomy_capacity=args.roomy_capacity)
    server = Server(url, workdir)
    try:
        book_path = "/inschrijven/{m}/{s}"
        # Warm both workers (imports, templates, connection pools) before measuring anything.
        fire(server.port, [("POST", "/_bench/bare", {"x": "1"})] * 20, 4)
        fire(server.port, [("POST", book_path.format(m=ids["moment"], s=ids["roomy"][-1]), booking_form())
                           for _ in range(10)], 4)

        storm_jobs = [("POST", book_path.format(m=ids["moment"], s=ids["storm"]), booking_form())
                      for _ in range(args.attempts)]
        storm_results, _ = fire(server.port, storm_jobs, args.storm_clients)
        codes = [code for code, _ in storm_results]
        live, booked = count_storm(url, ids["storm"])

        slots = ids["roomy"]
        per_round = args.requests // args.rounds
        book_results, bare_results = [], []
        book_wall = bare_wall = 0.0
        round_ratios = []
        for number in range(args.rounds):
            book_jobs = [("POST", book_path.format(m=ids["moment"], s=slots[i % len(slots)]), booking_form())
                         for i in range(per_round)]
            bare_jobs = [("POST", "/_bench/bare", {"x": "1"})] * per_round
            # ABBA order: booking first in even rounds, the bare insert first in odd ones.
            phases = [("book", book_jobs), ("bare", bare_jobs)]
            timings = {}
            for name, jobs in phases if number % 2 == 0 else reversed(phases):
                timings[name] = fire(server.port, jobs, args.clients)
            book_results += timings["book"][0]
            bare_results += timings["bare"][0]
            book_wall += timings["book"][1]
            bare_wall += timings["bare"][1]
            round_ratios.append(timings["bare"][1] / timings["book"][1])
    finally:
        server.stop()
    book_ok = [t for code, t in book_results if code == 302]
    bare_ok = [t for code, t in bare_results if code == 200]
    return {
        "label": label,
        "storm_attempts": len(codes),
        "storm_success_responses": codes.count(302),
        "storm_full_responses": codes.count(409),
        "storm_other_responses": len(codes) - codes.count(302) - codes.count(409),
        "capacity": args.capacity,
        "live_bookings": live,
        "slot_booked": booked,
        "overbookings": max(0, live - args.capacity),
        "book_errors": len(book_results) - len(book_ok),
        "book_rps": len(book_ok) / book_wall,
        "book_p50_ms": statistics.median(book_ok) * 1000,
        "book_p95_ms": percentile(book_ok, 95) * 1000,
        "bare_errors": len(bare_results) - len(bare_ok),
        "bare_rps": len(bare_ok) / bare_wall,
        "bare_p50_ms": statistics.median(bare_ok) * 1000,
        "bare_p95_ms": percentile(bare_ok, 95) * 1000,
        "round_ratios": round_ratios,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/groepsinschrijving_bench")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--attempts", type=int, default=400, help="booking attempts in the storm")
    parser.add_argument("--capacity", type=int, default=25, help="seats in the storm slot")
    parser.add_argument("--storm-clients", type=int, default=64)
    parser.add_argument("--requests", type=int, default=800, help="requests per throughput phase")
    parser.add_argument("--rounds", type=int, default=4, help="alternating booking/bare rounds")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--roomy-slots", type=int, default=100)
    parser.add_argument("--roomy-capacity", type=int, default=50)
    args = parser.parse_args()

    runs = [("sqlite", f"sqlite:///{tempfile.mkdtemp(prefix='storm-db-')}/bench.sqlite3")]
    if not args.skip_pg:
        runs.append(("postgresql", args.pg_url))
    failed = False
    for label, url in runs:
        r = run(label, url, args)
        ratio = r["book_rps"] / r["bare_rps"]
        print(f"== {label}: gunicorn 2 sync workers")
        print(f"storm: {r['storm_attempts']} attempts by {args.storm_clients} clients on a slot of capacity "
              f"{r['capacity']}: successes {r['live_bookings']} (responses: {r['storm_success_responses']} booked, "
              f"{r['storm_full_responses']} full, {r['storm_other_responses']} other), "
              f"overbookings {r['overbookings']}, slot.booked {r['slot_booked']}")
        print(f"booking at {args.clients} clients: {r['book_rps']:.0f} req/s, p50 {r['book_p50_ms']:.1f} ms, "
              f"p95 {r['book_p95_ms']:.1f} ms, errors {r['book_errors']}")
        print(f"bare insert at {args.clients} clients: {r['bare_rps']:.0f} req/s, p50 {r['bare_p50_ms']:.1f} ms, "
              f"p95 {r['bare_p95_ms']:.1f} ms, errors {r['bare_errors']}")
        spread = sorted(r["round_ratios"])
        print(f"ratio booking/bare: {ratio:.2f} (target >= 0.5; per round {spread[0]:.2f}-{spread[-1]:.2f}); "
              "p95 target <= 100 ms")
        ok = (r["live_bookings"] == r["capacity"] == r["slot_booked"] == r["storm_success_responses"]
              and r["overbookings"] == 0 and r["storm_other_responses"] == 0)
        failed |= not ok
        print("correctness:", "OK" if ok else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
