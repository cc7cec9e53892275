"""Jinja -> HTML -> PDF with WeasyPrint, fetching only our own static files."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class ForbiddenResource(ValueError):
    """A document tried to load something from outside our static folder."""


class _StaticOnlyFetcher(URLFetcher):
    # A PDF must never reach the network or read arbitrary files (personal data, SSRF).
    def fetch(self, url: str, headers: Any = None):
        static_root = Path(current_app.static_folder).resolve()
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            # Decoded before resolving: `%2e%2e` is `..` to the file system (issue 13.9). What is read is
            # the path that was checked, never the URL as written.
            decoded = unquote(parts.path)
            if "\x00" not in decoded:
                path = Path(decoded).resolve()
                if static_root in path.parents and path.is_file():
                    return super().fetch(path.as_uri(), headers)
        raise ForbiddenResource(url)


def _html(html: str) -> HTML:
    base_url = Path(current_app.static_folder).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_StaticOnlyFetcher())


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes, with our static folder as the base for relative URLs."""
    return _html(html).write_pdf()


def html_to_pdf_with_anchors(html: str) -> tuple[bytes, dict[str, int]]:
    """Render an HTML string to PDF bytes (as `html_to_pdf`), and the page (0-based) each element with an id starts on.

    Meant for documents of several parts, cut apart afterwards (`rendering.pdfsplit`).
    """
    document = _html(html).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)  # an element that runs over pages is named on each: the first counts
    return document.write_pdf(), anchors


@contextlib.contextmanager
def collections_after() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the next one after it finds the block's garbage.

    For a bounded batch of renders (a cold packet's step). WeasyPrint's boxes live as long as the render:
    every collection in it finds them alive and promotes them, and once enough have been promoted Python
    walks the whole process's heap in a full collection. In a cold packet's steps that cost a sixth of
    every section (21 ms of 121 ms, docs/performance.md). The block's garbage waits for one collection.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a Jinja template (under templates/pdf/) to PDF bytes."""
    return html_to_pdf(render_template(template_name, **context))
