"""The served app under gunicorn with gunicorn.conf.py, in production mode (issue 13.16, 13.17)."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


# A port of its own: GUNICORN_TEST_PORT, else 5201 (this worktree's range; CI runs alone).
PORT = int(os.environ.get("GUNICORN_TEST_PORT", "5201"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the project's gunicorn.conf.py, production settings, its error log in a file."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    port = PORT
    log = tmp / "error.log"
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp / 'app.sqlite3'}",
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "OUTBOX_FOLDER": str(tmp / "outbox"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    for name in ("FLASK_DEBUG", "FLASK_RUN_FROM_CLI", "TEST_DATABASE_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "tests.broken_token_wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start: " + log.read_text())
        yield port, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_a_very_long_manage_link_gets_the_apps_own_404(server):
    port, _log = server
    status, body = _get(port, "/afspraak/" + "A" * 5000)
    assert status == 404
    assert "Request Line is too large" not in body
    assert "<html" in body and "Woonclub" in body  # the app's own page


def test_a_failing_token_route_leaves_no_token_in_the_log(server):
    port, log = server
    token = secrets.token_urlsafe(32)
    status, _body = _get(port, f"/afspraak/{token}/kapot")
    assert status == 500
    time.sleep(0.5)
    text = log.read_text()
    assert "RuntimeError" in text and "/afspraak/[token]/kapot" in text
    assert token not in text
