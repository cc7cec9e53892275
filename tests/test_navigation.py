"""Every page a role may use is reachable by following links from that role's start page.

The crawl logs in as each role (and visits as a stranger), starts at the role's home page and follows only the
`<a href>` links the pages show (and the redirects they answer with), like a person clicking. It fails on every
GET rule of `app.url_map` that the role may open (the guard table of tests/test_route_guards.py says which) and
that no link reached. Public pages count for the anonymous visitor; for staff only the pages behind their login.

Not crawled, on purpose (`NOT_BY_LINK`): pages whose key arrives outside the app (a token in an e-mail or a
calendar app) and file downloads. Keep that list short: a new page belongs in a menu or on a list, not here.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import PASSWORD
from tests.test_route_guards import ANONYMOUS, COORDINATOR, LANDLORD, PUBLIC, VOLUNTEER, guard_of

NOT_BY_LINK = {
    # The key is a token in a message (manage link, waiting-list offer, password link, calendar feed).
    "/afspraak/<token>": "token in the candidate's e-mail",
    "/afspraak/<token>.ics": "token in the candidate's e-mail",
    "/afspraak/<token>/annuleren": "token in the candidate's e-mail",
    "/afspraak/<token>/bevestigd": "token in the candidate's e-mail",
    "/afspraak/<token>/brief.pdf": "token in the candidate's e-mail",
    "/afspraak/<token>/verplaatsen": "token in the candidate's e-mail",
    "/aanbod/<token>": "token in the waiting-list offer",
    "/wachtwoord-instellen/<token>": "one-time link handed out by a coordinator",
    "/planning/agenda/<token>.ics": "calendar apps fetch it",
    "/login/code": "the second login step follows the password form (a POST)",
    "/static/<path:filename>": "assets",
    "/favicon.ico": "asset the browser asks for itself",
    "/k/<code>": "short link in the candidate's SMS",
    "/hulpverleners/inschrijving/<token>": "token in the professional's e-mail",
    "/hulpverleners/inschrijving/<token>/bevestigd": "token in the professional's e-mail",
    "/hulpverleners/mijn-afspraken/<token>": "signed link sent to the social worker's work e-mail",
    "/hulpverleners/aanbod/<token>": "token in the professional's waiting-list offer",
    "/hulpverleners/<int:moment_id>/ontvangen": "the answer to the registration form (a redirect after the POST)",
    # The day list starts a dossier with a POST button; the GET page only answers a reloaded or bookmarked URL.
    "/dossiers/start/<int:booking_id>": "a POST from the day list",
    # Downloads: files, not pages.
    "/dossiers/<int:dossier_id>/bewijs.pdf": "download",
    "/dossiers/<int:dossier_id>/documenten/<int:document_id>": "download",
    "/privacy/dossiers/<int:dossier_id>/kopie.json": "download",
    "/privacy/dossiers/<int:dossier_id>/kopie.pdf": "download",
    "/verhuurder/documenten/<int:document_id>": "download",
    "/verhuurder/dossiers/<int:dossier_id>/dossier.pdf": "download",
    "/verhuurder/momenten/<int:moment_id>/dossiers.csv": "download",
    "/verhuurder/momenten/<int:moment_id>/dossiers.json": "download",
    "/verhuurder/momenten/<int:moment_id>/pakket.pdf": "download",
    "/verhuurder/momenten/<int:moment_id>/pakket.zip": "download",
    "/planning/statistiek.xlsx": "download",
    "/dossiers/<int:dossier_id>/documenten/<int:document_id>/voorbeeld.jpg": "an image inside the documents page",
    # Reached by the redirect after the identity step (a POST) finds an earlier dossier of the same household;
    # tests/dossiers/test_duplicates.py walks it.
    "/dossiers/<int:dossier_id>/dubbel": "redirect after a POST",
    "/verhuurder/momenten/<int:moment_id>/pakket": "the packet download redirects here while the packet is cold",
}
# Pages another branch of this round links; remove each line once that branch is merged (the crawl then checks it).
AWAITING_LINK: dict[tuple[str, str], str] = {}
# Everything under these prefixes is for machines (an API token, no session): not pages.
NOT_BY_LINK_PREFIXES = ("/api/",)
# How many different URLs of one rule the crawl opens: a few, since a day list of an info moment only redirects.
URLS_PER_RULE = 4
ROLES = (ANONYMOUS, VOLUNTEER, COORDINATOR, LANDLORD)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def is_crawled(rule: str) -> bool:
    return rule not in NOT_BY_LINK and not rule.startswith(NOT_BY_LINK_PREFIXES)


def pages_for(app: Flask, role: str) -> set[str]:
    """GET rules this role may open and should find by links."""
    wanted = set()
    for rule in app.url_map.iter_rules():
        guard = guard_of(rule.rule)
        if "GET" not in rule.methods or guard is None or not is_crawled(rule.rule):
            continue
        if role in guard.admits and (guard is not PUBLIC or role == ANONYMOUS):
            wanted.add(rule.rule)
    return wanted


def crawl(app: Flask, client, start: str) -> dict[str, str]:
    """Follow links and redirects from `start`; return each reached rule with the first URL that reached it."""
    adapter = app.url_map.bind("localhost")
    reached: dict[str, str] = {}
    opened: Counter[str] = Counter()
    queue, seen = [start], {start}
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        try:
            rule, _args = adapter.match(parts.path, method="GET", return_rule=True)
        except (NotFound, MethodNotAllowed):
            continue
        reached.setdefault(rule.rule, url)
        if not is_crawled(rule.rule) or opened[rule.rule] >= URLS_PER_RULE:
            continue
        opened[rule.rule] += 1
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302, 303):
            targets = [response.headers["Location"]]
        elif response.status_code == 200 and response.mimetype == "text/html":
            targets = links_of(response.get_data(as_text=True))
        else:
            continue
        for href in targets:
            target = urlsplit(urljoin(url, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "localhost"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path not in seen:
                seen.add(path)
                queue.append(path)
    return reached


def unreachable(app: Flask, client, role: str, start: str) -> list[str]:
    reached = crawl(app, client, start)
    return sorted(pages_for(app, role) - set(reached))


@pytest.fixture
def world(db):
    """Enough of everything that every kind of page has an instance to link to."""
    from tests.factories.accounts import UserFactory
    from tests.factories.booking import BookingFactory, WaitlistEntryFactory
    from tests.factories.dossiers import IncomeLimitFactory, build_complete_dossier
    from tests.factories.landlords import LandlordFactory
    from tests.factories.planning import MomentFactory, OpeningBlockFactory, SlotFactory
    from tests.professionals.conftest import make_info_session

    landlord = LandlordFactory()
    open_moment = MomentFactory()
    OpeningBlockFactory(moment=open_moment)
    slots = [SlotFactory(moment=open_moment) for _ in range(3)]
    booking = BookingFactory(slot=slots[0])
    full_moment = MomentFactory()
    full_slot = SlotFactory(moment=full_moment, capacity=1)
    BookingFactory(slot=full_slot)
    WaitlistEntryFactory(moment=full_moment)
    MomentFactory(draft=True)
    dossier = build_complete_dossier(landlord=landlord, moment=open_moment)
    dossier.booking = booking
    IncomeLimitFactory()
    info_slot = make_info_session(seats=10)
    full_info_slot = make_info_session(seats=1, days_ahead=20)
    BookingFactory(slot=full_info_slot, moment=full_info_slot.moment)
    volunteer = UserFactory()
    # A volunteer reaches the dossiers of the moments they staff (issue 13.7).
    open_moment.staff.append(volunteer)
    info_slot.moment.staff.append(volunteer)
    users = {
        VOLUNTEER: volunteer,
        COORDINATOR: UserFactory(coordinator=True),
        LANDLORD: UserFactory(role="landlord", landlord=landlord),
    }
    db.session.commit()
    return users


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_reachable_by_links_from_its_home_page(bare_app: Flask, world, role):
    client = bare_app.test_client()
    if role == ANONYMOUS:
        start = "/"
    else:
        response = client.post("/login", data={"email": world[role].email, "password": PASSWORD})
        start = urlsplit(response.headers["Location"]).path
    missing = unreachable(bare_app, client, role, start)
    awaited = sorted(rule for rule, awaiting_role in AWAITING_LINK if awaiting_role == role)
    linked_meanwhile = sorted(set(awaited) - set(missing))
    assert not linked_meanwhile, f"Now linked; remove from AWAITING_LINK (tests/test_navigation.py): {linked_meanwhile}"
    missing = sorted(set(missing) - set(awaited))
    assert not missing, (
        f"As {role}, no link leads from {start} to these pages. Link each from where its user starts (the staff "
        "menu in templates/base.html, the home page, or the list it belongs to); only a token route or a "
        "download goes into NOT_BY_LINK in tests/test_navigation.py:\n  " + "\n  ".join(missing)
    )


def test_the_crawl_names_a_page_no_link_reaches(make_app, world):
    app = make_app()

    @app.route("/planning/verstopt")
    def hidden():
        return "<p>no link leads here</p>"

    client = app.test_client()
    client.post("/login", data={"email": world[VOLUNTEER].email, "password": PASSWORD})
    assert "/planning/verstopt" in unreachable(app, client, VOLUNTEER, "/medewerkers")


def test_the_exception_list_names_only_rules_that_exist(bare_app: Flask):
    rules = {rule.rule for rule in bare_app.url_map.iter_rules()}
    stale = sorted(set(NOT_BY_LINK) - rules)
    assert not stale, "No such URL rule any more; remove it from NOT_BY_LINK in tests/test_navigation.py: " + (
        ", ".join(stale)
    )
