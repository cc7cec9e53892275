"""No secret link's token in a log line (issue 13.17)."""

from __future__ import annotations

import logging

from inschrijving.logsafety import TOKEN_PREFIXES, TokenFilter, redact


def test_every_token_route_is_covered(app):
    token_rules = {r.rule for r in app.url_map.iter_rules() if "<token>" in r.rule or "<code>" in r.rule}
    assert token_rules
    for rule in token_rules:
        assert rule.startswith(TOKEN_PREFIXES), rule


def test_tokens_are_replaced_and_the_rest_kept():
    assert redact("Exception on /afspraak/abc_DEF-123/annuleren [POST]") == (
        "Exception on /afspraak/[token]/annuleren [POST]")
    assert redact('"GET /planning/agenda/xyz.ics HTTP/1.1"') == '"GET /planning/agenda/[token].ics HTTP/1.1"'
    assert redact("/aanbod/tok?x=1 /wachtwoord-instellen/tok2") == "/aanbod/[token]?x=1 /wachtwoord-instellen/[token]"
    assert redact("/dossiers/12 /inschrijven/3/4") == "/dossiers/12 /inschrijven/3/4"
    assert redact("GET /k/Ab3dE /hulpverleners/mijn-afspraken/eyJ.x.y/7") == (
        "GET /k/[token] /hulpverleners/mijn-afspraken/[token]/7")


def test_the_app_logger_redacts_a_failing_request(make_app, caplog):
    app = make_app()

    @app.route("/afspraak/<token>/kapot-in-test")
    def broken(token):
        raise RuntimeError("boom")

    app.testing = False  # let Flask log the exception as in production
    try:
        with caplog.at_level(logging.ERROR):
            app.test_client().get("/afspraak/geheimtoken123/kapot-in-test")
    finally:
        app.testing = True
    messages = [r.getMessage() for r in caplog.records]
    assert any("/afspraak/[token]/kapot-in-test" in m for m in messages)
    assert not any("geheimtoken123" in m for m in messages)


def test_the_filter_merges_arguments():
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s",
                               ("/afspraak/abc",), None)
    assert TokenFilter().filter(record) is True
    assert record.getMessage() == "Error handling request /afspraak/[token]"
