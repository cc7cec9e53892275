"""Kill the server (SIGKILL, master and workers) in the middle of booking and dossier saves.

gunicorn runs the real app (2 sync workers, CSRF off through tests/fault_wsgi.py) on a database
file (or TEST_DATABASE_URL). Concurrent clients book seats and save an intake step; once part of
the answers are in, the whole process group is killed. A fresh connection then checks that every
invariant holds (each slot's counter equals its live bookings, no booking without its slot, no
dossier half-saved) and that every booking the server confirmed is really there.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from inschrijving.extensions import db
from tests.conftest import PASSWORD
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SLOTS, CAPACITY, BOOKINGS, DOSSIERS = 8, 5, 120, 24


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, form: dict | None = None, cookie: str | None = None):
    """One HTTP request; returns (status, headers), or None when the server died under it."""
    body = urllib.parse.urlencode(form, doseq=True).encode() if form else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.headers
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _start_server(url: str, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "fault-test-secret-not-for-production",
        "SESSION_COOKIE_SECURE": "0",
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "OUTBOX_FOLDER": str(workdir / "outbox"),
        "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        # --preload: the master builds the app once and forks both workers from it, instead of each worker
        # importing everything again (seconds of CPU on a busy test machine); they are killed the same way.
        [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--preload",
         "--log-level", "warning", "tests.fault_wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # Its own process group, so one killpg reaches the master and both workers.
        start_new_session=True,
    )
    for _ in range(150):
        if _request(port, "GET", "/") is not None:
            return proc, port
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def _login(port: int, email: str) -> str:
    result = _request(port, "POST", "/login", {"email": email, "password": PASSWORD})
    assert result is not None and result[0] == 302, result
    cookies = [c.split(";", 1)[0] for c in result[1].get_all("Set-Cookie") or []]
    return "; ".join(cookies)


def _household(version: int, n: int) -> dict:
    return {
        "version": version,
        "persons-0-role": "reference_tenant", "persons-0-first_name": f"An{n}", "persons-0-last_name": "Peeters",
        "persons-0-is_domiciled": "y",
        "persons-1-role": "child", "persons-1-first_name": f"Bo{n}", "persons-1-last_name": "Peeters",
        "persons-1-is_dependant": "y", "persons-1-dependant_reason": "minor_domiciled", "persons-1-is_domiciled": "y",
        "contact_phone": "0470 12 34 56", "contact_email": f"an{n}@example.org", "language": "nl",
    }


def test_sigkill_under_load_leaves_every_invariant_and_every_confirmed_booking(committed_app, tmp_path):
    moment = MomentFactory()
    OpeningBlockFactory(moment=moment)
    slot_ids = [SlotFactory(moment=moment, capacity=CAPACITY).id for _ in range(SLOTS)]
    volunteer = UserFactory()
    moment.staff.append(volunteer)  # volunteers reach the dossiers of the moments they staff
    dossier_ids = [DossierFactory(moment=moment).id for _ in range(DOSSIERS)]
    db.session.commit()
    moment_id, volunteer_email = moment.id, volunteer.email
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]

    proc, port = _start_server(url, tmp_path)
    try:
        cookie = _login(port, volunteer_email)
        jobs = [("booking", i) for i in range(BOOKINGS)]
        jobs[::BOOKINGS // DOSSIERS] = [("dossier", i) for i in range(DOSSIERS)]
        answered = threading.Semaphore(0)

        def run(job):
            kind, n = job
            if kind == "booking":
                form = {"contact_name": f"Kandidaat {n}", "phone": f"+3247{n:07d}", "email": f"fault{n}@example.org",
                        "language": "nl", "household_size": "2", "booked_by": "self"}
                result = _request(port, "POST", f"/inschrijven/{moment_id}/{slot_ids[n % SLOTS]}", form)
            else:
                path = f"/dossiers/{dossier_ids[n]}/stap/household"
                result = _request(port, "POST", path, _household(1, n), cookie=cookie)
            answered.release()
            return kind, n, result

        with ThreadPoolExecutor(max_workers=12) as pool:
            futures = [pool.submit(run, job) for job in jobs]
            for _ in range(len(jobs) // 3):
                answered.acquire()
            os.killpg(proc.pid, signal.SIGKILL)
            results = [f.result() for f in futures]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    confirmed = {n for kind, n, r in results
                 if kind == "booking" and r and r[0] == 302 and "/bevestigd" in r[1].get("Location", "")}
    saved = {n for kind, n, r in results
             if kind == "dossier" and r and r[0] == 302 and "/stap/identity" in r[1].get("Location", "")}
    killed = sum(1 for _kind, _n, r in results if r is None)
    assert confirmed and saved, "no booking or no dossier save got through before the kill"
    assert killed, "the kill came after every request had its answer"

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            slots = conn.execute(sa.text("SELECT id, booked, capacity FROM slots")).all()
            live = dict(conn.execute(sa.text(
                "SELECT slot_id, count(*) FROM bookings WHERE status IN ('booked', 'checked_in') GROUP BY slot_id"
            )).all())
            for slot_id, booked, capacity in slots:
                assert booked == live.get(slot_id, 0) <= capacity, slot_id
            orphans = conn.execute(sa.text(
                "SELECT count(*) FROM bookings b LEFT JOIN slots s ON s.id = b.slot_id WHERE s.id IS NULL"
            )).scalar_one()
            assert orphans == 0
            emails = set(conn.execute(sa.text("SELECT email FROM bookings")).scalars())
            assert {f"fault{n}@example.org" for n in confirmed} <= emails

            for n, dossier_id in enumerate(dossier_ids):
                version, persons, changes = conn.execute(sa.text(
                    "SELECT d.version, (SELECT count(*) FROM persons p WHERE p.dossier_id = d.id),"
                    " (SELECT count(*) FROM dossier_changes c WHERE c.dossier_id = d.id)"
                    " FROM dossiers d WHERE d.id = :id"), {"id": dossier_id}).one()
                # All of the step or none of it: both persons, the new version and its history row.
                assert (version, persons) in ((1, 0), (2, 2)), (dossier_id, version, persons)
                assert (changes > 0) == (version == 2)
                if n in saved:
                    assert version == 2
    finally:
        engine.dispose()
