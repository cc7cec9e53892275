"""The PDF renderer reads our own static files and nothing else, however the URL is written (issue 13.9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inschrijving.rendering.pdf import ForbiddenResource, _StaticOnlyFetcher


@pytest.fixture
def static_root(app) -> Path:
    return Path(app.static_folder).resolve()


@pytest.mark.parametrize("tail", [
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "css/%2e%2e/%2e%2e/pyproject.toml",
    "%252e%252e/%252e%252e/etc/passwd",  # twice encoded: a file of that name does not exist in static/
    "../pyproject.toml",
    "css/../../pyproject.toml",
    "%00../../pyproject.toml",
])
def test_encoded_dot_dot_never_leaves_the_static_folder(app, static_root, tail):
    with pytest.raises(ForbiddenResource):
        _StaticOnlyFetcher().fetch(static_root.as_uri() + "/" + tail)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file://evil.example/share/x.css", "http://127.0.0.1/x.css",
                                 "https://evil.example/x.png", "ftp://evil.example/x"])
def test_other_files_and_the_network_are_refused(app, url):
    with pytest.raises(ForbiddenResource):
        _StaticOnlyFetcher().fetch(url)


def test_a_static_file_is_read_also_when_encoded(app, static_root):
    some_file = next(p for p in static_root.rglob("*") if p.is_file() and " " not in p.name)
    relative = some_file.relative_to(static_root).as_posix()
    encoded = "".join(f"%{b:02x}" if chr(b) == "." else chr(b) for b in relative.encode())
    for url in (some_file.as_uri(), static_root.as_uri() + "/" + encoded):
        result = _StaticOnlyFetcher().fetch(url)
        body = result.read() if hasattr(result, "read") else result.get("string", b"")
        assert body == some_file.read_bytes()
