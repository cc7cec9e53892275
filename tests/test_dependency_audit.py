"""The CI dependency audit tells an unreachable database from a clean result (issue 13, "Also")."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "dependency_audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_every_package_skipped_is_a_skip_not_a_pass():
    code, line = audit.verdict(0, report({"name": "flask", "version": "3.1", "skip_reason": "not found on PyPI"}))
    assert code == 0 and line.startswith("dependency audit SKIPPED") and "0 of 1" in line


def test_no_report_at_all_is_a_skip():
    code, line = audit.verdict(1, "ConnectionError: could not reach the service")
    assert code == 0 and "SKIPPED" in line and "ConnectionError" in line


def test_a_known_vulnerability_fails():
    code, line = audit.verdict(1, report({"name": "gunicorn", "version": "22.0", "vulns": [{"id": "GHSA-x"}]},
                                         {"name": "flask", "version": "3.1", "vulns": []}))
    assert code == 1 and "gunicorn 22.0: GHSA-x" in line


def test_a_clean_audit_passes_and_counts():
    code, line = audit.verdict(0, report({"name": "flask", "version": "3.1", "vulns": []},
                                         {"name": "x", "version": "1", "skip_reason": "local"}))
    assert code == 0 and "1 packages audited" in line and "1 skipped" in line
