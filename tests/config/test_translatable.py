"""Every word of the interface a person reads goes through Django's translation.

Two checks that need no catalogue to be translated: no template shows English text outside
``{% translate %}`` and ``{% blocktranslate %}`` (a rough reading of the templates: tags,
variables and comments taken out, what is left must hold no word), and every literal
``{% translate "..." %}`` of the templates is a msgid of the committed catalogue, so a string
marked and never extracted (``makemessages`` not run) fails here.
"""

import functools
import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from declaration.models import Declaration  # noqa: E402

pofile = pytest.importorskip("babel.messages.pofile", reason="Babel reads the catalogue")

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"

DJANGO_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
ELEMENT = re.compile(r"<[^>]*>")
# Attributes a person reads (or hears, with a screen reader).
READ_ATTRIBUTES = re.compile(
    r"""\b(?:aria-label|title|alt|placeholder|data-announce|data-label)="([^"]*)"|"""
    r"""<input\b[^>]*\btype="submit"[^>]*\bvalue="([^"]*)\"""",
    re.I,
)
WORD = re.compile(r"[A-Za-z]{3,}")
# What a template may show untranslated: the doctype, codes and names the same in every
# language.
ALLOWED = {"DOCTYPE", "html", "ISO"}
TRANSLATE_LITERAL = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?""", re.S
)


def visible_words(source):
    """The words of a template a visitor would read that are not in a translate tag."""
    text = DJANGO_COMMENT.sub(" ", source)
    text = BLOCK.sub(" ", text)
    text = TAG.sub(" ", text)
    text = SCRIPT.sub(" ", text)
    text = HTML_COMMENT.sub(" ", text)
    said = [value for pair in READ_ATTRIBUTES.findall(text) for value in pair if value]
    # Entities hide markup shown as code (the embed's <iframe>): unescape, then take it out too.
    text = ELEMENT.sub(" ", html.unescape(ELEMENT.sub(" ", text)))
    return [word for part in [text, *said] for word in WORD.findall(part) if word not in ALLOWED]


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_shows_english_outside_a_translate_tag(path):
    words = visible_words(path.read_text())
    assert not words, f"{path.relative_to(TEMPLATES)} shows untranslated words: {words}"


def test_the_reading_finds_english_outside_the_tags_and_nothing_inside():
    assert visible_words('<p>Endorsed on {{ day }}</p><a title="Open the map">x</a>') == [
        "Endorsed",
        "Open",
        "the",
        "map",
    ]
    assert (
        visible_words(
            '{% load i18n %}<p class="lede">{% translate "Endorsed" %} {% blocktranslate %}'
            "On {{ day }}{% endblocktranslate %}</p>{# Translators: a note #}"
            '<input type="submit" value="{% translate "Show" %}">'
        )
        == []
    )
    assert visible_words('<input type="submit" value="Upload and preview">') == [
        "Upload",
        "and",
        "preview",
    ]


def catalogue():
    with CATALOGUE.open("rb") as file:
        return pofile.read_po(file)


def test_the_catalogue_holds_every_string_the_templates_translate():
    known = {(message.context, message.id) for message in catalogue() if message.id}
    missing = []
    for path in templates():
        for _quote, text, _q, context in TRANSLATE_LITERAL.findall(path.read_text()):
            if (context or None, text) not in known:
                missing.append(f"{path.relative_to(TEMPLATES)}: {text!r}")
    assert not missing, "not in the catalogue (run makemessages):\n" + "\n".join(missing)


def test_the_catalogue_is_a_real_one_with_plurals_and_contexts():
    messages = [message for message in catalogue() if message.id]
    assert len(messages) > 500
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in messages}
    assert "Participants" in ids
    assert "%(count)s endorsement withdrawn on %(day)s." in ids  # ngettext, from Python
    assert "{{ count }} participant matches" not in ids  # blocktranslate writes %(count)s
    assert "%(count)s participant matches" in ids
    assert ("status", "Endorsed") in {(m.context, m.id) for m in messages}


# In every language -------------------------------------------------------------------------
# Each page at its address in each language (/fr/..., /ar/...): it answers, and it shows no
# sentence of the interface left in English.

LANGUAGES = ["ar", "zh-hans", "es", "fr", "ru"]
PAGES = [
    "/",
    "/participants/?region=150&status=endorsed&status=disputed&endorsed_after=2022-05-01",
    "/participants/?q=zzzz",
    "/participants/?as_of=2022-13-45",
    "/participants/norway/?as_of=2023-01-01",
    "/regions/",
    "/forums/",
    "/forums/g7/",
    "/changes/",
    "/methods/",
    "/declarations/dfi/",
    "/compare/?from=2022-04-27&to=2022-11-02&region=150",
    "/compare/?from=2022-11-02&to=2022-04-27",
    "/map.svg?region=150",
    "/timeline.svg",
    "/compare/map.svg?from=2022-04-27&to=2022-11-02",
    "/feeds/endorsements.atom?region=150",
    "/embed/figures/?region=150",
    "/participants/export.xlsx?region=150",
]
HTML_PAGES = [page for page in PAGES if ".svg" not in page and "." not in page.split("?")[0]]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@functools.cache
def english_sentences(language):
    """The interface's sentences (msgids of three words or more) whose translation into
    ``language`` differs from the English: none of them may show on that language's pages."""
    locale = "zh_Hans" if language == "zh-hans" else language
    path = Path(settings.BASE_DIR) / "locale" / locale / "LC_MESSAGES" / "django.po"
    with path.open("rb") as file:
        messages = [m for m in pofile.read_po(file) if m.id]
    sentences = set()
    for message in messages:
        for english in message.id if isinstance(message.id, tuple) else [message.id]:
            translated = message.string if isinstance(message.string, tuple) else [message.string]
            for part in re.split(r"%\(\w+\)s|\{\w*(?::[^}]*)?\}|<[^>]+>|%s", english):
                part = part.strip(" .,:;()")
                if len(part.split()) >= 3 and not any(part in text for text in translated):
                    sentences.add(part)
    return sentences


def visible_text(content):
    text = SCRIPT.sub(" ", content)
    text = ELEMENT.sub(" ", text)
    return " ".join(html.unescape(text).split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("address", PAGES)
def test_every_page_answers_in_every_language(client, language, address):
    response = client.get(f"/{language}{address}")
    content = body(response)
    assert response.status_code in (200, 400), content[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("address", HTML_PAGES)
def test_no_page_shows_an_english_sentence_of_the_interface(client, language, address):
    response = client.get(f"/{language}{address}")
    text = visible_text(response.content.decode())
    # The declaration's title is the signed text's, data shown as it was signed, in English.
    for title in Declaration.objects.values_list("title", flat=True):
        text = text.replace(title, " ")
    left = sorted(sentence for sentence in english_sentences(language) if sentence in text)
    assert not left, f"/{language}{address} shows in English: {left}"


def test_the_check_finds_an_english_sentence():
    text = visible_text("<p>Who has endorsed the declaration, when, and on what evidence.</p>")
    assert any(sentence in text for sentence in english_sentences("fr"))


@pytest.mark.parametrize("language", ["ar", "zh_Hans", "es", "fr", "ru"])
def test_every_catalogue_is_complete_and_settled(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as file:
        catalogue_ = pofile.read_po(file)
    messages = [m for m in catalogue_ if m.id]
    untranslated = [
        m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"
    assert not catalogue_.fuzzy, f"{language}: the header is marked fuzzy"


@pytest.mark.django_db
def test_dates_in_pages_follow_the_language(client):
    page = client.get("/fr/participants/norway/").content.decode()
    assert "2 novembre 2022" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "address",
    [
        "/participants/export.csv?region=150&status=endorsed&status=disputed&status=none",
        "/compare/export.csv?from=2022-04-27&to=2022-11-02",
    ],
)
def test_a_csv_download_is_the_same_in_every_language(client, language, address):
    english = body(client.get(address))
    translated = body(client.get(f"/{language}{address}"))
    assert translated == english
    assert b"Endorsed" in english


@pytest.mark.django_db
def test_the_json_download_keeps_english_words_in_every_language(client):
    meta = json.loads(body(client.get("/fr/participants/export.json?region=150")))["meta"]
    assert meta["filters"][0] == "status: endorsed, disputed or withdrawn (no status chosen)"
    assert meta["filters"][1].startswith("in Europe")
    assert meta["sort"] == "Name, A to Z"
    assert "record as of" in meta["citation"]


@pytest.mark.django_db
def test_the_french_list_of_europe_speaks_french(client):
    from signatories.filters import ParticipantFilter

    page = html.unescape(client.get("/fr/participants/?region=150").content.decode())
    with translation.override("fr"):
        labels = [str(ParticipantFilter.base_filters[name].label) for name in ("region", "status")]
    assert labels != ["Region", "Status"] and all(label in page for label in labels)
    assert "Europe" in page and "Norvège" in page and "avril 2022" in page
    assert '<html lang="fr" dir="ltr">' in page
