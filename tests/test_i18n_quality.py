"""Translation quality: what a machine can check of "Translating well" in docs/i18n.md.

The glossary of legal words (one rendering per language, the Dutch word in brackets), French spacing, Arabic
counted nouns and quoted interface texts. Whether a translation reads well still needs a native reader.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from inschrijving.config import ROOT
from tests.test_i18n import TRANSLATED_LANGUAGES, TRANSLATIONS, candidate_messages

DOCS = ROOT / "docs" / "i18n.md"
NARROW_NBSP = "\u202f"


@functools.cache
def catalogue(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def candidate_translations(language: str) -> list[tuple[str, str]]:
    """(Dutch msgid, translation) for every candidate message; each plural form is its own pair."""
    catalog = catalogue(language)
    pairs = []
    for msgid in candidate_messages():
        message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        if message is None:  # test_catalogue_translates_every_candidate_message reports it
            continue
        dutch = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(dutch, string) for string in strings if string]
    return pairs


def translation_of(language: str, msgid: str) -> str:
    message = catalogue(language).get(msgid)
    return message.string if message and isinstance(message.string, str) else ""


# ---------------------------------------------------------------------------------------------------------------
# The glossary, read from docs/i18n.md so the page and the test never disagree


@dataclass(frozen=True)
class Term:
    dutch: tuple[str, ...]
    renderings: dict[str, tuple[str, ...]]
    bracketed: bool  # a legal word: the Dutch word follows in brackets


@functools.cache
def glossary() -> tuple[Term, ...]:
    terms = []
    bracketed = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            bracketed = True if heading.startswith("Glossary") else False if heading.startswith("Other key") else None
            continue
        if bracketed is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "Dutch" or not cells[0].strip("-"):
            continue
        forms = [tuple(form.strip() for form in cell.split(" / ")) for cell in cells[:5]]
        terms.append(Term(forms[0], dict(zip(TRANSLATED_LANGUAGES, forms[1:], strict=True)), bracketed))
    return tuple(terms)


_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # short vowels, shadda, tatweel
_FRENCH_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)['’]")


def words(text: str, language: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    if language == "ar":
        text = _ARABIC_MARKS.sub("", text)
    else:
        text = text.lower().replace("\u0307", "")  # Turkish İ lowercases to i + a combining dot
    found = re.findall(r"[\w'’]+", text)  # a hyphen separates: ex-partenaire, rendez-vous
    return [_FRENCH_ELISION.sub("", word) for word in found] if language == "fr" else found


def _core(glossary_word: str, language: str) -> str:
    """The part of a glossary word that every inflected form contains (Arabic drops article and endings)."""
    if language == "ar":
        return re.sub(r"(?:ون|ين|ان|ات|ة|ا)$", "", re.sub(r"^ال", "", glossary_word))
    return glossary_word


def _matches(core: str, word: str, language: str) -> bool:
    # Arabic adds prefixes (و، ب، لل) and pronoun suffixes; the other languages add endings only.
    return core in word if language == "ar" else word.startswith(core)


def rendering_ends(text_words: list[str], rendering: str, language: str) -> list[int]:
    """Indexes in text_words just after each place where the rendering occurs."""
    cores = [_core(word, language) for word in words(rendering, language)]
    return [
        start + len(cores)
        for start in range(len(text_words) - len(cores) + 1)
        if all(_matches(core, text_words[start + i], language) for i, core in enumerate(cores))
    ]


def uses_term(dutch_text: str, term: Term) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(form)}(?:s|en|n)?(?!\w)", dutch_text, re.I) for form in term.dutch)


def test_the_glossary_is_read_from_the_docs():
    terms = {term.dutch[0]: term for term in glossary()}
    assert terms["aanslagbiljet"].renderings["tr"] == ("vergi tahakkuk bildirimi",)
    assert terms["aanslagbiljet"].bracketed and not terms["partner"].bracketed
    assert terms["ontvoogd"].renderings["ar"] == ("قاصر مرشَّد", "مرشَّد")
    assert len(terms) >= 30


def test_renderings_match_their_inflected_forms():
    assert rendering_ends(words("Ya da vergi tahakkuk bildiriminiz.", "tr"), "vergi tahakkuk bildirimi", "tr")
    assert rendering_ends(words("Voir l'avertissement-extrait de rôle", "fr"), "avertissement-extrait de rôle", "fr")
    assert rendering_ends(words("أحضر منه تفويضًا موقَّعًا", "ar"), "تفويض موقَّع", "ar")
    assert rendering_ends(words("İmzalı yetki belgesi", "tr"), "imzalı yetki belgesi", "tr")
    assert not rendering_ends(words("Bir vekâletname getirin.", "tr"), "yetki belgesi", "tr")
    assert not rendering_ends(words("دخل المستأجر المرجعي", "ar"), "المستأجر الرئيسي", "ar")


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_key_term_uses_its_glossary_rendering(language: str):
    problems = []
    for dutch, translated in candidate_translations(language):
        text_words = words(translated, language)
        for term in glossary():
            renderings = term.renderings[language]
            if uses_term(dutch, term) and not any(rendering_ends(text_words, r, language) for r in renderings):
                problems.append(f"{term.dutch[0]} -> {' / '.join(renderings)}: {translated!r}")
    assert not problems, f"{language}: translate with the glossary of docs/i18n.md:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_a_dutch_word_in_brackets_follows_its_glossary_rendering(language: str):
    problems = []
    for _dutch, translated in candidate_translations(language):
        for term in glossary():
            for form in term.dutch:
                for bracket in re.finditer(rf"\({re.escape(form)}\)", translated, re.I):
                    before = words(translated[: bracket.start()], language)
                    renderings = term.renderings[language]
                    # Close before the bracket; an adjective or an article may stand in between.
                    ends = [end for r in renderings for end in rendering_ends(before, r, language)]
                    if not any(len(before) - end <= 2 for end in ends):
                        problems.append(f"({form}) without {' / '.join(renderings)} before it: {translated!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_sentences_with_a_legal_word_give_the_dutch_word_in_brackets(language: str):
    problems = []
    for dutch, translated in candidate_translations(language):
        if not dutch.rstrip().endswith((".", "?", "!", ":")):
            continue  # labels, badges and role words stand next to a sentence that carries it
        for term in glossary():
            in_brackets = any(f"({form})".casefold() in translated.casefold() for form in term.dutch)
            if term.bracketed and uses_term(dutch, term) and not in_brackets:
                problems.append(f"add ({term.dutch[0]}): {translated!r}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# French spacing


def french_spacing_problems(text: str) -> list[str]:
    problems = []
    for mark in re.finditer(r"[?!;:]", text):
        at, after = mark.start(), text[mark.end() : mark.end() + 2]
        if mark.group() == ":" and (after == "//" or text[at - 1 : at].isdigit() and after[:1].isdigit()):
            continue  # a URL or a time of day
        if text[at - 1 : at] != NARROW_NBSP:
            problems.append(f"U+202F before {mark.group()!r}")
    if re.search("«(?!\u202f)|(?<!\u202f)»", text):
        problems.append("U+202F inside « »")
    if "\u00a0" in text:
        problems.append("U+00A0 where the rule is U+202F")
    return problems


def test_the_french_spacing_check_finds_the_usual_mistakes():
    assert french_spacing_problems("Vous avez des questions ? Appelez-nous : 056.") == [
        "U+202F before '?'",
        "U+202F before ':'",
    ]
    assert french_spacing_problems("Il est écrit « complet ».") == ["U+202F inside « »"]
    assert french_spacing_problems("Rendez-vous à 14:30 sur https://exemple.be\u202f!") == []


def test_french_has_a_narrow_no_break_space_before_high_punctuation():
    problems = [
        f"{', '.join(found)}: {text!r}"
        for _dutch, text in candidate_translations("fr")
        if (found := french_spacing_problems(text))
    ]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# Arabic: a counted noun agrees with its number

# Plural (after 3-10) and singular (after 11-99, hundreds and decimals), without short vowels.
ARABIC_COUNTED = {
    "سنوات": "سنة",
    "أشهر": "شهر",
    "أيام": "يوم",
    "ساعات": "ساعة",
    "دقائق": "دقيقة",
    "أماكن": "مكان",
    "أحرف": "حرف",
    "أشخاص": "شخص",
}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def arabic_agreement_problems(text: str) -> list[str]:
    problems = []
    plain = _ARABIC_MARKS.sub("", text).translate(_ARABIC_DIGITS)
    for match in re.finditer(r"(?<![\d.,٫])(\d+)([.,٫]\d+)?\s+(\w+)", plain):
        number, fraction, noun = int(match.group(1)), match.group(2), match.group(3)
        singular = noun.removesuffix("ا")  # the alif of the accusative ending (حرفًا)
        if noun not in ARABIC_COUNTED and singular not in ARABIC_COUNTED.values():
            continue
        wants_plural = not fraction and 3 <= number % 100 <= 10
        if number in (1, 2) and not fraction:
            problems.append(f"{match.group()!r}: write one or two in words (سنة واحدة، سنتان)")
        elif wants_plural and noun not in ARABIC_COUNTED:
            problems.append(f"{match.group()!r}: 3 to 10 take the plural")
        elif not wants_plural and noun in ARABIC_COUNTED:
            problems.append(f"{match.group()!r}: take the singular ({ARABIC_COUNTED[noun]})")
    return problems


def test_the_arabic_agreement_check_knows_the_rules():
    assert arabic_agreement_problems("لآخر 10 سنوات، 18 سنة، 120 حرفًا، 1000 حرف، 7.3 سنة") == []
    assert arabic_agreement_problems("12 سنوات") == ["'12 سنوات': take the singular (سنة)"]
    assert arabic_agreement_problems("5 سنة") == ["'5 سنة': 3 to 10 take the plural"]
    assert arabic_agreement_problems("7.3 سنوات") == ["'7.3 سنوات': take the singular (سنة)"]


def test_arabic_counted_nouns_agree_with_their_numbers():
    problems = [
        f"{', '.join(found)}: {text!r}"
        for _dutch, text in candidate_translations("ar")
        if (found := arabic_agreement_problems(text))
    ]
    assert not problems, "\n".join(problems)


def test_arabic_plural_forms_agree_for_every_number():
    catalog = catalogue("ar")
    plural_form = gettext.c2py(catalog.plural_expr)
    problems = []
    for message in catalog:
        if not message.pluralizable or message.id[0] not in {str(k[0]) for k in candidate_messages()}:
            continue
        for number in (3, 10, 11, 99, 100, 103, 111):
            form = message.string[plural_form(number)]
            problems += arabic_agreement_problems(re.sub(r"%\(\w+\)d", str(number), form))
    assert not problems, "\n".join(problems)


def test_the_years_after_a_decimal_take_the_singular_in_arabic():
    # dossiers/eligibility/information.py writes f"{years:.1f} " + _("jaar").
    assert arabic_agreement_problems(f"{Decimal('12.4'):.1f} " + translation_of("ar", "jaar")) == []


# ---------------------------------------------------------------------------------------------------------------
# A text that quotes another text of the interface quotes its translation

_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"|“([^”]+)”|«\s*([^»]+?)\s*»")


def quoted_interface_texts() -> list[tuple[str, str]]:
    """(message, quoted message) for every candidate message quoting another candidate message."""
    messages = {str(k[0] if isinstance(k, tuple) else k) for k in candidate_messages()}
    by_folded = {message.casefold(): message for message in messages}
    found = []
    for message in messages:
        for match in _QUOTED.finditer(message):
            quoted = next(group for group in match.groups() if group)
            if quoted.casefold() in by_folded and by_folded[quoted.casefold()] != message:
                found.append((message, by_folded[quoted.casefold()]))
    return found


def test_quoted_interface_texts_are_found():
    assert (
        "Twijfelt u, of staat er 'voldoet niet'? Kom toch naar de groepsinschrijving. We bekijken het samen.",
        "Voldoet niet",
    ) in quoted_interface_texts()


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_a_quoted_badge_or_button_matches_its_translation(language: str):
    problems = []
    for message, quoted in quoted_interface_texts():
        text, shown = translation_of(language, message), translation_of(language, quoted)
        quotes = [
            f"'{shown}'",
            f'"{shown}"',
            f"“{shown}”",
            f"‘{shown}’",
            f"«{NARROW_NBSP}{shown}{NARROW_NBSP}»",
            f"«{shown}»",
            f"« {shown} »",
        ]
        if not any(q.casefold() in text.casefold() for q in quotes):
            problems.append(f"{text!r} should quote {shown!r}")
    assert not problems, "\n".join(problems)
