"""Jinja -> HTML -> PDF with WeasyPrint, fetching only our own static files."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


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


class _InMemoryFetcher(_StaticOnlyFetcher):
    # Pictures handed over as bytes (`memory:<name>` in the HTML): no data URI of hundreds of kB for
    # the HTML parser to scan and for base64 to encode and decode again (a tenth of a section's cost).
    def __init__(self, resources: Mapping[str, tuple[bytes, str]]):
        super().__init__()
        self._resources = resources

    def fetch(self, url: str, headers: Any = None):
        if url.startswith(MEMORY_SCHEME):
            data, mime_type = self._resources[url.removeprefix(MEMORY_SCHEME)]
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})
        return super().fetch(url, headers)


MEMORY_SCHEME = "memory:"


def html_to_pdf(html: str, resources: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    """Render an HTML string to PDF bytes, with our static folder as the base for relative URLs.

    `resources` maps a name to (bytes, media type): the HTML refers to it as `memory:<name>`.
    """
    base_url = Path(current_app.static_folder).resolve().as_uri() + "/"
    fetcher = _InMemoryFetcher(resources) if resources else _StaticOnlyFetcher()
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(font_config=_font_config())


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    # Building a font configuration (fontconfig, Pango) costs about 10 ms, a tenth of a packet section.
    # Our PDFs load no web fonts (@font-face), so one per thread serves every render.
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a Jinja template (under templates/pdf/) to PDF bytes."""
    return html_to_pdf(render_template(template_name, **context))
