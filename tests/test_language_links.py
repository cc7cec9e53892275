"""The language switcher links to this page in another language, built from the route (issue 13.8)."""

from __future__ import annotations

import re

import pytest


def language_links(html: str) -> list[str]:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize("path", ["/%5Cevil.example/", "/%5C%5Cevil.example/x", "/\\evil.example/",
                                  "/%09/evil.example", "/bestaat-niet?lang=fr&next=//evil.example"])
def test_a_404_never_links_off_site(client, path):
    response = client.get(path)
    assert response.status_code == 404
    links = language_links(response.get_data(as_text=True))
    assert links
    for link in links:
        assert link.startswith("/?lang=") or link.startswith("/?"), link
        assert "evil" not in link


def test_a_page_links_to_itself_in_the_other_languages_with_its_question(client):
    html = client.get("/check?household_size=3").get_data(as_text=True)
    links = language_links(html)
    assert "/check?household_size=3&amp;lang=fr" in links
