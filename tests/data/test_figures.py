"""The figures of a view as images: a captioned SVG (its title, day, selection, legend and
citation in its own text), rasterised to a PNG of the width asked; bad sizes get a 400."""

import struct
import xml.etree.ElementTree as ET

import pytest
from django.http import QueryDict
from django.urls import reverse

from signatories import figures
from signatories.citation import cite_list
from signatories.filters import ParticipantFilter

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MAP_PNG = reverse("data:map-png")
TIMELINE_PNG = reverse("data:timeline-png")


def png_size(content):
    """(width, height) from a PNG's signature and IHDR chunk."""
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


def caption_text(svg, kind=None):
    """The words of the caption's text elements (of one kind), wherever their lines break."""
    root = ET.fromstring(svg)
    return " ".join(
        "".join(text.itertext())
        for text in root.findall(f"{SVG}text")  # the caption's: the figure's are nested deeper
        if kind is None or text.get("class") == kind
    )


def squeezed(text):
    return "".join(text.split())


@pytest.mark.parametrize("name", ["map", "timeline"])
def test_the_caption_is_in_the_svg_the_png_is_made_from(name):
    filterset = ParticipantFilter(QueryDict("region=150&as_of=2022-11-30"))
    citation = cite_list(filterset, f"http://testserver/{name}.png")
    svg = figures.captioned_figure(name, filterset, citation=citation, width=800)
    root = ET.fromstring(svg)
    assert root.get("width") == "800"
    words = caption_text(svg)
    title = (
        "Map of DFI endorsements on 30 November 2022"
        if name == "map"
        else ("Endorsers of the DFI over time")
    )
    assert caption_text(svg, "caption-title") == title
    assert "Record as of 30 November 2022 (end of day)." in words
    assert "Selection: in Europe (150)." in words
    legend = figures.MAP_LEGEND if name == "map" else figures.TIMELINE_LEGEND
    assert squeezed(legend) in squeezed(words)
    assert squeezed(f"Cite as: {citation}") == squeezed(caption_text(svg, "caption-citation"))
    nested = root.find(f"{SVG}svg")  # the figure itself, unchanged inside
    assert nested.get("class").split()[0] == ("world-map" if name == "map" else "timeline")
    if name == "map":
        assert nested.find(".//*[@data-code='NO']").get("data-status") == "endorsed"
        assert nested.find(".//*[@data-legend='endorsed']") is not None


def test_map_png_is_as_wide_as_asked(client):
    response = client.get(MAP_PNG, {"region": "150", "width": "800"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    width, height = png_size(response.content)
    assert width == 800
    filterset = ParticipantFilter(QueryDict("region=150"))
    citation = cite_list(filterset, f"http://testserver{MAP_PNG}")
    svg = figures.captioned_figure("map", filterset, citation=citation, width=800)
    assert height == int(ET.fromstring(svg).get("height"))
    assert 'filename="dfi-map-europe-' in response["Content-Disposition"]
    assert f'<{citation.permalink}>; rel="cite-as"' in response["Link"]


def test_timeline_png_is_1200_wide_by_default(client):
    response = client.get(TIMELINE_PNG, {"forum": "g7"})
    assert response.status_code == 200
    assert png_size(response.content)[0] == 1200


@pytest.mark.parametrize("width", ["10", "399", "3001", "99999", "abc", "8e2", "800.0", "-800"])
def test_bad_widths_get_a_400(client, width):
    response = client.get(MAP_PNG, {"width": width})
    assert response.status_code == 400
    assert response.content.decode().startswith("Bad parameter “width”: Enter a width in pixels")


def test_bad_filters_get_a_400_naming_them(client):
    response = client.get(TIMELINE_PNG, {"region": "999", "width": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bad parameter “region”" in text and "Bad parameter “width”" in text


@pytest.mark.parametrize("url", [reverse("signatories:map"), reverse("signatories:timeline")])
def test_the_svgs_with_caption_say_it_and_name_bad_parameters(client, url):
    bare = client.get(url, {"region": "150"})
    assert bare.status_code == 200 and b"caption-title" not in bare.content
    captioned = client.get(url, {"region": "150", "caption": "1"})
    assert captioned.status_code == 200
    assert captioned["Content-Type"].startswith("image/svg+xml")
    assert "Selection: in Europe (150)." in caption_text(captioned.content)
    assert "Cite as: Declaration tracker" in caption_text(captioned.content)
    assert client.get(url, {"region": "999"}).status_code == 200  # as the page shows it
    bad = client.get(url, {"region": "999", "caption": "1"})
    assert bad.status_code == 400 and "“region”" in bad.content.decode()


def test_the_map_names_at_most_ten_participants_it_cannot_place(monkeypatch):
    from signatories.models import Participant

    monkeypatch.setattr(figures, "OFF_MAP_LINES", 3)
    codes = ["NO", "FR", "DE", "IT"]
    Participant.objects.filter(iso_alpha2__in=codes).update(iso_alpha2="")
    root = ET.fromstring(figures.world_map(ParticipantFilter(QueryDict("region=150"))))
    lines = [
        "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "legend-extra"
    ]
    assert len(lines) == 3
    assert lines[-1] == "… and 2 more not on the map (the table lists them)"  # 2 named above


def test_without_cairo_the_png_is_a_clear_503_and_the_site_still_answers(client, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_cairo(name, *args, **kwargs):
        if name == "cairosvg":
            raise OSError("no library called 'cairo-2' was found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cairo)
    response = client.get("/map.png", {"region": "150"})
    assert response.status_code == 503
    assert "cannot draw the PNG" in response.content.decode()
    assert client.get("/participants/").status_code == 200
