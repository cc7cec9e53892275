"""Speed on a cheap phone (issue 17): /favicon.ico, fingerprinted static names with a year's cache, compressed
text responses (never the no-store personal pages)."""

from __future__ import annotations

import gzip
import re

from tests.factories.booking import BookingFactory


def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon" and response.data[:4] == b"\x00\x00\x01\x00"
    response.close()


def test_pages_link_fingerprinted_static_files_cached_for_a_year(client, db):
    page = client.get("/?lang=nl").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', page)
    icon = re.search(r'src="(/static/img/pictograms/[a-z-]+\.[0-9a-f]{10}\.svg)"', page)
    assert css and icon, "stylesheet and pictograms are linked by their fingerprinted names"
    for url in (css.group(1), icon.group(1)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable and response.cache_control.public
        response.close()


def test_the_plain_static_name_still_works_and_revalidates(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and not response.cache_control.immutable
    response.close()


def test_a_changed_file_gets_a_new_name(tmp_path):
    from inschrijving.static_files import build_manifest

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("a{}")
    first = build_manifest(tmp_path)["css/app.css"]
    (tmp_path / "css" / "app.css").write_text("b{}")
    assert build_manifest(tmp_path)["css/app.css"] != first


def test_text_responses_are_compressed(client, db):
    response = client.get("/?lang=nl", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<!doctype html>" in gzip.decompress(response.data)
    name = re.search(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', client.get("/").get_data(as_text=True)).group(1)
    css = client.get(name, headers={"Accept-Encoding": "gzip"})
    assert css.headers.get("Content-Encoding") == "gzip"
    css.close()


def test_personal_no_store_pages_are_not_compressed(client, db):
    booking = BookingFactory()
    db.session.commit()
    response = client.get(f"/afspraak/token-{booking.reference}", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Encoding" not in response.headers
