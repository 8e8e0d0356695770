"""Participants, regions and forums named in each of the site's languages (CLDR through Babel,
and the UN's names where CLDR's differ), sorted and found in any of them."""

import html
import re

import pytest
from django.utils import translation

from declaration.models import Forum
from signatories import cldr
from signatories.models import Participant, Region

pytestmark = pytest.mark.django_db


def rows(client, url):
    page = client.get(url).content.decode()
    found = re.findall(r'<tr data-slug=[^>]*>\s*<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    return [html.unescape(name) for name in found]


@pytest.mark.parametrize(
    ("language", "norway", "europe"),
    [
        ("en", "Norway", "Europe"),
        ("fr", "Norvège", "Europe"),
        ("es", "Noruega", "Europa"),
        ("ru", "Норвегия", "Европа"),
        ("ar", "النرويج", "أوروبا"),
        ("zh-hans", "挪威", "欧洲"),
    ],
)
def test_names_come_from_cldr_in_each_language(language, norway, europe):
    with translation.override(language):
        assert Participant.objects.get(slug="norway").local_name == norway
        assert Region.objects.get(code="150").local_name == europe


def test_english_keeps_the_records_own_names():
    with translation.override("en"):
        assert Participant.objects.get(iso_alpha2="CZ").local_name == "Czech Republic"
        assert Region.objects.get(code="035").local_name == "South-eastern Asia"


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [
        ("PS", "fr", "Palestine"),  # not CLDR's "Territoires palestiniens"
        ("VA", "es", "Santa Sede"),  # not "Ciudad del Vaticano"
        ("CD", "zh-hans", "刚果民主共和国"),  # not "刚果（金）"
        ("MM", "ru", "Мьянма"),  # not "Мьянма (Бирма)"
        ("XK", "ru", "Косово"),
        ("TW", "fr", "Taïwan"),
    ],
)
def test_where_cldrs_common_name_differs_the_uns_is_used(code, language, name):
    with translation.override(language):
        assert Participant.objects.get(iso_alpha2=code).local_name == name


def test_the_european_commission_has_its_own_names_without_an_iso_code():
    commission = Participant.objects.get(slug="european-commission")
    with translation.override("fr"):
        assert commission.local_name == "Commission européenne"
    with translation.override("ar"):
        assert commission.local_name == "المفوضية الأوروبية"


def test_a_region_cldr_lacks_keeps_its_english_name():
    with translation.override("fr"):
        assert cldr.region_name("999", "Nowhere") == "Nowhere"


def test_forums_have_their_official_names_only():
    with translation.override("fr"):
        assert Forum.objects.get(slug="oecd").local_name == (
            "Organisation de coopération et de développement économiques"
        )
        assert Forum.objects.get(slug="foc").local_name == "Freedom Online Coalition"
    with translation.override("ru"):
        assert Forum.objects.get(slug="oecd").local_name.startswith("Organisation for")
        assert Forum.objects.get(slug="un").local_name == "Организация Объединенных Наций"


def test_the_list_in_russian_names_norway_and_its_region(client):
    page = client.get("/ru/participants/norway/").content.decode()
    assert "<h1>Норвегия</h1>" in page
    assert "Северная Европа" in page  # Northern Europe


def test_the_list_in_french_shows_europe_and_french_dates(client):
    page = client.get("/fr/participants/?region=150").content.decode()
    assert "Europe" in page
    assert "Norvège" in page
    assert "28 avril 2022" in page  # the launch, when the first endorsers were listed


def test_the_list_in_arabic_names_the_regions_in_arabic(client):
    page = client.get("/ar/participants/?region=150").content.decode()
    assert 'dir="rtl"' in page
    assert "أوروبا" in page
    assert "النرويج" in page


def test_the_regions_page_and_its_chart_in_spanish(client):
    page = client.get("/es/regions/").content.decode()
    assert "Europa" in page and "América" in page


def test_the_filter_forms_regions_are_in_the_pages_language_after_another_language(client):
    client.get("/participants/")  # the English options, now in the fragment cache
    page = client.get("/ru/participants/").content.decode()
    assert re.search(r'<option value="150"[^>]*>Европа \(150\)</option>', page)


def test_a_list_in_another_language_is_sorted_by_that_languages_names(client):
    shown = rows(client, "/fr/participants/?status=endorsed&status=none&sort=name")
    assert len(shown) > 150
    assert shown == sorted(shown, key=cldr.collation_key)
    assert shown.index("Égypte") < shown.index("Estonie")  # accents sort with their letter


def test_a_list_in_another_language_keeps_its_descending_and_date_sorts(client):
    shown = rows(client, "/es/participants/?sort=-name")
    assert shown == sorted(shown, key=cldr.collation_key, reverse=True)
    by_date = rows(client, "/es/participants/?sort=endorsed_on")
    assert len(by_date) == len(shown)


def test_the_english_list_keeps_the_databases_order(client):
    shown = rows(client, "/participants/?status=endorsed&status=none")
    in_order = Participant.objects.filter(name__in=shown).order_by("name")
    assert shown == list(in_order.values_list("name", flat=True))


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans", "es", "fr", "ru"])
@pytest.mark.parametrize("q", ["Noruega", "Норвегия", "挪威", "Norvège", "norvege", "النرويج"])
def test_a_search_in_any_language_finds_norway_on_every_languages_list(client, language, q):
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/participants/", {"q": q}).content.decode()
    assert re.findall(r'<tr data-slug="([^"]+)"', page)[:1] == ["norway"]


def test_a_search_in_another_language_finds_its_exact_name_first(client):
    page = client.get("/es/participants/", {"q": "Guinea"}).content.decode()
    assert re.findall(r'<tr data-slug="([^"]+)"', page)[0] == "guinea"


def test_the_api_finds_a_name_in_any_language_too(client):
    results = client.get("/api/participants/", {"q": "Норвегия"}).json()["results"]
    assert [record["name"] for record in results] == ["Norway"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [("Noruega", {"NO"}), ("挪威", {"NO"}), ("commission europeenne", {"european-commission"})],
)
def test_codes_named_reads_every_language(text, codes):
    assert cldr.codes_named(text)[0] == codes


@pytest.mark.parametrize(
    ("language", "either", "both"),
    [
        ("en", "Chile, Kenya, or Norway", "Chile and Norway"),
        ("fr", "Chile, Kenya ou Norway", "Chile et Norway"),
        ("es", "Chile, Kenya o Norway", "Chile y Norway"),
        ("ru", "Chile, Kenya или Norway", "Chile и Norway"),
        ("zh-hans", "Chile、Kenya或Norway", "Chile和Norway"),
        ("ar", "Chile أو Kenya أو Norway", "Chile وNorway"),
    ],
)
def test_lists_are_joined_as_each_language_joins_them(language, either, both):
    with translation.override(language):
        assert cldr.join(["Chile", "Kenya", "Norway"], style="or") == either
        assert cldr.join(["Chile", "Norway"]) == both
        assert cldr.join(["Chile"]) == "Chile"
        assert cldr.join([]) == ""
