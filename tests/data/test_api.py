"""Programs read the same records through a read-only, documented JSON API."""

import datetime
import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from declaration.models import Commitment, Declaration, Forum
from signatories import filters
from signatories.models import Endorsement, ForumMembership, Participant, Region
from tests.data.exported import body, download, html_slugs
from tests.data.factories import make_endorsers
from tests.data.test_exports import BAD_INPUT, VIEWS
from tests.factories import EndorsementFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

PARTICIPANTS = reverse("data:participant-list")


def get(client, url, params=None, status=200):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    return response.json()


def all_results(client, url):
    """Every result of a paginated list, following the ``next`` links."""
    results = []
    while url:
        page = get(client, url)
        results += page["results"]
        url = page["next"]
    return results


@pytest.mark.parametrize("params", VIEWS)
def test_participants_are_the_rows_of_the_list(client, params):
    results = all_results(client, f"{PARTICIPANTS}?{params}")
    assert [record["slug"] for record in results] == html_slugs(client, params)


@pytest.mark.parametrize("params", ["", "region=002&status=none", "as_of=2022-05-01"])
def test_participants_are_the_records_of_the_json_export(client, params):
    export = json.loads(body(download(client, "json", params)))["results"]
    assert all_results(client, f"{PARTICIPANTS}?{params}") == export


def test_participants_are_paginated_with_a_count(client):
    page = get(client, PARTICIPANTS, {"status": "none"})
    assert page["count"] == len(html_slugs(client, "status=none")) == 131
    assert len(page["results"]) == 100
    assert page["next"] == "http://testserver/api/participants/?page=2&status=none"
    assert page["previous"] is None


def test_a_participant_record_has_iso_dates_and_an_absolute_url(client):
    norway = get(client, reverse("data:participant-detail", args=["norway"]))
    assert norway["url"] == "http://testserver/participants/norway/"
    assert datetime.date.fromisoformat(norway["endorsed_on"]) == datetime.date(2022, 11, 2)
    assert norway["status"] == "endorsed"
    assert norway["event"] == "Prague high-level multi-stakeholder event"
    assert norway["iso_alpha3"] == "NOR" and norway["region_code"] == "150"


def test_a_participant_as_it_stood_on_a_day(client):
    url = reverse("data:participant-detail", args=["norway"])
    norway = get(client, url, {"as_of": "2022-05-01"})
    assert norway["status"] == "none" and norway["endorsed_on"] is None


def test_unknown_participant_is_404(client):
    get(client, reverse("data:participant-detail", args=["atlantis"]), status=404)


@pytest.mark.parametrize(("params", "field"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_parameter_is_a_400_with_the_field_errors(client, params, field):
    errors = get(client, PARTICIPANTS, params, status=400)
    assert field in errors and errors[field]


def test_bad_timeline_parameter_is_a_400(client):
    errors = get(client, reverse("data:timeline-list"), {"as_of": "2022-02-30"}, status=400)
    assert list(errors) == ["as_of"]


def test_page_past_the_end_is_404_not_500(client):
    get(client, PARTICIPANTS, {"page": "99"}, status=404)
    get(client, PARTICIPANTS, {"page": "x" * 10_000}, status=404)


def test_api_root_lists_the_endpoints(client):
    root = get(client, reverse("data:api-root"))
    assert set(root) == {
        "participants",
        "endorsements",
        "declarations",
        "forums",
        "regions",
        "timeline",
        "compare",
    }
    assert root["participants"] == "http://testserver/api/participants/"


def test_endorsements(client):
    results = all_results(client, reverse("data:endorsement-list"))
    assert len(results) == Endorsement.objects.count()
    kenya = next(e for e in results if e["participant"]["slug"] == "kenya")
    assert kenya["status"] == "disputed"
    assert kenya["declaration"] == "dfi"
    assert kenya["endorsed_on"] == "2022-04-28"
    assert kenya["participant"]["url"] == "http://testserver/participants/kenya/"
    assert len(kenya["sources"]) == 2 and kenya["sources"][0]["url"].startswith("https://")
    assert kenya["sources"][0]["kind"] == "official"
    assert kenya["sources"][0]["publisher"] == "The White House"
    assert kenya["support"] == "2 independent sources"
    assert kenya["disputed_on"] == "2022-04-29"
    listed, disputed = kenya["actions"]
    assert (listed["kind"], listed["taken_on"]) == ("endorsed", "2022-04-28")
    assert (disputed["kind"], disputed["taken_on"]) == ("disputed", "2022-04-29")
    [statement] = disputed["sources"]
    assert statement["url"].startswith("https://www.kbc.co.ke/")
    assert statement["publisher"] == "Kenya Broadcasting Corporation"
    assert datetime.datetime.fromisoformat(kenya["updated_at"]).tzinfo is not None


def test_endorsements_of_one_participant_and_bad_filters(client):
    url = reverse("data:endorsement-list")
    page = get(client, url, {"participant": "norway"})
    assert [e["participant"]["name"] for e in page["results"]] == ["Norway"]
    assert "participant" in get(client, url, {"participant": "atlantis"}, status=400)
    assert "updated_after" in get(client, url, {"updated_after": "soon"}, status=400)


def test_declarations_with_pillars_and_commitments(client, dfi):
    declaration = get(client, reverse("data:declaration-detail", args=["dfi"]))
    assert declaration["title"] == dfi.title
    assert declaration["url"] == "http://testserver/declarations/dfi/"
    assert declaration["launched_on"] == "2022-04-28"
    numbers = [c["number"] for p in declaration["pillars"] for c in p["commitments"]]
    assert numbers == sorted(numbers)
    assert len(numbers) == Commitment.objects.filter(pillar__declaration=dfi).count() == 23
    # How sure each text is, as the declaration page marks it.
    assert [p["title_basis"] for p in declaration["pillars"]] == ["quoted"] + ["inferred"] * 4
    assert {c["text_basis"] for p in declaration["pillars"] for c in p["commitments"]} == {
        "paraphrased"
    }
    assert declaration["grouping_basis"] == "inferred"
    assert {f["slug"] for f in declaration["forums"]} == set(
        dfi.forums.values_list("slug", flat=True)
    )
    assert get(client, reverse("data:declaration-list"))["count"] == Declaration.objects.count()


def test_forums_with_their_members_today(client):
    g7 = get(client, reverse("data:forum-detail", args=["g7"]))
    members = ForumMembership.objects.current().filter(forum__slug="g7")
    assert sorted(m["slug"] for m in g7["members"]) == sorted(
        members.values_list("participant__slug", flat=True)
    )
    assert g7["url"] == "http://testserver/forums/g7/"
    icann = get(client, reverse("data:forum-detail", args=["icann"]))
    assert icann["has_member_list"] is False and icann["members"] == []
    assert get(client, reverse("data:forum-list"))["count"] == Forum.objects.count()


def test_regions(client):
    regions = all_results(client, reverse("data:region-list"))
    assert len(regions) == Region.objects.count()
    europe = next(r for r in regions if r["code"] == "150")
    assert europe["parent"] is None and europe["name"] == "Europe"
    northern = get(client, reverse("data:region-detail", args=["154"]))
    assert northern["parent"] == "150"
    assert northern["url"] == "http://testserver/participants/?region=154"


def test_timeline_counts_the_endorsers_of_the_selection(client):
    timeline = get(client, reverse("data:timeline-list"), {"region": "150"})
    assert timeline["declaration"] == "dfi"
    dates = [point["date"] for point in timeline["points"]]
    assert dates == sorted(dates) and dates[0] == "2022-04-28"
    endorsers = html_slugs(client, "region=150&status=endorsed&status=disputed")
    assert timeline["points"][-1]["endorsers"] == len(endorsers)


def test_timeline_as_of_a_day(client, dfi):
    timeline = get(client, reverse("data:timeline-list"), {"as_of": "2022-05-01"})
    assert timeline["as_of"] == "2022-05-01"
    days = Endorsement.objects.of(dfi).announced(on=datetime.date(2022, 5, 1))
    days = sorted({day.isoformat() for day in days.values_list("endorsed_on", flat=True)})
    assert [p["date"] for p in timeline["points"]] == days


def test_schema_is_valid_openapi_3_and_documents_the_filters(client):
    response = client.get(reverse("data:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/participants/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names >= {"declaration", "region", "status", "endorsed_after", "endorsed_before"}
    assert names >= {"forum", "entity_type", "q", "as_of", "sort", "page"}
    for path in ["endorsements", "declarations", "forums", "regions", "timeline"]:
        assert f"/api/{path}/" in schema["paths"]


def test_schema_describes_the_participant_record_the_api_returns(client):
    schema = json.loads(client.get(reverse("data:schema"), {"format": "json"}).content)
    documented = set(schema["components"]["schemas"]["Participant"]["properties"])
    assert documented == set(get(client, PARTICIPANTS)["results"][0])


def test_docs_page_loads_only_our_own_files_and_no_inline_script(client):
    response = client.get(reverse("data:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses
    assert all(not urlsplit(address).netloc for address in addresses), addresses
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 3
    assert all('src="/' in attributes and not content.strip() for attributes, content in scripts)
    assert not re.search(r"\son\w+=", page), "no inline event handlers"
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")
    for address in addresses:
        if address.startswith("/static/"):
            name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", address.removeprefix("/static/"))
            assert finders.find(name), name


def test_docs_script_is_served_by_us_and_points_at_our_schema(client):
    response = client.get(reverse("data:docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert f'url: "{reverse("data:schema")}"' in script
    assert not re.search(r"https?://", script)


def test_api_answers_json_only_and_cannot_write(client):
    assert client.post(PARTICIPANTS, {}).status_code == 405
    assert client.delete(reverse("data:participant-detail", args=["norway"])).status_code == 405


def test_editor_text_comes_back_as_data(client, dfi):
    participant = ParticipantFactory(name="<script>alert(1)</script>")
    EndorsementFactory(participant=participant, declaration=dfi, note="<b>bold</b>")
    [record] = get(client, PARTICIPANTS, {"q": "script"})["results"]
    assert record["name"] == "<script>alert(1)</script>" and record["note"] == "<b>bold</b>"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (PARTICIPANTS, {"region": "150", "forum": "oecd"}),
        (reverse("data:endorsement-list"), None),
        (reverse("data:forum-list"), None),
        (reverse("data:timeline-list"), {"region": "150"}),
    ],
)
def test_queries_stay_flat_as_rows_grow(client, dfi, django_assert_max_num_queries, url, params):
    oecd, europe = Forum.objects.get(slug="oecd"), Region.objects.get(code="150")
    make_endorsers(dfi, 3, forum=oecd, region=europe)
    with CaptureQueriesContext(connection) as few:
        get(client, url, params)
    make_endorsers(dfi, 300, forum=oecd, region=europe)
    with django_assert_max_num_queries(len(few)):
        page = get(client, url, params)
    assert len(few) <= 8
    assert len(page.get("results", page.get("points"))) >= 2


# The schema says what the API returns, and the API takes what its pages take (issue 17).


def schema_of(client):
    response = client.get(reverse("data:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_says_a_top_region_has_no_parent(client):
    region = schema_of(client)["components"]["schemas"]["Region"]["properties"]["parent"]
    assert region["nullable"] is True
    europe = get(client, reverse("data:region-detail", args=["150"]))
    assert europe["parent"] is None


@pytest.mark.parametrize(
    ("path", "component"), [("timeline", "Timeline"), ("compare", "Comparison")]
)
def test_schema_says_the_timeline_and_a_comparison_are_one_object(client, path, component):
    operation = schema_of(client)["paths"][f"/api/{path}/"]["get"]
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert documented == {"$ref": f"#/components/schemas/{component}"}
    assert isinstance(get(client, reverse(f"data:{path}-list")), dict)


def test_schema_declares_the_errors_each_operation_answers(client):
    schema = schema_of(client)
    for path, item in schema["paths"].items():
        operation = item["get"]
        parameters = operation.get("parameters", [])
        query = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
        if "{" in path or "page" in query or path == "/api/compare/":
            assert "404" in operation["responses"], path
        if query:
            errors = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert errors == {"$ref": "#/components/schemas/ParameterErrors"}, path
    assert schema["components"]["schemas"]["ParameterErrors"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }


@pytest.mark.parametrize("params", ["forum=", "status=", "forum=&status=&region=&q=&sort="])
@pytest.mark.parametrize("path", ["participant-list", "timeline-list", "endorsement-list"])
def test_an_empty_choice_is_no_choice_as_on_the_page(client, path, params):
    url = reverse(f"data:{path}")
    assert get(client, f"{url}?{params}") == get(client, url)
    assert html_slugs(client, params) == html_slugs(client)


def test_every_parameter_given_empty_is_as_if_not_given_and_the_schema_says_so(client):
    schema = schema_of(client)
    for path in ["/api/participants/", "/api/endorsements/", "/api/timeline/", "/api/compare/"]:
        for parameter in schema["paths"][path]["get"]["parameters"]:
            assert parameter["allowEmptyValue"] is True, (path, parameter["name"])
            assert get(client, f"{path}?{parameter['name']}=") == get(client, path)


ENDORSEMENTS = reverse("data:endorsement-list")


def endorsed_slugs(client, params):
    """The participants the list shows for these parameters that had endorsed by ``as_of``."""
    records = all_results(client, f"{PARTICIPANTS}?{params}")
    return sorted(record["slug"] for record in records if record["status"] != "none")


@pytest.mark.parametrize("params", [view for view in VIEWS if "sort=" not in view])
def test_endorsements_take_the_lists_parameters(client, params):
    endorsements = all_results(client, f"{ENDORSEMENTS}?{params}")
    assert sorted(e["participant"]["slug"] for e in endorsements) == endorsed_slugs(client, params)


def test_endorsements_of_a_region(client):
    europe = all_results(client, f"{ENDORSEMENTS}?region=150")
    assert "norway" in {e["participant"]["slug"] for e in europe}
    assert "japan" not in {e["participant"]["slug"] for e in europe}
    assert len(europe) == len(html_slugs(client, "region=150"))


def test_endorsements_with_a_bad_list_parameter_are_a_400_naming_it(client):
    errors = get(client, ENDORSEMENTS, {"region": "999", "forum": "nato"}, status=400)
    assert errors == {
        "region": ["No UN M49 region has the code “999”."],
        "forum": ["No forum has the short name “nato”."],
    }


def test_schema_documents_the_endorsements_parameters(client):
    operation = schema_of(client)["paths"]["/api/endorsements/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {
        "declaration",
        "participant",
        "updated_after",
        "q",
        "region",
        "status",
        "entity_type",
        "forum",
        "endorsed_after",
        "endorsed_before",
        "as_of",
        "page",
        "page_size",
    }


@pytest.mark.parametrize("name", ["Norway", "norway", "NORWAY", " Norway ", "NOR", "no"])
def test_endorsements_of_a_participant_by_name_slug_or_code(client, name):
    [norway] = get(client, ENDORSEMENTS, {"participant": name})["results"]
    assert norway["participant"]["slug"] == "norway"


def test_a_participant_is_found_whatever_its_accents_and_case(client, dfi):
    EndorsementFactory(participant=Participant.objects.get(name="Türkiye"), declaration=dfi)
    for name in ["Türkiye", "TÜRKIYE", "turkiye", "Turkey", "TUR"]:
        [record] = get(client, ENDORSEMENTS, {"participant": name})["results"]
        assert record["participant"]["name"] == "Türkiye"


def test_an_unknown_participant_name_is_a_400_suggesting_one(client):
    errors = get(client, ENDORSEMENTS, {"participant": "Norwey"}, status=400)
    assert errors == {"participant": ["No participant is called “Norwey”. Did you mean Norway?"]}


def test_a_page_size_chosen_up_to_the_documented_maximum(client):
    page = get(client, PARTICIPANTS, {"page_size": "10", "status": "none"})
    assert len(page["results"]) == 10 and page["count"] == 131
    assert page["next"] == "http://testserver/api/participants/?page=2&page_size=10&status=none"
    assert len(get(client, PARTICIPANTS, {"page_size": "1000", "status": "none"})["results"]) == 131
    operation = schema_of(client)["paths"]["/api/participants/"]["get"]
    [size] = [p for p in operation["parameters"] if p["name"] == "page_size"]
    assert size["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}


@pytest.mark.parametrize("value", ["0", "-1", "1001", "ten", "1.5", " ", "9" * 100])
def test_a_bad_page_size_is_a_400_saying_the_limits(client, value):
    errors = get(client, ENDORSEMENTS, {"page_size": value}, status=400)
    assert errors == {"page_size": ["Enter a whole number of results from 1 to 1000."]}


def test_an_empty_page_size_is_the_default(client):
    assert len(get(client, PARTICIPANTS, {"page_size": "", "status": "none"})["results"]) == 100


def test_a_participant_name_with_a_control_character_is_a_400_saying_so(client):
    errors = get(client, ENDORSEMENTS, {"participant": "Nor\tway"}, status=400)
    assert errors == {"participant": [filters.CONTROL_CHARACTERS]}
