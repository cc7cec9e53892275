"""Test-only WSGI entry point for tests/test_fault_kill.py: the real app with CSRF off.

Never deploy this module. The application itself has no switch for CSRF; only this test server
turns it off, so plain HTTP clients can post forms while the server is killed under them.
"""

from __future__ import annotations

from inschrijving import create_app

app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
