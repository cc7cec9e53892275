"""Languages: no text outside _(), complete catalogues for candidate pages, and the language choice.

Candidate pages speak nl, fr, en, ar and tr; staff pages speak Dutch only. See docs/i18n.md.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from inschrijving.config import ROOT

TEMPLATES = ROOT / "templates"
TRANSLATIONS = ROOT / "inschrijving" / "translations"
TRANSLATED_LANGUAGES = ("fr", "en", "ar", "tr")

# What a candidate (not staff) reads. Every message extracted from these files must be translated.
# Paths are relative to the repository root, shell-style patterns; pages that appear later are covered.
CANDIDATE_SOURCES = (
    "templates/base.html",
    "templates/_macros.html",
    "templates/booking/*",
    "templates/errors/*",
    "templates/emails/*",
    "templates/check/*",
    "templates/dossiers/check*",
    "templates/dossiers/_findings.html",
    "templates/pdf/booking_letter.html",
    "templates/pdf/receipt.html",
    "inschrijving/web.py",
    "inschrijving/error_pages.py",
    "inschrijving/booking/*.py",
    "inschrijving/booking/**/*.py",
    "inschrijving/dossiers/eligibility*.py",
    "inschrijving/dossiers/check*.py",
    "inschrijving/dossiers/check/*.py",
    "inschrijving/dossiers/services/checklist.py",  # what is still missing, on the candidate's manage page
    "inschrijving/rendering/ical.py",
    # Professionals' public pages (info moments, the social worker's list) are translated like the candidates'.
    "templates/professionals/*",
    "inschrijving/professionals/*.py",
    "inschrijving/professionals/**/*.py",
)
# Candidate text inside a staff module: "path:function" (the function's lines count as a candidate source).
CANDIDATE_FUNCTIONS = ("inschrijving/landlords/services.py:candidate_status_lines",)
# Staff-only e-mails that live next to the candidate ones.
STAFF_ONLY_SOURCES = ("templates/emails/account_*", "templates/emails/password_*", "templates/emails/staff_*")

# Words that are the same in every language we serve, so a text made only of these (plus digits and
# punctuation) needs no _(): file formats, codes, names, units.
ALLOWED_WORDS = {"PDF", "CSV", "JSON", "iCal", "API", "QR", "OK", "Woonclub", "SVK", "CIR", "BIS", "ID", "kB", "MB",
                 "IBAN"}
# Attributes whose value a person reads or hears (screen readers read aria-label, title and alt).
READABLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription",
                       "aria-valuetext", "label"}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w-]*")
_JINJA = re.compile(
    r"\{%-?\s*(?:trans|pluralize)\b.*?\{%-?\s*endtrans\s*-?%\}"  # {% trans %} blocks are translated
    r"|\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}"
    r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)
_INVISIBLE_ELEMENTS = re.compile(r"<!--.*?-->|<(style|script)\b.*?</\1\s*>", re.S | re.I)


def compile_catalogues() -> None:
    """Compile each .po whose .mo is missing or older, as `make catalogs` does (fuzzy entries left out)."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f)
        # Written aside and renamed, so a parallel test run never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(tmp, mo_path)


def forget_loaded_translations(app: Flask) -> None:
    """Flask-Babel caches translations per process; drop them after (re)compiling."""
    from inschrijving.extensions import babel

    with app.app_context():
        babel.domain_instance.cache.clear()


def _without_jinja(source: str) -> str:
    # Keep the newlines, so line numbers in failures match the file.
    return _JINJA.sub(lambda m: " " + "\n" * m.group(0).count("\n"), source)


def _needs_translation(text: str) -> bool:
    words = _WORD.findall(text)
    return bool(_LETTER.search(text)) and not all(word in ALLOWED_WORDS for word in words)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            readable = name in READABLE_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in {"submit", "button", "reset"}
            )
            if readable and value and _needs_translation(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if _needs_translation(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def untranslated_text(path: Path) -> list[str]:
    """Return 'file:line: text' for every readable text in a template that does not go through _()."""
    source = _without_jinja(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    if path.suffix == ".html":
        source = _INVISIBLE_ELEMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), source)
        collector = _TextCollector()
        collector.feed(source)
        collector.close()
        found = collector.found
    elif path.suffix == ".ics":
        # Only the human-readable properties of a calendar template; the rest is protocol.
        for number, line in enumerate(source.splitlines(), 1):
            name, _sep, value = line.partition(":")
            if name.split(";")[0] in {"SUMMARY", "DESCRIPTION", "LOCATION"} and _needs_translation(value):
                found.append((number, value.strip()))
    else:  # plain-text e-mails: every line is read
        found = [(n, line.strip()) for n, line in enumerate(source.splitlines(), 1) if _needs_translation(line)]
    relative = path.relative_to(ROOT)
    return [f"{relative}:{line}: {text}" for line, text in found]


def all_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt", ".ics"})


def is_candidate_source(relative_path: str) -> bool:
    def matches(patterns: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatch(relative_path, pattern) for pattern in patterns)

    return matches(CANDIDATE_SOURCES) and not matches(STAFF_ONLY_SOURCES)


@functools.cache
def candidate_messages() -> dict[str | tuple[str, ...], list[str]]:
    """Extract every message from the candidate-facing sources, as `make extract-messages` would."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    messages: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords, directory_filter=_source_directory
    ):
        if is_candidate_source(filename) or lineno in candidate_function_lines().get(filename, ()):
            messages.setdefault(message, []).append(f"{filename}:{lineno}")
    return messages


@functools.cache
def candidate_function_lines() -> dict[str, range]:
    """The line ranges of CANDIDATE_FUNCTIONS, found by name so they follow the code when it moves."""
    ranges = {}
    for spec in CANDIDATE_FUNCTIONS:
        path, name = spec.split(":")
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        found = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name]
        assert found, f"{spec} in CANDIDATE_FUNCTIONS no longer exists"
        ranges[path] = range(found[0].lineno, found[0].end_lineno + 1)
    return ranges


def _source_directory(path: str) -> bool:
    relative = Path(path).relative_to(ROOT)
    return relative.parts[0] in {"inschrijving", "templates"} and not relative.name.startswith((".", "_"))


# ---------------------------------------------------------------------------------------------------------------
# The tests


def test_the_template_scanner_finds_bare_text_and_accepts_translated_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% extends "base.html" %}\n<h1>{{ _("Welkom") }}</h1>\n<p>Bare tekst</p>\n'
        '<img src="x.png" alt="Een foto">\n<span title="{{ _(\'Hulp\') }}">·</span>\n'
        "<style>.a { color: red; }</style>{# commentaar #}{% trans %}Vertaald{% endtrans %}\n",
        encoding="utf-8",
    )
    source = _without_jinja(page.read_text())
    collector = _TextCollector()
    collector.feed(_INVISIBLE_ELEMENTS.sub("", source))
    found = [text for _line, text in collector.found]
    assert found == ["Bare tekst", 'alt="Een foto"']


@pytest.mark.parametrize("template", all_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_readable_text_in_a_template_goes_through_gettext(template: Path):
    found = untranslated_text(template)
    assert not found, "Put these texts inside {{ _(\"...\") }}:\n" + "\n".join(found)


def test_candidate_pages_have_messages_to_translate():
    # Guards the completeness test below against silently checking nothing (e.g. a wrong path pattern).
    messages = candidate_messages()
    assert "Ga naar de inhoud" in messages
    assert "Pagina niet gevonden" in messages
    assert "%(landlord)s heeft uw dossier ontvangen." in messages  # from CANDIDATE_FUNCTIONS


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_catalogue_translates_every_candidate_message(language: str):
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert po_path.exists(), f"No catalogue for {language}: run `make extract-messages`."
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=language)
    problems = []
    for msgid, locations in sorted(candidate_messages().items(), key=lambda item: str(item[0])):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = catalog.get(key)
        where = locations[0]
        if entry is None:
            problems.append(f"missing (run `make extract-messages`): {key!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {key!r} ({where})")
        elif not entry.string or not all(entry.string if isinstance(entry.string, tuple) else [entry.string]):
            problems.append(f"untranslated: {key!r} ({where})")
    assert not problems, f"{language}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_catalogue_translations_keep_the_placeholders(language: str):
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=language)
    # Babel's checkers compare %(name)s placeholders and plural forms; a mismatch crashes a page at runtime.
    errors = [f"{message.id!r}: {', '.join(map(str, errs))}" for message, errs in catalog.check()]
    assert not errors, "\n".join(errors)


# ---------------------------------------------------------------------------------------------------------------
# Choosing the language


@pytest.fixture
def translated_app(app: Flask) -> Flask:
    compile_catalogues()
    forget_loaded_translations(app)
    return app


@pytest.fixture
def fresh(client: FlaskClient) -> FlaskClient:
    """A client whose every request starts with an empty `g`: the conftest's client does that for every test."""
    return client


def test_dutch_is_the_default(translated_app, fresh):
    page = fresh.get("/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    assert "Ga naar de inhoud" in page


def test_lang_parameter_switches_and_is_remembered(translated_app, fresh):
    first = fresh.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in first
    assert "Ga naar de inhoud" not in first
    later = fresh.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in later
    assert "Ga naar de inhoud" not in later


def test_an_unknown_language_is_ignored(translated_app, fresh):
    page = fresh.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page


def test_browser_language_is_the_first_guess(translated_app, fresh):
    page = fresh.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page


def test_a_chosen_language_beats_the_browser_language(translated_app, fresh):
    fresh.get("/?lang=en")
    page = fresh.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_arabic_pages_are_right_to_left(translated_app, fresh):
    page = fresh.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    error_page = fresh.get("/bestaat-niet").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in error_page


def test_the_switcher_names_each_language_in_its_own_script(translated_app, fresh):
    page = fresh.get("/?lang=ar").get_data(as_text=True)
    for code, name in (("nl", "Nederlands"), ("fr", "Français"), ("en", "English"), ("ar", "العربية"),
                       ("tr", "Türkçe")):
        assert f'href="/?lang={code}" lang="{code}" hreflang="{code}"' in page
        assert name in page


def test_the_switcher_keeps_the_page_and_its_answers(translated_app, fresh):
    page = fresh.get("/check?household_size=2&lang=fr").get_data(as_text=True)
    assert 'href="/check?household_size=2&amp;lang=tr" lang="tr"' in page
    # A page that matched no route links home: its raw path is whatever was typed (issue 13.8).
    page = fresh.get("/bestaat-niet?stap=2&lang=fr").get_data(as_text=True)
    assert 'href="/?lang=tr" lang="tr"' in page


def test_staff_pages_have_no_language_switcher(translated_app, fresh):
    page = fresh.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    assert "language-switcher" not in page


def test_staff_pages_stay_dutch_when_the_session_remembers_arabic(translated_app, fresh, auth, db):
    from tests.factories.accounts import UserFactory

    volunteer = UserFactory()
    db.session.commit()
    auth.login(volunteer)
    fresh.get("/?lang=ar")
    page = fresh.get("/planning/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    page = fresh.get("/planning/?lang=ar").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    # The candidate's choice is still there for the public pages.
    assert '<html lang="ar" dir="rtl">' in fresh.get("/").get_data(as_text=True)


def test_staff_pages_stay_dutch_when_an_app_hook_translated_first(translated_app, make_app, db):
    from flask_babel import gettext

    from tests.conftest import AuthActions
    from tests.factories.accounts import UserFactory

    hooked = make_app()  # an app of its own: the shared one has served requests and takes no new hooks

    @hooked.before_request
    def translate_early():
        # Like an idle-timeout flash: runs before the staff blueprint's guard and fixes the locale early.
        gettext("Ga naar de inhoud")

    volunteer = UserFactory()
    db.session.commit()
    client = hooked.test_client()
    AuthActions(client).login(volunteer)
    client.get("/?lang=ar")
    page = client.get("/planning/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page


def test_the_booking_form_preselects_the_page_language(translated_app, fresh, db):
    from tests.factories.planning import MomentFactory, SlotFactory

    slot = SlotFactory(moment=MomentFactory())
    db.session.commit()
    page = fresh.get(f"/inschrijven/{slot.moment_id}/{slot.id}?lang=tr").get_data(as_text=True)
    # Whoever leaves the question alone gets e-mails and letters in the language they booked in.
    assert re.search(r'<input[^>]*checked[^>]*value="tr"|<input[^>]*value="tr"[^>]*checked', page)
