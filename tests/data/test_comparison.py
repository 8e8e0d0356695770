"""A comparison between two dates as CSV, JSON and in the API: the rows of /compare/, in its
order, with the sources of each action and the figures at both ends."""

import json
import re

import pytest
from django.urls import reverse

from signatories import filters
from tests.data.exported import csv_rows, slug_of

pytestmark = pytest.mark.django_db

COMPARE = reverse("signatories:compare")
API = reverse("data:compare-list")
PRAGUE = "from=2022-04-28&to=2022-11-02"
SELECTIONS = [
    PRAGUE,
    f"{PRAGUE}&region=002",
    f"{PRAGUE}&region=150&forum=oecd&entity_type=state",
    "from=2022-04-27&to=2022-11-02&q=mon",
    "to=2022-11-02",
]


def page_rows(client, params):
    """``[(slug, kind), ...]`` as /compare/ lists them."""
    response = client.get(f"{COMPARE}?{params}")
    assert response.status_code == 200
    return re.findall(r'<tr data-slug="([^"]+)" data-change="([^"]+)">', response.content.decode())


def download(client, fmt, params):
    response = client.get(f"{reverse(f'data:compare-{fmt}')}?{params}")
    assert response.status_code == 200, response.content[:500]
    return response


def api(client, params, status=200):
    response = client.get(f"{API}?{params}")
    assert response.status_code == status, response.content[:500]
    return json.loads(response.content)


@pytest.mark.parametrize("params", SELECTIONS)
def test_csv_json_and_the_api_hold_the_rows_of_the_page(client, params):
    expected = page_rows(client, params)
    assert expected or "q=mon" not in params
    csv_data = csv_rows(download(client, "csv", params).content)
    kinds = {"Endorsed": "endorsed", "Disputed": "disputed"}
    assert [(slug_of(r["Page"]), kinds[r["Change"]]) for r in csv_data] == expected
    results = json.loads(download(client, "json", params).content)["results"]
    assert [(slug_of(r["url"]), r["change"]) for r in results] == expected
    assert [(r["slug"], r["change"]) for r in api(client, params)["results"]] == expected


def test_each_row_has_its_date_and_the_sources_of_its_action(client):
    results = json.loads(download(client, "json", PRAGUE).content)["results"]
    kenya = next(r for r in results if r["slug"] == "kenya")
    assert kenya["change"] == "disputed" and kenya["date"] == "2022-04-29"
    assert [s["url"] for s in kenya["sources"]] == [
        "https://www.kbc.co.ke/kenya-clarifies-position-on-signatory-to-declaration-for-the-future-internet/"
    ]
    assert kenya["sources"][0]["publisher"] == "Kenya Broadcasting Corporation"
    csv_norway = next(
        r for r in csv_rows(download(client, "csv", PRAGUE).content) if r["Name"] == "Norway"
    )
    assert csv_norway["Date"] == "2022-11-02" and csv_norway["Region"] == "Europe"
    assert csv_norway["Sources"].split(" ; ")[1].startswith("https://wataha.no/")


def test_the_csv_opens_in_excel_and_says_how_to_cite_it(client):
    response = download(client, "csv", f"{PRAGUE}&region=150")
    assert response.content.startswith(b"\xef\xbb\xbfChange,Date,Date precision,Name,")
    assert b"\r\n" in response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="dfi-changes-europe-2022-04-28-to-2022-11-02.csv"'
        in (response["Content-Disposition"])
    )
    permalink = f"http://testserver{reverse('data:compare-csv')}?{PRAGUE}&region=150"
    assert f'<{permalink}>; rel="cite-as"' in response["Link"]


def test_the_json_says_the_days_the_rule_and_the_figures(client):
    meta = json.loads(download(client, "json", PRAGUE).content)["meta"]
    assert meta["from"] == "2022-04-28" and meta["to"] == "2022-11-02"
    assert meta["figures"] == {
        "from": {"endorsers": 61, "disputed": 0, "participants": 198},
        "to": {"endorsers": 67, "disputed": 1, "participants": 198},
    }
    assert meta["figures_in_words"] == "61 → 67 endorsers, 0 → 1 of them disputed"
    assert meta["rows"] == 7 and "first day < date ≤ second day" in meta["rule"]
    assert meta["url"] == f"http://testserver{COMPARE}?{PRAGUE}"
    assert meta["filters"] == ["none: every participant"]


def test_the_api_gives_the_days_and_the_figures(client):
    answer = api(client, f"{PRAGUE}&region=002")
    assert (answer["declaration"], answer["from"], answer["to"]) == (
        "dfi",
        "2022-04-28",
        "2022-11-02",
    )
    page = client.get(f"{COMPARE}?{PRAGUE}&region=002").content.decode()
    before, after = answer["figures"]["from"], answer["figures"]["to"]
    assert f"{before['endorsers']} → {after['endorsers']} endorsers" in page
    assert after["disputed"] == 1 and after["participants"] == 54  # the African states


BAD = {
    "reversed": ("from=2022-11-02&to=2022-04-28", "to", filters.FROM_AFTER_TO),
    "malformed": ("from=2022-4-28x", "from", filters.BAD_DATE),
    "unknown-region": (f"{PRAGUE}&region=999", "region", "No UN M49 region has the code “999”."),
    "unknown-kind": (f"{PRAGUE}&entity_type=city", "entity_type", "“city” is not a kind"),
}


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(("params", "field", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_a_400_naming_the_parameter(client, fmt, params, field, message):
    response = client.get(f"{reverse(f'data:compare-{fmt}')}?{params}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Bad parameter “{field}”: {message}" in response.content.decode()


@pytest.mark.parametrize(("params", "field", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_to_the_api_is_a_400_with_the_field_errors(client, params, field, message):
    errors = api(client, params, status=400)
    assert message in errors[field][0]


def test_the_schema_documents_the_comparison_as_it_is_answered(client):
    schema = json.loads(client.get(reverse("data:schema"), {"format": "json"}).content)
    operation = schema["paths"][API]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"from", "to", *filters.COMPARED}
    dates = {p["name"]: p["schema"] for p in operation["parameters"] if p["name"] in ("from", "to")}
    assert all(value.get("format") == "date" for value in dates.values())
    components = schema["components"]["schemas"]
    answer = api(client, PRAGUE)
    assert set(components["Comparison"]["properties"]) == set(answer)
    assert set(components["Change"]["properties"]) == set(answer["results"][0])
    assert set(components["ChangeSource"]["properties"]) == set(answer["results"][0]["sources"][0])
