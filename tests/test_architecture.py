"""The house style's size limits, checked (STYLE 10.1 and 10.3; import-linter checks the import rules).

- Every routed view is thin: at most 25 lines from its `def` to its last line (aim for ~15). A view that grows
  past that is deciding rules that belong in a service, query or model.
- No module of the app passes 400 lines: a room that outgrows that becomes a package of topic modules
  (README, "Layout").
"""

from __future__ import annotations

import ast
import functools
import inspect
from functools import cache
from pathlib import Path

from flask import Flask

import inschrijving

PACKAGE = Path(inschrijving.__file__).resolve().parent
MAX_VIEW_LINES = 25
MAX_MODULE_LINES = 400

# Endpoint: why it may stay longer for now. Each entry must still name a routed view over the limit.
LONG_VIEWS_ALLOWED: dict[str, str] = {}


@cache
def _functions(path: Path) -> dict[int, ast.FunctionDef]:
    """The functions of a module by the line their code object starts on (the first decorator, if any)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found[first] = node
    return found


def view_lengths(app: Flask, *, package: Path = PACKAGE) -> dict[str, int]:
    """Lines from `def` to the last line of every view function written in `package` (the app's, by default)."""
    lengths = {}
    for endpoint, view in app.view_functions.items():
        function = inspect.unwrap(view)
        source = Path(inspect.getsourcefile(function) or "").resolve()
        if not source.is_relative_to(package):
            continue
        node = _functions(source)[function.__code__.co_firstlineno]
        lengths[endpoint] = node.end_lineno - node.lineno + 1
    return lengths


def _guarded(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


def test_the_view_counter_counts_a_wrapped_view_from_def_to_its_last_line():
    demo = Flask(__name__)

    @demo.route("/")
    @_guarded
    def index():
        """A view of three lines."""
        return "ok"

    assert view_lengths(demo, package=Path(__file__).resolve().parent) == {"index": 3}


def test_the_view_counter_sees_every_domain(app):
    domains = {endpoint.split(".")[0] for endpoint in view_lengths(app)}
    assert {"planning", "booking", "dossiers", "portal", "api", "accounts", "privacy", "professionals"} <= domains


def test_every_routed_view_is_at_most_25_lines(app):
    lengths = view_lengths(app)
    too_long = {
        endpoint: lines
        for endpoint, lines in lengths.items()
        if lines > MAX_VIEW_LINES and endpoint not in LONG_VIEWS_ALLOWED
    }
    assert not too_long, (
        f"Views over {MAX_VIEW_LINES} lines (move the rules into a service, query or model): "
        + ", ".join(f"{endpoint} ({lines})" for endpoint, lines in sorted(too_long.items()))
    )
    stale = sorted(endpoint for endpoint in LONG_VIEWS_ALLOWED if lengths.get(endpoint, 0) <= MAX_VIEW_LINES)
    assert not stale, f"Remove these from LONG_VIEWS_ALLOWED, they are gone or short now: {stale}"


def test_no_module_passes_400_lines():
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open(encoding="utf-8") as lines:
            count = sum(1 for _line in lines)
        if count > MAX_MODULE_LINES:
            too_long[str(path.relative_to(PACKAGE.parent))] = count
    assert not too_long, (
        f"Modules over {MAX_MODULE_LINES} lines (split into a package of topic modules, README 'Layout'): "
        + ", ".join(f"{path} ({count})" for path, count in too_long.items())
    )
