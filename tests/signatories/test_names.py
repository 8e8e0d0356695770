"""The names people use find the participant: in the search box, the API and the importer."""

import re

import pytest
from django.urls import reverse

from importing.planning import plan_import
from signatories.models import Participant
from signatories.names import NameIndex
from tests.importing.files import csv_bytes, row

pytestmark = pytest.mark.django_db

LIST = reverse("signatories:participant-list")


def found(client, q, **params):
    page = client.get(LIST, {"q": q, **params}).content.decode()
    slugs = re.findall(r'<tr data-slug="([^"]+)"', page)
    names = dict(Participant.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [names[slug] for slug in slugs]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("Turkey", "Türkiye"),
        ("turkiye", "Türkiye"),
        ("Cape Verde", "Cabo Verde"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("cote", "Côte d'Ivoire"),
        ("USA", "United States"),
        ("America", "United States"),
        ("United States of America", "United States"),
        ("Britain", "United Kingdom"),
        ("UK", "United Kingdom"),
        ("GB", "United Kingdom"),
        ("gbr", "United Kingdom"),
        ("European Union", "European Commission"),
        ("EU", "European Commission"),
        ("Czechia", "Czech Republic"),
        ("Swaziland", "Eswatini"),
        ("NO", "Norway"),
    ],
)
def test_a_search_finds_the_names_people_use_the_exact_one_first(client, q, first):
    assert found(client, q)[0] == first


def test_uk_finds_the_united_kingdom_before_ukraine(client):
    assert found(client, "UK")[:2] == ["United Kingdom", "Ukraine"]


def test_a_code_finds_its_participant_first_and_alone_when_no_name_holds_it(client):
    assert found(client, "GBR") == ["United Kingdom"]
    assert found(client, "NOR")[0] == "Norway"  # then North Korea, North Macedonia... as text


def test_a_chosen_sort_wins_over_the_exact_match(client):
    names = found(client, "UK", sort="name")
    assert names == sorted(names)


def test_a_search_that_finds_nothing_suggests_the_closest_names(client):
    page = client.get(LIST, {"q": "Turky", "region": "142"}).content.decode()
    assert "No participant matches" in page
    assert 'Did you mean <a href="?q=T%C3%BCrkiye&amp;region=142">Türkiye</a>?' in page


def test_the_api_finds_the_same_names_in_the_same_order(client):
    results = client.get(reverse("data:participant-list"), {"q": "UK"}).json()["results"]
    assert [record["name"] for record in results][:2] == ["United Kingdom", "Ukraine"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Turkey", "Türkiye"),
        ("UK", "United Kingdom"),
        ("GBR", "United Kingdom"),
        ("Zaire", "Democratic Republic of the Congo"),
    ],
)
def test_the_importer_finds_a_participant_by_the_same_names(dfi, name, expected):
    plan = plan_import(dfi, "a.csv", csv_bytes([row(name)]))
    [planned] = plan.rows
    assert planned.participant.name == expected


def test_an_ambiguous_name_names_the_candidates():
    participant, message = NameIndex().find("Korea")
    assert participant is None
    assert message == (
        "“Korea” could be North Korea or South Korea: write the full name or the ISO code."
    )


def test_an_editor_adds_an_alias_and_the_search_finds_it(client, admin_client):
    norway = Participant.objects.get(slug="norway")
    url = reverse("admin:signatories_participant_change", args=[norway.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("aliases",)
    }
    data.update(
        {
            "aliases": "Norge\nNoreg",
            "region": norway.region_id,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert found(client, "Noreg") == ["Norway"]
