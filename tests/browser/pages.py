"""Find every HTML page the app serves, so the browser tests cover new pages without being edited.

Every GET route whose arguments we can fill from the seeded scenario is fetched anonymously; a page
that sends us to the login form is fetched again as each staff role until one may see it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from werkzeug.routing import BuildError

LANGUAGES = ("nl", "ar")
STAFF_ROLES = ("coordinator", "volunteer", "landlord")
# Downloads and machine endpoints are not pages.
_NOT_PAGES = (".ics", ".pdf", ".csv", ".json", ".zip", ".png", ".txt")
_SKIPPED_PREFIXES = ("/static/", "/api/")


@dataclass(frozen=True)
class SitePage:
    name: str  # the endpoint, or errors.<code>
    path: str
    role: str | None  # None: a candidate (anonymous) sees it

    @property
    def is_candidate_page(self) -> bool:
        return self.role is None

    def url(self, language: str) -> str:
        if self.role is not None:
            return self.path  # staff pages are Dutch whatever we ask
        return f"{self.path}{'&' if '?' in self.path else '?'}lang={language}"

    def slug(self, language: str) -> str:
        return f"{self.name.replace('.', '-')}-{language if self.is_candidate_page else 'nl'}"


def candidate_paths(app, scenario) -> list[tuple[str, str]]:
    """(endpoint, path) for every GET route we can fill in."""
    known: dict[str, list] = {
        "moment_id": [scenario.moment_id],
        "slot_id": [scenario.slot_ids[0]],
        "dossier_id": [scenario.dossier_id],
        "landlord_id": [scenario.landlord_id],
        "user_id": [scenario.user_ids["volunteer"]],
        "slug": _dossier_step_slugs(),
    }
    adapter = app.url_map.bind("127.0.0.1")
    paths: dict[str, str] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if rule.rule.startswith(_SKIPPED_PREFIXES) or rule.rule.endswith(_NOT_PAGES):
            continue
        if not rule.arguments <= known.keys():
            continue
        names = sorted(rule.arguments)
        for values in itertools.product(*(known[name] for name in names)):
            arguments = dict(zip(names, values, strict=True))
            try:
                path = adapter.build(rule.endpoint, arguments)
            except BuildError:
                continue
            name = rule.endpoint if "slug" not in arguments else f"{rule.endpoint}.{arguments['slug']}"
            paths.setdefault(name, path)
    return sorted(paths.items())


def _dossier_step_slugs() -> list[str]:
    """Each intake step is a page type of its own."""
    try:
        from inschrijving.dossiers.views.steps import STEPS_BY_SLUG
    except ImportError:
        return ["household"]
    return list(STEPS_BY_SLUG)


def discover(contexts: dict[str | None, object], app, scenario) -> list[SitePage]:
    """Classify each route as a candidate page, a staff page (with the role that may see it), or not a page.

    contexts maps None (anonymous) and each staff role to a logged-in Playwright BrowserContext.
    """
    found = [SitePage("errors.404", "/deze-pagina-bestaat-niet", None)]
    for endpoint, path in candidate_paths(app, scenario):
        for role in (None, *STAFF_ROLES):
            response = contexts[role].request.get(path, max_redirects=0)
            html = response.headers.get("content-type", "").startswith("text/html")
            if response.status == 200 and html:
                found.append(SitePage(endpoint, path, role))
                break
            if role is None and not (response.status in (301, 302, 303) and "/login" in response.headers.get(
                    "location", "")):
                break  # a public redirect or error: not a page of its own
    return found
