"""Jinja -> HTML -> PDF with WeasyPrint, fetching only our own static files."""

from __future__ import annotations

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


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes, with our static folder as the base for relative URLs."""
    base_url = Path(current_app.static_folder).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_StaticOnlyFetcher()).write_pdf()


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a Jinja template (under templates/pdf/) to PDF bytes."""
    return html_to_pdf(render_template(template_name, **context))
