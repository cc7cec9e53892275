"""Static files for a cheap phone on a slow line: fingerprinted names cached for a year, /favicon.ico,
compressed text responses.

Fingerprints: a small manifest built at start-up (a content hash per file under static/, ~15 files, a few
milliseconds) rather than a library. Flask-Static-Digest would need a build step (`flask digest compile`)
before every deploy and has not been released since 2024; WhiteNoise serves hashed names but does not make
them outside Django. `url_for('static', filename='css/app.css')` gives `/static/css/app.<hash>.css`; that name
is served with `Cache-Control: public, max-age=31536000, immutable`, so a page loads its stylesheet and icons
from the phone's cache without asking again, and a changed file gets a new name. The plain name keeps working
(for old e-mails and bookmarks) with Flask's default revalidation. In debug mode (make run) names stay plain,
so an edited file shows at once.

Compression: Flask-Compress (zstd, brotli or gzip, as the browser asks) for text responses of the site (not
the API's). Not for responses marked `no-store` (the manage page, staff pages): those carry personal data
next to text a visitor can influence, the case the BREACH attack needs; they are small anyway.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from flask_compress import Compress

YEAR = 365 * 24 * 3600
WEEK = 7 * 24 * 3600
compress = Compress()


def build_manifest(folder: Path) -> dict[str, str]:
    """Map each static file to its fingerprinted name: css/app.css -> css/app.1a2b3c4d5e.css."""
    manifest = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        relative = path.relative_to(folder).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        stem, dot, suffix = relative.rpartition(".")
        manifest[relative] = f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{relative}.{digest}"
    return manifest


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    _init_fingerprints(app, folder)

    @app.route("/favicon.ico")
    def favicon() -> Response:
        """The site's icon, where browsers look for it without being told."""
        return _whole(send_from_directory(folder, "favicon.ico", max_age=WEEK, mimetype="image/vnd.microsoft.icon"))

    app.config.setdefault("COMPRESS_REGISTER", False)
    # Streamed bodies are left alone: Flask-Compress's streaming wrapper does not close the file it reads.
    # The fingerprinted files the pages link are small and sent as one body (below), so they are compressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.after_request
    def compress_text(response: Response) -> Response:
        # The API's clients (landlords' scripts) get its bodies as they are: its exports stream, and its
        # JSON is compact already (docs/landlords.md).
        if "no-store" in (response.headers.get("Cache-Control") or "") or request.path.startswith("/api/"):
            return response
        return compress.after_request(response)


def _init_fingerprints(app: Flask, folder: Path) -> None:
    if app.debug:
        return
    manifest = build_manifest(folder)
    originals = {fingerprinted: name for name, fingerprinted in manifest.items()}
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    plain = app.view_functions["static"]

    def static(filename: str) -> Response:
        name = originals.get(filename)
        if name is None:
            return plain(filename=filename)
        response = _whole(send_from_directory(folder, name, max_age=YEAR))
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static


def _whole(response: Response) -> Response:
    """A small file as one body, read now: it can be compressed, and no open file waits for the response."""
    response.direct_passthrough = False
    body = response.get_data()
    response.close()
    response.set_data(body)
    return response
