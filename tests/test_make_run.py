"""`make run` as the README says: the Procfile's web and worker start, and a booking's confirmation appears in
the outbox folder within a few seconds (the worker delivers it as soon as the booking commits)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PORT = 5263  # this helper's range; make run PORT=... honours it


def wait_for_page(url: str, *, seconds: float, log: Path) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = requests.get(url, timeout=5)
            if response.ok:
                return response.text
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("make run did not serve " + url + "\n" + log.read_text()[-3000:])


def test_make_run_serves_and_the_worker_delivers_a_confirmation_within_seconds(tmp_path):
    outbox = tmp_path / "outbox"
    log = tmp_path / "make-run.log"
    env = {
        **os.environ,
        "PORT": str(PORT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "OUTBOX_FOLDER": str(outbox),
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'tasks.sqlite3'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "FLASK_DEMO_LOGINS_FILE": str(tmp_path / "demo-logins.txt"),
    }
    env.pop("TEST_DATABASE_URL", None)
    with log.open("wb") as out:
        stack = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    base = f"http://127.0.0.1:{PORT}"
    try:
        home = wait_for_page(base + "/", seconds=240, log=log)
        session = requests.Session()
        moment_path = re.search(r'href="(/inschrijven/\d+)"', home).group(1)
        slots = session.get(base + moment_path, timeout=10).text
        slot_path = re.search(r'href="(/inschrijven/\d+/\d+)"', slots).group(1)
        form = session.get(base + slot_path, timeout=10).text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        response = session.post(base + slot_path, timeout=20, allow_redirects=False, data={
            "csrf_token": csrf, "contact_name": "Make Run", "phone": "0470 99 88 77",
            "email": "make.run@example.org", "language": "nl", "household_size": "1", "booked_by": "self",
            "reach_by": "both",
        })
        assert response.status_code == 302, response.text[:2000]
        booked_at = time.monotonic()
        while time.monotonic() - booked_at < 10 and not (list(outbox.glob("*.eml")) and list(outbox.glob("*.sms"))):
            time.sleep(0.1)
        emails = [p.read_text() for p in outbox.glob("*.eml")]
        texts = [p.read_text() for p in outbox.glob("*.sms")]
        assert any("make.run@example.org" in e for e in emails), log.read_text()[-3000:]
        assert any("+32470998877" in t for t in texts)
        assert time.monotonic() - booked_at < 10  # seconds, not the old five-minute timer
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(timeout=10)
