"""The map, the timeline and the region chart show the same numbers as the list."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from signatories.models import Participant
from signatories.services import withdraw_endorsements
from tests.factories import WITHDRAWAL_SOURCE

pytestmark = pytest.mark.django_db

MAP = reverse("signatories:map")
LIST = reverse("signatories:participant-list")


def marks(response):
    """{code: element} for every participant drawn on the map (a shape or a dot)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    found = {}
    for element in root.iter():
        code = element.get("data-code")
        if code:
            assert code not in found, f"{code} drawn twice"
            found[code] = element
    return found


def list_count(client, params):
    page = client.get(LIST, params).content.decode()
    return page.count("<tr data-slug=")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2022-12-01", "endorsed"), ("2022-06-01", "none")],
    ids=["after", "before"],
)
def test_norway_on_the_map_follows_the_date(client, as_of, status):
    assert marks(client.get(MAP, {"as_of": as_of}))["NO"].get("data-status") == status


def test_kenya_is_drawn_disputed_and_titled(client):
    kenya = marks(client.get(MAP))["KE"]
    assert kenya.get("data-status") == "disputed"
    assert ET.tostring(kenya, encoding="unicode").count("Kenya: disputed") == 1


def test_withdrawn_is_drawn(client):
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE],
        endorsements=[Participant.objects.get(name="Norway").endorsements.get()],
        withdrawn_on="2025-05-05",
    )
    assert marks(client.get(MAP))["NO"].get("data-status") == "withdrawn"


@pytest.mark.parametrize(
    "params",
    [{}, {"region": "150"}, {"as_of": "2022-04-28"}, {"forum": "g20"}],
    ids=["all", "europe", "launch", "g20"],
)
def test_every_endorser_with_an_iso_code_appears_exactly_once(client, params, dfi):
    drawn = marks(client.get(MAP, params))
    codes = set(
        Participant.objects.with_record(dfi)
        .exclude(iso_alpha2="")
        .exclude(status_on="none")
        .values_list("iso_alpha2", flat=True)
    )
    assert codes <= set(drawn)
    assert {"AD", "LI", "MC", "SM", "MT", "PW", "MH", "FM", "MV", "CV", "TT"} <= set(drawn)


def test_countries_outside_the_filter_are_muted_and_link_to_their_page(client):
    drawn = marks(client.get(MAP, {"region": "150"}))
    assert "muted" in drawn["JP"].get("class")
    assert "muted" not in drawn["NO"].get("class")
    page = client.get(MAP, {"region": "150"}).content.decode()
    assert 'href="/participants/norway/"' in page


def test_map_has_title_description_and_names_the_commission_in_the_legend(client):
    root = ET.fromstring(client.get(MAP).content)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "group"
    assert root.find(f"{ns}title").text.startswith("Map of DFI endorsements")
    assert root.find(f"{ns}desc") is not None
    assert "European Commission: endorsed (not on the map)" in ET.tostring(root, encoding="unicode")


def test_map_escapes_names(client):
    Participant.objects.filter(name="Norway").update(name="<script>alert(1)</script>")
    page = client.get(MAP).content.decode()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_bad_map_parameters_still_draw_a_map(client):
    assert marks(client.get(MAP, {"region": "999", "as_of": "nonsense"}))


@pytest.mark.parametrize(
    "params", [{}, {"region": "150"}, {"as_of": "2022-06-01"}, {"forum": "g7"}], ids=str
)
def test_timeline_ends_on_the_number_the_list_shows(client, params):
    page = client.get("/", params).content.decode()
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', page)]
    assert counts[-1] == list_count(client, params)


def test_timeline_marks_the_launch_and_prague(client):
    page = client.get("/").content.decode()
    assert "Launch of the Declaration" in page
    assert "Prague high-level multi-stakeholder event" in page
    assert re.findall(r'data-date="([\d-]+)" data-count="(\d+)"', page)[:3] == [
        ("2022-04-28", "61"),
        ("2022-04-29", "62"),
        ("2022-11-02", "67"),
    ]


def test_region_chart_counts_equal_the_list(client):
    page = client.get(reverse("signatories:region-list")).content.decode()
    bars = re.findall(
        r'href="([^"]*region=(\d{3})[^"]*)"[^>]*>\s*<[^>]*data-endorsed="(\d+)"', page
    )
    assert bars, "the chart links each bar to its list"
    for _, code, endorsed in bars:
        assert int(endorsed) == list_count(client, {"region": code})


def test_home_page_weight_stays_under_500_kb(client):
    html = client.get("/").content
    svg = client.get(MAP).content
    css = sum(
        Path(finders.find(f"css/{name}")).stat().st_size for name in ["site.css", "print.css"]
    )
    total = len(html) + len(svg) + css
    assert total < 500_000, total


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_in_the_name_never_breaks_the_svg(client, character):
    """As the list does with a bad parameter, the map leaves it out: a map embedded in a page
    with a mistyped name still draws, as well-formed XML."""
    response = client.get(reverse("signatories:map"), {"q": f"a{character}b"})
    assert response.status_code == 200
    ET.fromstring(response.content)  # raises on XML that is not well-formed
    page = client.get(reverse("signatories:participant-list"), {"q": f"a{character}b"})
    assert "A name has no control characters" in page.content.decode()


def view_box(response):
    return [float(v) for v in ET.fromstring(response.content).get("viewBox").split()]


def test_map_of_europe_frames_europe_and_still_draws_norway(client):
    world = view_box(client.get(MAP))
    europe = client.get(MAP, {"region": "150"})
    x, y, width, _ = view_box(europe)
    assert world[:3] == [0, 0, 1000]
    # Europe lies between about x 450 (Iceland) and 600 (Ukraine) and above y 120 on the
    # world map: the frame holds it, with a margin, and little else.
    assert 350 < x < 450 and 600 < x + width < 700 and y < 40
    assert width < world[2] / 3
    drawn = marks(europe)
    assert drawn["NO"].get("data-status") == "endorsed"
    assert "muted" not in drawn["NO"].get("class")
    assert "muted" in drawn["BR"].get("class")  # the rest of the world, faint


def test_map_legend_names_the_grey_and_the_faint_areas(client):
    text = " ".join(ET.fromstring(client.get(MAP, {"region": "150"}).content).itertext())
    assert "Grey: not a participant here or no data (e.g. Greenland, Western Sahara)" in text
    assert "Faint: outside the selection" in text


def test_map_links_its_stylesheet(client):
    svg = client.get(MAP).content.decode()
    href = re.match(r'<\?xml-stylesheet href="([^"]+)" type="text/css"\?>', svg).group(1)
    assert "/css/map" in href and finders.find("css/map.css")


def test_the_pages_give_the_map_legend_in_html_for_narrow_screens(client):
    home = client.get("/").content.decode()
    assert 'class="map-legend"' in home and "Faint: outside the selection" not in home
    europe = client.get(LIST, {"region": "150"}).content.decode()
    assert "Faint: outside the selection" in europe
    assert "Grey: not a participant here or no data (e.g. Greenland, Western Sahara)" in europe


def test_the_charts_come_in_a_wide_and_a_narrow_layout(client):
    home = client.get("/").content.decode()
    assert home.count('class="timeline"') == 1 and home.count('class="timeline narrow"') == 1
    regions = client.get(reverse("signatories:region-list")).content.decode()
    assert regions.count('class="region-bars"') == regions.count('class="region-bars narrow"') == 1
