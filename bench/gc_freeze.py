"""gc.freeze under gunicorn: the heavy staff list pages with and without freezing the start-up objects.

For each setting (GC_FREEZE=0, then 1, alternating rounds) it starts gunicorn with gunicorn.conf.py (one
sync worker, production settings) on the demo data, logs in as a coordinator and fetches the dossier
list, the moment list and the largest day list, in turn; it prints the median and p95 per page and
setting, and the ratio p95/median (full collections over the ~200,000 start-up objects show as a long
tail). Figures: docs/performance.md, "Garbage collection under gunicorn".

    .venv/bin/python bench/gc_freeze.py [--requests 150] [--rounds 2] [--port 5204]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench-gc@groepsinschrijving.example"


def _env(workdir: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
           "SECRET_KEY": secrets.token_urlsafe(48), "DOCUMENT_KEYS": Fernet.generate_key().decode(),
           "UPLOAD_FOLDER": str(workdir / "uploads"), "OUTBOX_FOLDER": str(workdir / "outbox"),
           "SESSION_COOKIE_SECURE": "0", "PYTHONPATH": str(ROOT)}
    for name in ("FLASK_DEBUG", "TEST_DATABASE_URL"):
        env.pop(name, None)
    return env


def _flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                   capture_output=True)


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:  # noqa: S310 - our own local server
            return response.read().decode()

    def login(self, password: str) -> None:
        form = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": password}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as response:  # noqa: S310
            assert "/login" not in response.geturl(), "login failed"


def _serve(env: dict, port: int, freeze: bool) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env={**env, "GC_FREEZE": "1" if freeze else "0"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    client = Client(f"http://127.0.0.1:{port}")
    for _ in range(150):
        try:
            client.get("/")
            return proc
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def _measure(port: int, password: str, requests: int) -> dict[str, list[float]]:
    client = Client(f"http://127.0.0.1:{port}")
    client.login(password)
    moments = client.get("/planning/")
    day_ids = re.findall(r'href="/planning/(\d+)/dag"', moments) or re.findall(r'href="/planning/(\d+)"', moments)
    pages = {"dossier list": "/dossiers/", "moment list": "/planning/"}
    if day_ids:
        pages["day list"] = f"/planning/{day_ids[0]}/dag"
    for path in pages.values():  # warm up: templates compiled, caches filled
        client.get(path)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(requests):
        for name, path in pages.items():
            started = time.perf_counter()
            client.get(path)
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=150, help="fetches of each page per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "5204")))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-gc-"))
    env = _env(workdir)
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    password = secrets.token_urlsafe(16)
    _flask(env, "create-user", "--email", EMAIL, "--name", "Bench", "--role", "coordinator", "--password", password)
    results: dict[bool, dict[str, list[float]]] = {False: {}, True: {}}
    for _ in range(args.rounds):
        for freeze in (False, True):
            proc = _serve(env, args.port, freeze)
            try:
                for name, values in _measure(args.port, password, args.requests).items():
                    results[freeze].setdefault(name, []).extend(values)
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
    print(f"gunicorn, 1 sync worker, demo data, {args.rounds} rounds x {args.requests} fetches per page")
    for name in results[False]:
        for freeze in (False, True):
            values = results[freeze][name]
            p50 = statistics.median(values)
            p95 = statistics.quantiles(values, n=20)[18]
            label = "gc.freeze" if freeze else "no freeze"
            print(f"{name:13} {label:9}: median {p50:6.1f} ms, p95 {p95:6.1f} ms, p95/median {p95 / p50:4.2f}")


if __name__ == "__main__":
    main()
