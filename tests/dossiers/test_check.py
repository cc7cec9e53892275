"""/check for candidates (issue 17): validation that keeps every answer, summary links that land, texts of
its own in plain language, the latest known limits when this year's are missing, one default income year."""

from __future__ import annotations

import re
from datetime import date

from inschrijving.dossiers.eligibility.rules import default_income_year
from tests.dossiers.test_views import CHECK
from tests.factories.dossiers import IncomeLimitFactory

STAFF_WORDS = ("referentiehuurder", "ambtshalve", "ontvoogd", "(deel)eigendom", "Leeftijd op de inschrijvingsdatum",
               "nog niet ingevoerd", "middelentoets")


def _page(client, **answers) -> str:
    response = client.get("/check", query_string=answers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_missing_first_answer_shows_an_error_and_keeps_the_other_answers(client):
    answers = {k: v for k, v in CHECK.items() if k != "adult"}
    page = _page(client, **answers)
    assert "Kies ja of nee." in page
    assert "Wat uw antwoorden betekenen" not in page
    assert re.search(r'<input[^>]*id="income"[^>]*value="20000"', page)
    assert re.search(r'<input[^>]*checked[^>]*id="registered-0"|<input[^>]*id="registered-0"[^>]*checked', page)
    assert page.count('<title>Fout: ') == 1


def test_an_empty_submit_is_validated_too(client):
    page = _page(client, dependants="", income="", savings="")
    assert page.count('class="error"') >= 5


def test_error_summary_links_point_at_existing_ids_and_read_as_the_messages(client):
    page = _page(client, dependants="0", income="", savings="")
    summary = page[page.index('class="form-errors"'):page.index("</ul>", page.index('class="form-errors"'))]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert len(links) >= 6
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert [target for target, _text in links if target not in ids] == []
    assert "Kies ja of nee." in [message for _target, message in links]
    assert "uitroepteken" not in page


def test_result_speaks_to_the_candidate_without_staff_words(db, client):
    IncomeLimitFactory(year=date.today().year)
    db.session.commit()
    for answers in (CHECK, {**CHECK, "adult": "no", "registered": "no", "property": "yes", "income": "90000",
                            "savings": "900000"}):
        page = _page(client, **answers)
        assert "Wat uw antwoorden betekenen" in page
        assert [word for word in STAFF_WORDS if word in page] == []
    assert "U of uw partner bezit (een deel van) een huis of grond." in page
    assert "Uw inkomen van toen is te hoog. Verdient u nu minder?" in page
    assert "Staat u (of iemand van uw gezin) nog niet in het register van de gemeente?" in page


def test_missing_limits_of_this_year_use_the_latest_known_year_and_say_so(db, client):
    year = date.today().year
    IncomeLimitFactory(year=year - 1)
    db.session.commit()
    page = _page(client, **CHECK)
    assert (f'De grenzen van <bdi dir="ltr">{year}</bdi> kennen we nog niet. We vergelijken met de grenzen van '
            f'<bdi dir="ltr">{year - 1}</bdi>.') in page
    assert "Grens voor uw gezin" in page and "29.515,00" in page
    assert "Uw inkomen is niet te hoog." in page


def test_income_hint_uses_the_one_default_income_year(client):
    page = _page(client)
    assert f'belastingen over <bdi dir="ltr">{default_income_year(date.today())}</bdi>' in page
