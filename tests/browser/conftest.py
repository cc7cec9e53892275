"""Browser tests: the real app behind a real HTTP server, driven by Debian's Chromium through Playwright.

One server and one browser per test session. Without /usr/bin/chromium (or without axe-core for the
accessibility tests) the tests are skipped with the reason; with REQUIRE_BROWSER_TESTS=1 (set by .ci/run)
they fail instead, so CI can never pass without running them. Never run `playwright install`: the
browser is the system one.

Never call `page.close()`, and wait for the navigation a click starts (`with page.expect_navigation():`) before
the test goes on: Chromium can drop a close that races a navigation commit, and `page.close()` then waits
forever (crbug.com/536385539, microsoft/playwright#42068). Pages close with their context. Each browser test
also has a time limit (BROWSER_TEST_TIMEOUT), so a hang fails with a stack dump instead of stalling CI.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from inschrijving import create_app
from inschrijving.config import ROOT
from inschrijving.extensions import db
from tests.conftest import PASSWORD
from tests.test_i18n import compile_catalogues, forget_loaded_translations

# Debian's Chromium; CHROMIUM=/path/to/chrome for another system browser.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
BROWSER_DIR = Path(__file__).resolve().parent
# Seconds: the slowest browser test takes about 20 on a busy machine (the session's first also seeds the site).
BROWSER_TEST_TIMEOUT = 300

_skipped_reasons: set[str] = set()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Everything under tests/browser is a browser test, whether or not its author remembered the mark.
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if _skipped_reasons:
        terminalreporter.write_sep("=", "BROWSER TESTS SKIPPED", yellow=True, bold=True)
        for reason in sorted(_skipped_reasons):
            terminalreporter.write_line(f"  {reason}")
        terminalreporter.write_line("  Set REQUIRE_BROWSER_TESTS=1 to turn this skip into a failure (CI does).")


def require(condition: bool, reason: str) -> None:
    """Skip (or, in CI, fail) when a tool the browser tests need is missing."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER_TESTS=1)", pytrace=False)
    _skipped_reasons.add(reason)
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------------------------
# The server


@dataclass
class Scenario:
    """The rows the seed made, for tests to find their way."""

    moment_id: int
    slot_ids: list[int]
    dossier_id: int
    landlord_id: int
    users: dict[str, str] = field(default_factory=dict)  # role -> e-mail
    user_ids: dict[str, int] = field(default_factory=dict)  # role -> id
    password: str = PASSWORD


def _closing_iterables(app):
    """WSGI wrapper: every response body is closed, even when the browser drops the connection mid-file.

    werkzeug's dev server reads the socket before it calls the body's close(); on a reset connection (the
    browser moved on while a pictogram or stylesheet was loading) that read raises and the static file stays
    open, which `filterwarnings=error` turns into a ResourceWarning failure. A generator with `finally` is
    closed when it is collected, whatever the server did.
    """

    def wrapped(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()

        return chunks()

    return wrapped


@dataclass
class LiveServer:
    url: str
    app: object
    scenario: Scenario


def _seed() -> Scenario:
    from inschrijving.rendering import storage
    from tests.factories.accounts import UserFactory
    from tests.factories.dossiers import build_complete_dossier
    from tests.factories.packets import scan_jpeg
    from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory

    moment = MomentFactory(location_name="Sociaal Huis Kortrijk", address="Budastraat 27, 8500 Kortrijk")
    OpeningBlockFactory(moment=moment)
    slots = [SlotFactory(moment=moment) for _ in range(4)]
    coordinator = UserFactory(coordinator=True, email="coordinator@example.org", name="Cora Coördinator")
    volunteer = UserFactory(email="vrijwilliger@example.org", name="Vera Vrijwilliger")
    landlord_user = UserFactory(landlord_staff=True, email="verhuurder@example.org", name="Lars Verhuurder")
    moment.staff.append(volunteer)
    # A finished dossier that chose the landlord, so the dossier and portal pages have something to show.
    dossier = build_complete_dossier(landlord=landlord_user.landlord, moment=moment)
    for document in dossier.documents:
        # The builder's document rows have no file; the packet and document pages need one.
        scan = scan_jpeg(document.kind.value)
        document.storage_key = storage.store(scan)
        document.content_type, document.original_filename = "image/jpeg", f"{document.kind.value}.jpg"
        document.size_bytes, document.sha256 = len(scan), hashlib.sha256(scan).hexdigest()
    db.session.commit()
    users = {"coordinator": coordinator, "volunteer": volunteer, "landlord": landlord_user}
    return Scenario(
        moment_id=moment.id,
        slot_ids=[slot.id for slot in slots],
        dossier_id=dossier.id,
        landlord_id=landlord_user.landlord_id,
        users={role: user.email for role, user in users.items()},
        user_ids={role: user.id for role, user in users.items()},
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 with a migrated, seeded SQLite file, served by werkzeug in a thread."""
    from flask_migrate import upgrade

    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_urlsafe(32),
            # A real browser submits real forms, so CSRF stays on here.
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'live.sqlite3'}",
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "OUTBOX_FOLDER": str(tmp / "outbox"),
            # The real server renders error pages instead of raising into the test.
            "PROPAGATE_EXCEPTIONS": False,
        }
    )
    compile_catalogues()
    forget_loaded_translations(app)
    with app.app_context(), warnings.catch_warnings():
        # Flask-Migrate's stock env.py tries the deprecated get_engine() first, then falls back.
        warnings.filterwarnings("ignore", "'get_engine' is deprecated", DeprecationWarning)
        upgrade()
    with app.app_context():
        scenario = _seed()
        db.session.remove()
    server = make_server("127.0.0.1", 0, _closing_iterables(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, scenario=scenario)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser(live_server: LiveServer):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server: LiveServer):
    """Open a fresh browser context (own cookies) at a given width; closed after the test."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height},
                                      locale="nl-BE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, live_server: LiveServer, role: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto("/login")
    page.locator("#email").fill(live_server.scenario.users[role])
    page.locator("#password").fill(live_server.scenario.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    require(AXE_SCRIPT.exists(), f"axe-core not installed at {AXE_SCRIPT.relative_to(ROOT)} (run `make browser-deps`)")
    return AXE_SCRIPT


@dataclass
class Site:
    """The pages found on the live server, and a logged-in browser state per staff role."""

    pages: list
    storage_states: dict[str, dict]


@pytest.fixture(scope="session")
def site(browser, live_server: LiveServer) -> Site:
    from tests.browser.pages import STAFF_ROLES, discover

    contexts = {None: browser.new_context(base_url=live_server.url)}
    states = {}
    try:
        for role in STAFF_ROLES:
            context = browser.new_context(base_url=live_server.url)
            contexts[role] = context
            page = context.new_page()
            log_in(page, live_server, role)
            assert "/login" not in page.url, f"Could not log in as {role}: {page.url}"
            states[role] = context.storage_state()
        pages = discover(contexts, live_server.app, live_server.scenario)
        pages.extend(booking_link_pages(contexts[None].new_page(), live_server))
    finally:
        for context in contexts.values():
            context.close()
    return Site(pages=pages, storage_states=states)


def booking_link_pages(page, live_server: LiveServer) -> list:
    """Book once through the form, then list the pages behind the private manage link."""
    from tests.browser.pages import SitePage

    moment_id, slot_id = live_server.scenario.moment_id, live_server.scenario.slot_ids[-1]
    page.goto(f"/inschrijven/{moment_id}/{slot_id}")
    page.fill("#contact_name", "Petra Paginatest")
    page.fill("#email", "petra.paginatest@example.org")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    if not page.url.endswith("/bevestigd"):
        return []  # test_the_page_list_covers_the_main_page_types reports the gap
    manage = page.url.removeprefix(live_server.url).removesuffix("/bevestigd")
    return [
        SitePage("booking.confirmation", f"{manage}/bevestigd", None),
        SitePage("booking.manage", manage, None),
        SitePage("booking.move", f"{manage}/verplaatsen", None),
        SitePage("booking.cancel", f"{manage}/annuleren", None),
        SitePage("booking.unknown_link", "/afspraak/deze-link-bestaat-niet", None),
    ]


@pytest.fixture
def open_site_page(browser, live_server: LiveServer, site: Site):
    """Open a SitePage in a language at a width, as its role; contexts are closed after the test."""
    contexts = []

    def open_page(site_page, language: str, width: int = 1280, height: int = 900, bypass_csp: bool = False):
        state = site.storage_states.get(site_page.role) if site_page.role else None
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height},
                                      storage_state=state, bypass_csp=bypass_csp)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(site_page.url(language))
        return page

    yield open_page
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------------------------------------------
# One walk over every page, measured once, asserted by several tests


NARROW, WIDE = 320, 1280
# Screenshots cost time: every candidate page, and these staff pages people look at most.
MAIN_STAFF_PAGES = {"planning.index", "planning.day", "dossiers.show", "dossiers.step.household", "portal.home",
                    "portal.moment", "portal.dossier"}
# WCAG 2.5.5 (AAA) asks 44 by 44 CSS px; the issue requires it on candidate pages. Links inside running
# text are exempt (the "inline" exception), so only controls and navigation links are measured.
_SMALL_TARGETS = """() => {
  const small = [];
  const measure = (el, box) => {
    if (box.width === 0 || box.height === 0 || box.bottom < 0) return;  // hidden, or the parked skip link
    if (box.width < 44 || box.height < 44)
      small.push(`${el.outerHTML.replace(/\\s+/g, " ").slice(0, 90)} is ` +
                 `${Math.round(box.width)}x${Math.round(box.height)}`);
  };
  document.querySelectorAll("button, a.button, a.slot, nav a, select, textarea, " +
      "input:not([type=hidden]):not([type=radio]):not([type=checkbox])")
    .forEach(el => measure(el, el.getBoundingClientRect()));
  // Links that stand alone are targets too: back links, error-summary links, and any link that is the whole
  // text of its paragraph or list item (issue 17). Links inside a sentence are not (WCAG 2.5.8 "inline").
  document.querySelectorAll("main a").forEach(el => {
    if (el.matches(".button, .slot")) return;
    const parent = el.parentElement;
    const alone = el.matches(".back-link, .form-errors a") ||
      (parent.matches("p, li") && parent.textContent.trim() === el.textContent.trim());
    if (alone) measure(el, el.getBoundingClientRect());
  });
  // A radio or checkbox is hit through its label too: measure the row that holds both.
  document.querySelectorAll("input[type=radio], input[type=checkbox]")
    .forEach(el => measure(el, (el.closest(".radio, .check, label") || el).getBoundingClientRect()));
  return small;
}"""
# The innermost elements that stick out: those are the ones to fix, not the containers they push.
_TOO_WIDE = """(limit) => {
  const out = el => {
    const b = el.getBoundingClientRect();
    return b.width > 0 && (b.right > limit + 1 || b.left < -1);
  };
  return [...document.querySelectorAll("body *")].filter(el => out(el) && ![...el.children].some(out))
    .slice(0, 3).map(el => el.outerHTML.replace(/\\s+/g, " ").slice(0, 120));
}"""
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, heading order), which the issue asks for.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\\s+/g, " ")),
  }));
}"""


@dataclass
class Visit:
    site_page: object
    language: str
    scroll_width: int
    too_wide: list[str]
    small_targets: list[str]
    axe_violations: list[dict] | None  # None: axe-core is not installed
    screenshots: list[Path]

    @property
    def label(self) -> str:
        return f"{self.site_page.name} ({self.site_page.url(self.language)}, as {self.site_page.role or 'candidate'})"


@pytest.fixture(scope="session")
def survey(browser, live_server: LiveServer, site: Site) -> list[Visit]:
    """Visit every page (candidate pages in nl and ar, staff pages in nl) once: measure at 320 px, screenshot at
    320 and 1280 px, run axe-core at 1280 px."""
    from tests.browser.pages import LANGUAGES

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visits = []
    for role in (None, *sorted(site.storage_states)):
        context = browser.new_context(base_url=live_server.url, viewport={"width": NARROW, "height": 640},
                                      storage_state=site.storage_states.get(role) if role else None)
        if AXE_SCRIPT.exists():
            # An init script runs before the page's own and is not subject to its Content-Security-Policy,
            # so axe is there without weakening the CSP we test under (add_script_tag would need bypass_csp).
            context.add_init_script(path=str(AXE_SCRIPT))
        page = context.new_page()
        for site_page in (p for p in site.pages if p.role == role):
            for language in LANGUAGES if site_page.is_candidate_page else ("nl",):
                page.set_viewport_size({"width": NARROW, "height": 640})
                page.goto(site_page.url(language))
                scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
                too_wide = page.evaluate(_TOO_WIDE, NARROW) if scroll_width > NARROW else []
                small = page.evaluate(_SMALL_TARGETS) if site_page.is_candidate_page else []
                shots = []
                if site_page.is_candidate_page or site_page.name in MAIN_STAFF_PAGES:
                    shots = [SCREENSHOTS / f"{site_page.slug(language)}-{width}.png" for width in (NARROW, WIDE)]
                    page.screenshot(path=str(shots[0]), full_page=True)
                page.set_viewport_size({"width": WIDE, "height": 900})
                if shots:
                    page.screenshot(path=str(shots[1]), full_page=True)
                violations = page.evaluate(_RUN_AXE, AXE_TAGS) if AXE_SCRIPT.exists() else None
                visits.append(Visit(site_page, language, scroll_width, too_wide, small, violations, shots))
        context.close()
    return visits
