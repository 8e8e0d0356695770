"""Bad input to the list never gives a server error: the field says what was wrong."""

import re
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.urls import reverse

from signatories import filters
from signatories.filters import ParticipantFilter

pytestmark = pytest.mark.django_db

LIST = reverse("signatories:participant-list")


def rows(response):
    return re.findall(r'<tr data-slug="([^"]+)"', response.content.decode())


BAD_INPUT = [
    pytest.param("as_of=2022-13-45", "as_of", filters.BAD_DATE, id="impossible-date"),
    pytest.param("as_of=yesterday", "as_of", filters.BAD_DATE, id="date-in-words"),
    pytest.param("endorsed_after=28/04/2022", "endorsed_after", filters.BAD_DATE, id="uk-date"),
    pytest.param("region=999", "region", "No UN M49 region has the code “999”.", id="region"),
    pytest.param("region=europe", "region", "No UN M49 region has the code “europe”.", id="name"),
    pytest.param("forum=nato", "forum", "No forum has the short name “nato”.", id="unknown-forum"),
    pytest.param("forum=icann", "forum", "No forum has the short name “icann”.", id="no-members"),
    pytest.param("status=signed", "status", "“signed” is not a status.", id="unknown-status"),
    pytest.param("entity_type=city", "entity_type", "is not a kind of participant", id="kind"),
    pytest.param("sort=population", "sort", "“population” is not a way to sort.", id="sort"),
    pytest.param("declaration=xyz", "declaration", "No declaration has the short name", id="decl"),
    pytest.param("q=" + "x" * 10_000, "q", "at most 100 characters", id="10kB-string"),
    pytest.param("q=%00", "q", "Null characters are not allowed.", id="nul-byte"),
    pytest.param(
        "endorsed_after=2022-12-01&endorsed_before=2022-01-01",
        "endorsed_before",
        filters.DATES_REVERSED,
        id="reversed-range",
    ),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_INPUT)
def test_bad_parameter_is_shown_beside_its_field(client, query, field, message):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert message in " ".join(response.context["filterset"].errors[field])
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert message.replace("“", "&ldquo;") in page or message in page
    assert "Some of the filters could not be used" in page


@pytest.mark.parametrize("query", ["forum=", "status=", "forum=&status=&forum=g7"])
def test_an_empty_choice_is_no_choice(client, query):
    """A hand-typed ``forum=`` (no box ticked sends nothing) chooses nothing, and is no error:
    the page, its exports and the API all read it so."""
    filterset = ParticipantFilter(QueryDict(query))
    assert not filterset.errors
    assert filterset.form.cleaned_data["forum"] == (["g7"] if "g7" in query else [])
    assert filterset.form.cleaned_data["status"] == []
    response = client.get(f"{LIST}?{query}")
    assert "Some of the filters could not be used" not in response.content.decode()


def test_the_rest_of_the_filter_still_applies(client):
    response = client.get(LIST, {"region": "150", "as_of": "not-a-date", "forum": "nato"})
    assert "norway" in rows(response) and "japan" not in rows(response)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=' OR 1=1 --", id="sql-quote"),
        pytest.param("q=1; DROP TABLE signatories_participant", id="sql-drop"),
        pytest.param("region=150' OR '1'='1", id="sql-in-region"),
        pytest.param("q=%01%02%1b[31m", id="control-characters"),
        pytest.param("q=" + quote("Ǳ̸͖ͅ\u202e\ufeff\U0001f600"), id="odd-unicode"),
        pytest.param("q=%ff%fe", id="invalid-utf8"),
        pytest.param("region=150&region=002&region=zzz", id="repeated-region"),
        pytest.param("as_of=2022-06-01&as_of=2022-11-30", id="repeated-date"),
        pytest.param("sort=name&sort=-name", id="repeated-sort"),
        pytest.param("unknown=1&page=x", id="unknown-parameter"),
        pytest.param("as_of=0001-01-01", id="year-one"),
        pytest.param("as_of=9999-12-31", id="far-future"),
    ],
)
def test_odd_input_never_gives_a_server_error(client, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200


def test_sql_fragments_are_only_searched_for(client):
    response = client.get(LIST, {"q": "' OR 1=1 --"})
    assert rows(response) == []


def test_repeated_values_use_the_last_single_value(client):
    response = client.get(f"{LIST}?region=002&region=150")
    assert "norway" in rows(response) and "kenya" not in rows(response)


def test_describe_states_the_filters_in_words():
    filterset = ParticipantFilter(
        QueryDict(
            "region=011&status=none&forum=g20&forum=oecd&entity_type=state"
            "&endorsed_after=2022-05-01&q=nig"
        )
    )
    assert filterset.describe() == [
        "name contains “nig”",
        "in Western Africa (011)",
        "status: not endorsed",
        "state (UN member or observer)",
        "member of G20 or OECD",
        "endorsed on or after 1 May 2022",
    ]


def test_default_declaration_and_date(dfi):
    filterset = ParticipantFilter(QueryDict(""))
    assert filterset.selected_declaration == dfi
    assert filterset.sort_key == "name"


def test_region_menu_offers_any_region_once(client):
    page = client.get(reverse("signatories:participant-list"), {"region": "150"}).content.decode()
    assert page.count(">Any region</option>") == 1
    assert '<option value="150" selected>' in page
