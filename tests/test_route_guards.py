"""Every URL rule of the app, opened by every kind of visitor, is let through or refused as the table says.

The table is keyed on URL rules (as the browser sees them), not on endpoints or modules, so moving code around
does not touch it. A guarded area is one URL prefix; rules inside it with another guard are listed by rule;
every public rule is listed by rule, with the reason it needs no account. A new rule outside the guarded
prefixes fails `test_every_rule_has_a_guard` until someone decides who may open it.

What "let through" means: the guard did not answer. Ids in the URLs point at nothing, so a visitor who is let
through mostly gets 404, a form page or a redirect that is not the login page; a refusal is the login
redirect (pages), 401 (the API) or 403 (a logged-in user without the role).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask

from tests.conftest import PASSWORD

ANONYMOUS, VOLUNTEER, COORDINATOR, LANDLORD, API_TOKEN = "anonymous", "volunteer", "coordinator", "landlord", "token"
VISITORS = (ANONYMOUS, VOLUNTEER, COORDINATOR, LANDLORD, API_TOKEN)
WITH_ACCOUNT = frozenset({VOLUNTEER, COORDINATOR, LANDLORD})

THROUGH, LOGIN, UNAUTHORIZED, FORBIDDEN = "through", "login page", "401", "403"


@dataclass(frozen=True)
class Guard:
    name: str
    admits: frozenset[str]
    without_session: str = LOGIN  # the answer to a visitor without a session (anonymous, or only an API token)
    wrong_role: str = FORBIDDEN  # the answer to a logged-in user the guard does not admit

    def expected(self, visitor: str) -> str:
        if visitor in self.admits:
            return THROUGH
        return self.wrong_role if visitor in WITH_ACCOUNT else self.without_session


PUBLIC = Guard("public", frozenset(VISITORS))
ANY_ACCOUNT = Guard("any account", WITH_ACCOUNT)
STAFF = Guard("volunteers and coordinators", frozenset({VOLUNTEER, COORDINATOR}))
COORDINATORS = Guard("coordinators", frozenset({COORDINATOR}))
LANDLORD_STAFF = Guard("landlord staff", frozenset({LANDLORD}))
# The API takes its token, never a session cookie: a logged-in browser gets no further than a stranger.
TOKEN = Guard("API token", frozenset({API_TOKEN}), without_session=UNAUTHORIZED, wrong_role=UNAUTHORIZED)
# Not a guard but the login flow: without a first step in the session, everyone is sent back to /login.
SECOND_LOGIN_STEP = Guard("second login step", frozenset(), wrong_role=LOGIN)

GUARDED_PREFIXES = {
    "/planning/": STAFF,
    "/dossiers/": STAFF,
    "/privacy/": STAFF,
    "/beheer/": COORDINATORS,
    "/verhuurder/": LANDLORD_STAFF,
    "/account": ANY_ACCOUNT,
    "/api/v1/": TOKEN,
}
# Rules inside a guarded prefix with a guard of their own.
EXCEPTIONS = {
    # Changing the plan, the income limits and reading a dossier's history are for coordinators.
    "/planning/nieuw": COORDINATORS,
    "/planning/<int:moment_id>/publiceren": COORDINATORS,
    "/planning/<int:moment_id>/sluiten": COORDINATORS,
    "/planning/<int:moment_id>/annuleren": COORDINATORS,
    "/planning/<int:moment_id>/capaciteit": COORDINATORS,
    "/planning/<int:moment_id>/capaciteit/verplaats": COORDINATORS,
    "/planning/<int:moment_id>/medewerkers": COORDINATORS,
    "/planning/<int:moment_id>/reeks": COORDINATORS,
    "/planning/infomoment/nieuw": COORDINATORS,
    "/planning/<int:moment_id>/bewerken": COORDINATORS,
    "/dossiers/grenzen": COORDINATORS,
    "/dossiers/<int:dossier_id>/geschiedenis": COORDINATORS,
    # A calendar app cannot log in: the secret token in the feed's URL is the key (unknown token: 404).
    "/planning/agenda/<token>.ics": PUBLIC,
    # The contract holds no data; API clients read it before they have a token.
    "/api/v1/openapi.json": PUBLIC,
}
# Rules outside the guarded prefixes: who may open them, and why.
OUTSIDE_PREFIXES = {
    # Candidates book, move, cancel and join the waiting list without an account.
    "/": PUBLIC,
    "/check": PUBLIC,
    "/favicon.ico": PUBLIC,
    "/afspraak/<token>/gegevens": PUBLIC,
    "/inschrijven/<int:moment_id>": PUBLIC,
    "/inschrijven/<int:moment_id>/<int:slot_id>": PUBLIC,
    "/inschrijven/<int:moment_id>/link-opnieuw": PUBLIC,
    "/wachtlijst/<int:moment_id>": PUBLIC,
    "/wachtlijst/volgende": PUBLIC,
    # The private link in the candidate's confirmation (or waiting-list offer) is the key; unknown token: 404.
    "/afspraak/<token>": PUBLIC,
    "/afspraak/<token>.ics": PUBLIC,
    "/afspraak/<token>/annuleren": PUBLIC,
    "/afspraak/<token>/bevestigd": PUBLIC,
    "/afspraak/<token>/brief.pdf": PUBLIC,
    "/afspraak/<token>/verplaatsen": PUBLIC,
    "/afspraak/<token>/sms-stoppen": PUBLIC,
    "/aanbod/<token>": PUBLIC,
    # Booking for a client, info moments for professionals and the worker's list need no account: the
    # registration's token, or the signed and expiring link sent to the work e-mail, is the key.
    "/inschrijven/<int:moment_id>/<int:slot_id>/voor-iemand-anders": PUBLIC,
    "/hulpverleners/": PUBLIC,
    "/hulpverleners/<int:moment_id>": PUBLIC,
    "/hulpverleners/<int:moment_id>/wachtlijst": PUBLIC,
    "/hulpverleners/inschrijving/<token>": PUBLIC,
    "/hulpverleners/inschrijving/<token>/bevestigd": PUBLIC,
    "/hulpverleners/inschrijving/<token>/annuleren": PUBLIC,
    "/hulpverleners/mijn-afspraken": PUBLIC,
    "/hulpverleners/mijn-afspraken/<token>": PUBLIC,
    "/hulpverleners/aanbod/<token>": PUBLIC,
    "/hulpverleners/<int:moment_id>/ontvangen": PUBLIC,
    # The short link in an SMS stands for one of those private links (unknown or revoked code: 404).
    "/k/<code>": PUBLIC,
    # Logging in, and the one-time link a coordinator hands out to set a password.
    "/login": PUBLIC,
    "/login/code": SECOND_LOGIN_STEP,
    "/wachtwoord-instellen/<token>": PUBLIC,
    "/static/<path:filename>": PUBLIC,
    # Logging out and the staff start page need an account, whatever its role.
    "/logout": ANY_ACCOUNT,
    "/medewerkers": ANY_ACCOUNT,
}


def guard_of(rule: str) -> Guard | None:
    if rule in EXCEPTIONS:
        return EXCEPTIONS[rule]
    if rule in OUTSIDE_PREFIXES:
        return OUTSIDE_PREFIXES[rule]
    prefixes = [prefix for prefix in GUARDED_PREFIXES if rule.startswith(prefix)]
    return GUARDED_PREFIXES[max(prefixes, key=len)] if prefixes else None


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _concrete(rule: str) -> str:
    """The rule with every variable filled in: ids that point at nothing, tokens that match nothing."""
    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", lambda m: "999999" if m.group(1) == "int" else "onbekend", rule)


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303) and response.headers.get("Location", "").startswith("/login"):
        return LOGIN
    return {401: UNAUTHORIZED, 403: FORBIDDEN}.get(response.status_code, THROUGH)


def rules_without_guard(app: Flask) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules() if guard_of(rule.rule) is None})


def test_every_rule_has_a_guard(bare_app: Flask):
    missing = rules_without_guard(bare_app)
    assert not missing, (
        "These URL rules are not in tests/test_route_guards.py. Decide who may open them and add each to "
        "OUTSIDE_PREFIXES (with the reason if it is public), or move it under a guarded prefix:\n  "
        + "\n  ".join(missing)
    )


def test_the_table_names_only_rules_that_exist(bare_app: Flask):
    rules = {rule.rule for rule in bare_app.url_map.iter_rules()}
    stale = sorted((set(EXCEPTIONS) | set(OUTSIDE_PREFIXES)) - rules)
    assert not stale, "No such URL rule any more; update tests/test_route_guards.py:\n  " + "\n  ".join(stale)
    unused = sorted(p for p in GUARDED_PREFIXES if not any(rule.startswith(p) for rule in rules))
    assert not unused, f"No URL rule under these prefixes: {unused}"


@pytest.fixture
def visitors(db, bare_app: Flask) -> dict[str, dict]:
    """For each visitor: the session cookie and headers its requests carry."""
    from tests.factories.accounts import UserFactory
    from tests.landlords.conftest import api_token_for

    users = {VOLUNTEER: UserFactory(), COORDINATOR: UserFactory(coordinator=True),
             LANDLORD: UserFactory(landlord_staff=True)}
    db.session.commit()
    token = api_token_for(users[LANDLORD].landlord)
    found = {ANONYMOUS: {}, API_TOKEN: {"headers": {"Authorization": f"Bearer {token}"}}}
    def logged_in(user) -> str:
        client = bare_app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client.get_cookie("session").value

    for visitor, user in users.items():
        found[visitor] = {"cookie": logged_in(user), "log_in_again": lambda user=user: logged_in(user)}
    return {visitor: found[visitor] for visitor in VISITORS}


def wrong_answers(app: Flask, visitors: dict[str, dict], only: set[str] | None = None) -> list[str]:
    """Open every rule (or `only` these) with every method as every visitor; describe each unexpected answer."""
    wrong = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        guard = guard_of(rule.rule)
        if guard is None or (only is not None and rule.rule not in only):
            continue  # test_every_rule_has_a_guard names the rules without a guard
        for method in _methods(rule):
            for visitor, carries in visitors.items():
                # A client of its own per request: logging out (or in) changes nothing for the next one.
                client = app.test_client()
                if "cookie" in carries:
                    client.set_cookie("session", carries["cookie"], domain="localhost")
                response = client.open(_concrete(rule.rule), method=method, headers=carries.get("headers", {}))
                got, expected = _outcome(response), guard.expected(visitor)
                if rule.rule == "/logout" and "log_in_again" in carries:
                    # Logout ends the session on the server (issue 13.5): the next rules need a fresh one.
                    carries["cookie"] = carries["log_in_again"]()
                assert response.status_code < 500, (method, rule.rule, visitor)
                if got != expected:
                    wrong.append(f"{method} {rule.rule} as {visitor}: {got} ({response.status_code}), "
                                 f"expected {expected} (guard: {guard.name})")
    return wrong


def test_every_rule_lets_through_exactly_the_visitors_its_guard_admits(bare_app: Flask, visitors):
    wrong = wrong_answers(bare_app, visitors)
    assert not wrong, "\n".join(wrong)


def test_a_rule_added_without_its_guard_is_caught(make_app, visitors):
    app = make_app()

    @app.route("/planning/zonder-bewaking")
    def unguarded():
        return "personal data"

    @app.route("/nergens-vermeld")
    def unlisted():
        return "?"

    assert rules_without_guard(app) == ["/nergens-vermeld"]
    assert wrong_answers(app, visitors, only={"/planning/zonder-bewaking"}) == [
        "GET /planning/zonder-bewaking as anonymous: through (200), expected login page (guard: volunteers and "
        "coordinators)",
        "GET /planning/zonder-bewaking as landlord: through (200), expected 403 (guard: volunteers and coordinators)",
        "GET /planning/zonder-bewaking as token: through (200), expected login page (guard: volunteers and "
        "coordinators)",
    ]
