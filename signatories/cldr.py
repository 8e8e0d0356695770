"""Participants' and regions' names in each of the site's languages, from the Unicode CLDR
(through Babel), and the search and the sort that use them.

English keeps the record's own names (``Participant.name``, ``Region.name``): the names the
editors chose, in the exports and the API too. Every other language takes CLDR's name for the
ISO 3166 code or the UN M49 code, but where CLDR's common name is not the one the UN uses or
takes a side the record does not (``OVERRIDES``). A name CLDR lacks stays English.
"""

import functools

from babel import Locale
from babel.lists import format_list
from django.conf import settings
from django.utils import translation

from .models import normalise_for_search

# Where CLDR's common name differs from the record's English one in what it says: the UN's
# short names (the Holy See, not Vatican City; the two Congos by their names) and CLDR's own
# short forms (Palestine, not Palestinian Territories; Myanmar without Burma). The European
# Commission has no ISO code: its names are the Commission's own, in the EU's and UN's usage.
OVERRIDES = {
    "PS": {"ar": "فلسطين", "zh-hans": "巴勒斯坦", "es": "Palestina", "fr": "Palestine",
           "ru": "Палестина"},
    "VA": {"ar": "الكرسي الرسولي", "zh-hans": "教廷", "es": "Santa Sede", "fr": "Saint-Siège",
           "ru": "Святой Престол"},
    "CD": {"ar": "جمهورية الكونغو الديمقراطية", "zh-hans": "刚果民主共和国",
           "es": "República Democrática del Congo", "fr": "République démocratique du Congo",
           "ru": "Демократическая Республика Конго"},
    "CG": {"ar": "جمهورية الكونغو", "zh-hans": "刚果共和国", "es": "República del Congo",
           "fr": "République du Congo", "ru": "Республика Конго"},
    "MM": {"ar": "ميانمار", "zh-hans": "缅甸", "es": "Myanmar", "fr": "Myanmar", "ru": "Мьянма"},
    "european-commission": {"ar": "المفوضية الأوروبية", "zh-hans": "欧盟委员会",
                            "es": "Comisión Europea", "fr": "Commission européenne",
                            "ru": "Европейская комиссия"},
}  # fmt: skip


def language_codes():
    return [code for code, _ in settings.LANGUAGES]


@functools.cache
def territories(language):
    """CLDR's names of the territories (ISO codes) and regions (M49 codes) in a language."""
    return Locale.parse(translation.to_locale(language)).territories


def current(language):
    return language or translation.get_language() or settings.LANGUAGE_CODE


def participant_name(name, iso_alpha2, slug, language=None):
    """A participant's name in the language (the active one by default)."""
    language = current(language)
    if language == settings.LANGUAGE_CODE:
        return name
    override = OVERRIDES.get(iso_alpha2 or slug)
    if override and language in override:
        return override[language]
    return territories(language).get(iso_alpha2, name) if iso_alpha2 else name


def region_name(code, name, language=None):
    """An M49 region's name in the language (the active one by default)."""
    language = current(language)
    if language == settings.LANGUAGE_CODE:
        return name
    return territories(language).get(code, name)


def join(items, style="standard", language=None):
    """Items as a list in the language's words, by CLDR's list patterns: "A, B, and C",
    "A, B ou C" (``style="or"``), "A、B和C", "A وB"."""
    items = [str(item) for item in items]
    return format_list(items, style=style, locale=translation.to_locale(current(language)))


def collation_key(text):
    """A key that sorts names as a reader expects, with no locale installed: accents and case
    count only between names otherwise equal (Égypte among the Es). Chinese sorts by its
    characters' code points, as CLDR's names give them."""
    return normalise_for_search(text), text


def search_key(text):
    """Lower case, without accents (Arabic's vowel marks too): what a search compares."""
    return normalise_for_search(text)


@functools.cache
def _names_index():
    """``(key, search key of a name)`` for every name in every language: ISO codes of CLDR's
    territories and the keys of ``OVERRIDES``."""
    index = []
    for language in language_codes():
        for code, name in territories(language).items():
            if code.isalpha():  # not the M49 regions' numbers
                index.append((code, search_key(name)))
        for key, names in OVERRIDES.items():
            if language in names:
                index.append((key, search_key(names[language])))
    return index


def codes_named(text):
    """``(codes, exact)``: the ISO codes and ``OVERRIDES`` keys of participants whose name in
    any of the site's languages holds every word of the text (Noruega, Норвегия, 挪威 and
    norvege find NO), and those the text names whole."""
    key = search_key(text).strip()
    words = key.split()
    if not words:
        return set(), set()
    found, exact = set(), set()
    for code, name in _names_index():
        if all(word in name for word in words):
            found.add(code)
            if name == key:
                exact.add(code)
    return found, exact
