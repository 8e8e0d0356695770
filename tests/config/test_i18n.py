"""The site in the six UN languages: addresses, how the language is chosen, the language menu
and the alternates, right to left, and the page cache keeping the languages apart."""

import datetime
import html
import io
import re

import openpyxl
import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ar", "zh-hans", "es", "fr", "ru"]
# English addresses, and what each must still show (the pages as they were before languages).
ENGLISH = {
    "/": "Declaration tracker",
    "/participants/": "Norway",
    "/participants/?region=150": "Norway",
    "/participants/norway/": "Norway",
    "/regions/": "Europe",
    "/forums/": "Group of Seven",
    "/forums/g7/": "Group of Seven",
    "/changes/": "Changes",
    "/methods/": "Methods",
    "/compare/": "Norway",
    "/declarations/dfi/": "Declaration for the Future of the Internet",
    "/map.svg": "<svg",
    "/timeline.svg": "<svg",
    "/embed/map/": "<main",
    "/feeds/endorsements.atom": "<feed",
    "/participants/export.csv": "name",
    "/participants/export.json": '"name"',
}
# Read by programs, in one language at one address.
UNPREFIXED = ["/api/participants/", "/api/schema/", "/healthz"]


def text(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.parametrize(("url", "shown"), ENGLISH.items())
def test_every_english_address_still_answers_in_english(client, url, shown):
    response = client.get(url)
    assert response.status_code == 200
    assert shown in text(response).decode()
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("language", LANGUAGES[1:])
@pytest.mark.parametrize("url", list(ENGLISH))
def test_every_page_and_output_answers_under_each_language_prefix(client, language, url):
    response = client.get(f"/{language}{url}")
    assert response.status_code == 200
    assert response["Content-Language"] == language
    text(response)


@pytest.mark.parametrize("url", UNPREFIXED)
def test_the_api_and_the_health_check_have_one_address(client, url):
    assert client.get(url).status_code == 200
    assert client.get(f"/fr{url}").status_code == 404


def test_addresses_in_another_language_carry_its_prefix():
    with translation.override("fr"):
        assert reverse("signatories:participant-list") == "/fr/participants/"
        assert reverse("data:export-csv") == "/fr/participants/export.csv"
        assert reverse("data:participant-list") == "/api/participants/"
        assert reverse("admin:index") == "/admin/"
    assert reverse("signatories:participant-list") == "/participants/"


def test_the_browser_language_chooses_on_the_home_page(client):
    response = client.get("/", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert "Accept-Language" in response["Vary"]
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response["Location"] == "/zh-hans/"


def test_english_or_an_unknown_language_stays_on_the_english_home_page(client):
    for accept in ["en-GB,en;q=0.9,fr;q=0.5", "de-DE,de;q=0.9", ""]:
        response = client.get("/", headers={"Accept-Language": accept})
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "url",
    ["/participants/", "/participants/norway/", "/?as_of=2022-11-02", "/?lang=en", "/regions/"],
)
def test_the_browser_language_never_redirects_another_address(client, url):
    response = client.get(url, headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_admin_follows_the_editors_browser(admin_client):
    page = admin_client.get("/admin/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Déconnexion" in page  # Django's own French: "Log out"
    page = admin_client.get("/admin/", headers={"Accept-Language": "en"}).content.decode()
    assert "Log out" in page


@pytest.mark.parametrize(
    ("language", "lang", "direction"),
    [("en", "en", "ltr"), ("fr", "fr", "ltr"), ("ar", "ar", "rtl"), ("zh-hans", "zh-Hans", "ltr")],
)
def test_the_page_says_its_language_and_direction(client, language, lang, direction):
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/participants/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page


def menu(page):
    nav = re.search(r'<nav class="languages".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+"( aria-current)?', nav)


def test_the_language_menu_links_the_same_page_and_parameters_in_each_language(client):
    page = client.get("/fr/participants/?region=150&status=endorsed").content.decode()
    assert menu(page) == [
        ("/participants/?region=150&amp;status=endorsed", "en", ""),
        ("/ar/participants/?region=150&amp;status=endorsed", "ar", ""),
        ("/zh-hans/participants/?region=150&amp;status=endorsed", "zh-Hans", ""),
        ("/es/participants/?region=150&amp;status=endorsed", "es", ""),
        ("/fr/participants/?region=150&amp;status=endorsed", "fr", " aria-current"),
        ("/ru/participants/?region=150&amp;status=endorsed", "ru", ""),
    ]


def test_the_language_menu_names_each_language_in_its_own_words(client):
    page = client.get("/participants/norway/").content.decode()
    for name in ["English", "العربية", "中文", "Español", "Français", "Русский"]:
        assert f">{name}</a>" in page


def test_the_menus_english_home_page_is_not_sent_back_by_the_browser_language(client):
    links = dict((lang, url) for url, lang, _ in menu(client.get("/fr/").content.decode()))
    assert links["en"] == "/?lang=en"
    response = client.get(links["en"], headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert [lang for url, lang, current in menu(response.content.decode()) if current] == ["en"]


def test_every_page_lists_its_alternates_in_every_language(client):
    page = client.get("/es/participants/norway/?as_of=2023-01-01").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert alternates == {
        "en": "http://testserver/participants/norway/?as_of=2023-01-01",
        "x-default": "http://testserver/participants/norway/?as_of=2023-01-01",
        "ar": "http://testserver/ar/participants/norway/?as_of=2023-01-01",
        "zh-Hans": "http://testserver/zh-hans/participants/norway/?as_of=2023-01-01",
        "es": "http://testserver/es/participants/norway/?as_of=2023-01-01",
        "fr": "http://testserver/fr/participants/norway/?as_of=2023-01-01",
        "ru": "http://testserver/ru/participants/norway/?as_of=2023-01-01",
    }


def test_the_home_pages_alternates_are_the_bare_addresses(client):
    page = client.get("/?lang=en").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/">' in page
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/">' in page


def test_a_language_and_english_never_share_a_cached_page(page_cache):
    client = Client()
    french = client.get("/fr/participants/")
    english = client.get("/participants/")
    assert french["ETag"] != english["ETag"]
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    again = client.get("/fr/participants/")
    assert again["Content-Language"] == "fr"
    assert again.content == french.content != english.content


def test_the_home_page_is_never_served_from_another_languages_cache_entry(page_cache):
    client = Client()
    english = client.get("/", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    # The English page is now cached; a French browser must still be sent to /fr/.
    assert client.get("/", headers={"Accept-Language": "fr"}).status_code == 302
    assert client.get("/", headers={"Accept-Language": "en"}).content == english.content
    french_home = client.get("/fr/")
    assert french_home["Content-Language"] == "fr"
    # Nor does a cached /fr/ answer the bare address.
    assert client.get("/", headers={"Accept-Language": "de"})["Content-Language"] == "en"


def test_a_304_for_the_english_home_page_is_not_given_to_a_french_browser(page_cache):
    client = Client()
    english = client.get("/", headers={"Accept-Language": "en"})
    response = client.get("/", headers={"Accept-Language": "fr", "If-None-Match": english["ETag"]})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/participants/export.csv",
        "/participants/export.csv?region=150&status=endorsed&sort=-endorsed_on",
        "/participants/export.json?region=150",
        "/compare/export.csv?from=2022-04-28",
        "/compare/export.json?from=2022-04-28",
        "/participants/datapackage.json",
    ],
)
@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_machine_readable_outputs_are_the_same_in_every_language(
    client, monkeypatch, url, language
):
    made = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: made)  # "generated_at" in the same second
    english = text(client.get(url))
    assert text(client.get(f"/{language}{url}")) == english


def about_sheet(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content))["About"]
    return [row[1] for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_about_sheet_writes_dates_in_its_language(client):
    params = "region=150&as_of=2022-11-30"
    french = about_sheet(text(client.get(f"/fr/participants/export.xlsx?{params}")))
    assert "30 novembre 2022" in french
    assert "http://testserver/fr/participants/?region=150&as_of=2022-11-30" in french
    english = about_sheet(text(client.get(f"/participants/export.xlsx?{params}")))
    assert datetime.datetime(2022, 11, 30) in english  # a date cell, as before


def test_the_xlsx_keeps_its_columns_in_every_language(client):
    sheets = [
        openpyxl.load_workbook(io.BytesIO(text(client.get(f"{prefix}/participants/export.xlsx"))))
        for prefix in ["", "/fr", "/ar"]
    ]
    columns = [[cell.value for cell in book["Participants"][1]] for book in sheets]
    assert len({len(row) for row in columns}) == 1
    rows = [book["Participants"].max_row for book in sheets]
    assert len(set(rows)) == 1


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_the_declarations_page_says_its_text_stays_in_english(client, language):
    page = client.get(f"/{language}/declarations/dfi/").content.decode()
    assert 'class="in-english"' in page
    assert 'lang="en">Declaration for the Future of the Internet</a>' in page


def test_the_english_declaration_page_needs_no_such_notice(client):
    assert 'class="in-english"' not in client.get("/declarations/dfi/").content.decode()


def test_the_map_and_the_timeline_are_drawn_in_the_pages_language(client):
    svg = client.get("/ru/map.svg?caption=1&as_of=2022-11-30").content.decode()
    assert "Норвегия" in svg
    assert "30 ноября 2022 г." in svg
    assert "Границы: Natural Earth" in svg and "Boundaries" not in svg


def test_the_forums_in_another_language_are_sorted_by_the_names_shown(client):
    page = client.get("/fr/forums/").content.decode()
    names = [html.unescape(n) for n in re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', page)]
    assert names[0] == "Forum sur la gouvernance de l'Internet (IGF)"
    assert names[-1] == "Organisation mondiale du commerce (WTO)"


# Sentences the site builds from parts: each in the language's own words and order.


@pytest.mark.parametrize(
    ("language", "day", "not_day"),
    [
        ("zh-hans", "2022年11月30日", "30 十一月 2022"),
        ("es", "30 de noviembre de 2022", "30 noviembre 2022"),
        ("ru", "30 ноября 2022 г.", "30 Ноябрь 2022"),
    ],
)
def test_a_date_inside_a_sentence_is_the_languages_long_date(client, language, day, not_day):
    page = html.unescape(client.get(f"/{language}/participants/?as_of=2022-11-30").content.decode())
    cited = re.search(r'<p class="citation">(.*?)</p>', page, re.DOTALL)
    announced = re.search(r'data-announce="([^"]*)"', page)
    assert day in cited.group(1)
    assert day in announced.group(1)
    assert not_day not in page


def test_did_you_mean_names_the_suggestions_as_the_language_does(client):
    page = client.get("/fr/participants/?q=Turky").content.decode()
    assert "Vouliez-vous dire <a" in page
    suggestion = re.search(r"Vouliez-vous dire (.*?)\u00a0\?</p>", page).group(1)
    assert 'href="?q=Turquie">Turquie</a>' in suggestion


def test_a_feeds_title_joins_its_kinds_of_action_in_the_language(client):
    feed = client.get("/ru/feeds/endorsements.atom?kind=disputed&kind=withdrawn").content.decode()
    title = html.unescape(re.search(r"<title>([^<]*)</title>", feed).group(1))
    assert " и " in title
    assert " and " not in title


def test_the_mark_beside_a_heading_is_one_phrase_in_the_language(client):
    page = client.get("/fr/declarations/dfi/").content.decode()
    assert "rubrique citée" in page
    assert "rubrique déduite" in page


def test_the_records_english_words_are_marked_english_on_a_translated_page(client):
    from declaration.models import Commitment, Declaration

    page = client.get("/ar/declarations/dfi/").content.decode()
    declaration = Declaration.objects.get(slug="dfi")
    english = ' lang="en" dir="ltr"'
    assert f'<p class="lede"{english}>{html.escape(declaration.summary)}</p>' in page
    for commitment in Commitment.objects.filter(pillar__declaration=declaration):
        assert f"<span{english}>{html.escape(commitment.text)}</span>" in page
    home = client.get("/ar/").content.decode()
    assert f"<span{english}>{html.escape(declaration.summary)}</span>" in home


def test_an_english_page_needs_no_such_marks(client):
    page = client.get("/declarations/dfi/").content.decode()
    assert page.count('lang="en" dir="ltr"') == 1  # <html>
