"""The SVG world map and its geometry asset (no database)."""

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import translation

from signatories.worldmap import (
    ASSET_PATH,
    CHANGE_KEY,
    CHANGE_PALETTE,
    LEGEND_FONT,
    LEGEND_LABEL_MUTED,
    MUTED_FILL,
    PALETTE,
    UNCHANGED,
    Key,
    MapEntry,
    code_box,
    frame_for,
    load_geometry,
    render_world_map,
)

ROOT = Path(__file__).resolve().parents[2]
PARTICIPANTS_CSV = ROOT / "fixtures" / "source" / "participants.csv"
NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

SMALL_STATES = ["AD", "LI", "MC", "SM", "MT", "PW", "MH", "FM", "MV", "CV", "TT"]


def relative_luminance(colour):
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def available_codes():
    """Alpha-2 codes that the map can draw (as a shape, a dot or both)."""
    geo = load_geometry()
    return frozenset(geo["shapes"]) | frozenset(geo["dots"])


def participants():
    with PARTICIPANTS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def all_entries(status="none"):
    return [
        MapEntry(row["iso_alpha2"], row["name"], status, f"/p/{row['iso_alpha2'] or 'x'}/")
        for row in participants()
    ]


def render(entries, **kwargs):
    kwargs.setdefault("title", "Who endorsed")
    kwargs.setdefault("description", "A world map")
    return render_world_map(entries, **kwargs)


def parse(svg):
    return ET.fromstring(svg)


def coded(root):
    return [el for el in root.iter() if "data-code" in el.attrib]


def by_code(root, code):
    matches = [el for el in coded(root) if el.get("data-code") == code]
    assert len(matches) == 1, (code, len(matches))
    return matches[0]


def parent_map(root):
    return {child: parent for parent in root.iter() for child in parent}


# --------------------------------------------------------------------------- document


def test_is_a_standalone_accessible_svg_document():
    svg = render(all_entries(), title="Map & <title>", description="Desc > here")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert root.get("role") == "group"
    assert root.get("viewBox").startswith("0 0 1000 ")
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and first.text == "Map & <title>"
    assert second.tag == f"{SVG}desc" and second.text == "Desc > here"
    assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"


def test_no_inline_styles_anywhere():
    svg = render(all_entries())
    root = parse(svg)
    assert root.find(".//svg:style", NS) is None
    assert not [el for el in root.iter() if "style" in el.attrib]


def test_norway_drawn_with_given_status_link_and_title():
    entries = [
        MapEntry("NO", "Norway", "endorsed", "/participants/norway/"),
        MapEntry("SE", "Sweden", "withdrawn", "/participants/sweden/"),
    ]
    root = parse(render(entries))
    norway = by_code(root, "NO")
    assert norway.tag == f"{SVG}path"
    assert norway.get("data-status") == "endorsed"
    assert norway.get("class") == "status-endorsed"
    assert norway.get("fill") == PALETTE["endorsed"]
    assert norway.find("svg:title", NS).text == "Norway: endorsed"
    link = parent_map(root)[norway]
    assert link.tag == f"{SVG}a" and link.get("href") == "/participants/norway/"
    assert by_code(root, "SE").find("svg:title", NS).text == "Sweden: withdrawn"


def test_status_words_in_titles():
    entries = [
        MapEntry("FR", "France", "none", "/fr/"),
        MapEntry("DE", "Germany", "disputed", "/de/"),
    ]
    root = parse(render(entries))
    assert by_code(root, "FR").find("svg:title", NS).text == "France: not endorsed"
    assert by_code(root, "FR").get("data-status") == "none"
    assert by_code(root, "DE").find("svg:title", NS).text == "Germany: disputed"


def test_muted_class_and_fill():
    entries = [
        MapEntry("NO", "Norway", "endorsed", "/no/", muted=True),
        MapEntry("BR", "Brazil", "none", "/br/"),
    ]
    root = parse(render(entries))
    norway = by_code(root, "NO")
    assert norway.get("class").split() == ["status-endorsed", "muted"]
    assert norway.get("data-status") == "endorsed"
    assert norway.get("fill") == MUTED_FILL
    assert "muted" not in by_code(root, "BR").get("class").split()


def test_map_is_not_upside_down():
    root = parse(render([MapEntry("NO", "Norway", "endorsed"), MapEntry("ZA", "SA", "none")]))

    def first_point(code):
        x, y = re.match(r"M([\d.]+)[ ,]?([\d.]+)", by_code(root, code).get("d")).groups()
        return float(x), float(y)

    norway, south_africa = first_point("NO"), first_point("ZA")
    assert norway[1] < south_africa[1]  # north is up
    brazil = parse(render([MapEntry("BR", "Brazil", "none")]))
    japan = parse(render([MapEntry("JP", "Japan", "none")]))
    bx = float(re.match(r"M([\d.]+)", by_code(brazil, "BR").get("d")).group(1))
    jx = float(re.match(r"M([\d.]+)", by_code(japan, "JP").get("d")).group(1))
    assert bx < 500 < jx  # west is left


# --------------------------------------------------------------------------- coverage


def test_every_participant_with_iso_code_drawn_exactly_once():
    rows = participants()
    codes = [row["iso_alpha2"] for row in rows if row["iso_alpha2"]]
    assert len(codes) >= 196
    root = parse(render(all_entries()))
    drawn = [el.get("data-code") for el in coded(root)]
    for code in codes:
        assert drawn.count(code) == 1, code
    assert sorted(drawn) == sorted(codes)
    assert set(codes) <= available_codes()


def test_small_states_present_as_dots():
    root = parse(render(all_entries("endorsed")))
    for code in SMALL_STATES:
        element = by_code(root, code)
        assert element.tag == f"{SVG}circle", code
        assert element.get("data-status") == "endorsed"
        assert element.find("svg:title", NS) is not None
        assert parent_map(root)[element].tag == f"{SVG}a"


def test_kosovo_is_drawn():
    root = parse(render([MapEntry("XK", "Kosovo", "endorsed", "/xk/")]))
    assert by_code(root, "XK").tag == f"{SVG}path"


def test_entries_without_geometry_not_drawn_but_counted():
    entries = [
        MapEntry("", "European Commission", "endorsed", "/ec/"),
        MapEntry("NO", "Norway", "endorsed", "/no/"),
    ]
    svg = render(entries, legend_extra=["European Commission: endorsed (not on the map)"])
    root = parse(svg)
    assert [el.get("data-code") for el in coded(root)] == ["NO"]
    assert legend_counts(root)["endorsed"] == 2
    extra = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "legend-extra"]
    assert extra == ["European Commission: endorsed (not on the map)"]


def test_participants_not_passed_are_grey_background_without_links():
    root = parse(render([MapEntry("NO", "Norway", "endorsed", "/no/")]))
    assert len(coded(root)) == 1
    assert len(root.findall(".//svg:a", NS)) == 1
    assert len(root.findall(".//svg:path", NS)) > 150  # the rest of the world still drawn


def test_duplicate_codes_drawn_once_first_wins():
    entries = [
        MapEntry("NO", "Norway", "endorsed", "/no/"),
        MapEntry("NO", "Norway again", "withdrawn", "/no2/"),
    ]
    root = parse(render(entries))
    assert by_code(root, "NO").get("data-status") == "endorsed"


def test_unknown_status_rejected():
    with pytest.raises(ValueError):
        MapEntry("NO", "Norway", "signed", "/no/")


def test_entry_is_frozen():
    entry = MapEntry("NO", "Norway", "endorsed", "/no/")
    with pytest.raises(AttributeError):
        entry.status = "withdrawn"


# --------------------------------------------------------------------------- escaping


def test_hostile_text_is_escaped():
    hostile = '<script>alert("x")</script>'
    entries = [
        MapEntry("NO", hostile, "endorsed", '/x/?a=1&b="2"'),
        MapEntry("AD", hostile, "endorsed", "/ad/"),
    ]
    svg = render(
        entries,
        title=hostile,
        description=hostile,
        legend_extra=[f"{hostile}: endorsed (not on the map)"],
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == hostile
    assert by_code(root, "NO").find("svg:title", NS).text == f"{hostile}: endorsed"
    assert by_code(root, "AD").find("svg:title", NS).text == f"{hostile}: endorsed"
    assert parent_map(root)[by_code(root, "NO")].get("href") == '/x/?a=1&b="2"'
    assert not root.findall(".//svg:script", NS)


# --------------------------------------------------------------------------- legend


def legend_counts(root):
    return {
        el.get("data-legend"): int(el.get("data-count"))
        for el in root.iter(f"{SVG}text")
        if el.get("data-legend")
    }


def test_legend_counts_non_muted_entries_per_status():
    entries = [
        MapEntry("NO", "Norway", "endorsed", "/no/"),
        MapEntry("SE", "Sweden", "endorsed", "/se/"),
        MapEntry("FI", "Finland", "endorsed", "/fi/", muted=True),
        MapEntry("DK", "Denmark", "disputed", "/dk/"),
        MapEntry("IS", "Iceland", "withdrawn", "/is/"),
        MapEntry("BR", "Brazil", "none", "/br/"),
        MapEntry("CN", "China", "none", "/cn/", muted=True),
    ]
    root = parse(render(entries))
    counts = legend_counts(root)
    assert counts == {"endorsed": 2, "disputed": 1, "withdrawn": 1, "none": 1, "muted": 2}
    texts = [el.text for el in root.iter(f"{SVG}text") if el.get("data-legend")]
    assert texts[:4] == ["Endorsed (2)", "Disputed (1)", "Withdrawn (1)", "Not endorsed (1)"]


def test_legend_has_no_muted_item_when_nothing_is_muted():
    counts = legend_counts(parse(render(all_entries())))
    assert "muted" not in counts
    assert counts["none"] == len(participants())


# --------------------------------------------------------------------------- palette


def test_palette_statuses_have_distinct_luminance():
    colours = [*PALETTE.values(), MUTED_FILL]
    assert len(set(colours)) == len(colours)
    values = sorted(relative_luminance(c) for c in colours)
    for darker, lighter in zip(values, values[1:], strict=False):
        assert (lighter + 0.05) / (darker + 0.05) >= 1.3


def test_change_colours_have_distinct_luminance_and_no_change_is_muted():
    colours = [colour for change, colour in CHANGE_PALETTE.items() if change != UNCHANGED]
    assert CHANGE_PALETTE[UNCHANGED] == MUTED_FILL
    values = sorted(relative_luminance(c) for c in [*colours, MUTED_FILL])
    for darker, lighter in zip(values, values[1:], strict=False):
        assert (lighter + 0.05) / (darker + 0.05) >= 1.3


# --------------------------------------------------------------------------- other keys


def test_a_map_of_changes_has_its_own_words_colours_and_legend():
    entries = [
        MapEntry("NO", "Norway", "endorsed", "/no/"),
        MapEntry("KE", "Kenya", "disputed", "/ke/"),
        MapEntry("JP", "Japan", "dispute_resolved", "/jp/"),
        MapEntry("IS", "Iceland", "withdrawn", "/is/"),
        MapEntry("FR", "France", UNCHANGED, "/fr/"),
        MapEntry("CN", "China", UNCHANGED, "/cn/", muted=True),
    ]
    root = parse(render(entries, key=CHANGE_KEY))
    assert by_code(root, "JP").get("fill") == CHANGE_PALETTE["dispute_resolved"]
    assert by_code(root, "KE").find("svg:title", NS).text == "Kenya: came under dispute"
    assert by_code(root, "FR").find("svg:title", NS).text == "France: no change"
    texts = [el.text for el in root.iter(f"{SVG}text") if el.get("data-legend")]
    assert texts == [
        "Endorsed (1)",
        "Came under dispute (1)",
        "Dispute resolved (1)",
        "Withdrew (1)",
        "No change (1)",
        "Faint: outside the selection (1)",
    ]


def test_a_value_outside_the_maps_key_is_rejected():
    with pytest.raises(ValueError):
        render([MapEntry("NO", "Norway", "none", "/no/")], key=CHANGE_KEY)
    with pytest.raises(ValueError):
        render([MapEntry("NO", "Norway", UNCHANGED, "/no/")])


def test_a_legend_too_long_for_one_row_wraps_inside_the_map():
    words = {f"v{n}": f"a rather long description of value {n}" for n in range(6)}
    key = Key(dict.fromkeys(words, "#2166ac"), words)
    with pytest.raises(ValueError):
        MapEntry("NO", "Norway", "v1", "/no/")  # only the known keys' values are entries
    root = parse(render([], key=key))
    legend = [el for el in root.iter(f"{SVG}text") if el.get("data-legend")]
    rows = sorted({float(el.get("y")) for el in legend})
    assert len(rows) >= 2
    for el in legend:
        right = float(el.get("x")) + len(el.text) * 7.2
        assert right <= 1000
    height = float(root.get("viewBox").split()[3])
    assert max(rows) < height


def test_output_is_compact():
    svg = render(all_entries())
    assert "\n  " not in svg
    assert len(svg.encode()) < 200_000


# --------------------------------------------------------------------------- asset


def test_asset_is_small_and_attributed():
    assert ASSET_PATH.stat().st_size < 150_000
    asset = json.loads(ASSET_PATH.read_text(encoding="utf-8"))
    assert "Natural Earth" in asset["source"]["data"]
    assert "public domain" in asset["source"]["licence"]
    assert "world-atlas" in asset["source"]["via"]
    assert asset["viewBox"][2] == 1000
    assert "AQ" not in asset["shapes"]
    assert "Antarctica" not in {name for name, _ in asset["background"]}
    assert {"Greenland", "W. Sahara"} <= {name for name, _ in asset["background"]}
    for code, (x, y) in asset["dots"].items():
        assert 0 <= x <= asset["viewBox"][2] and 0 <= y <= asset["viewBox"][3], code


# --------------------------------------------------------------------------- framing


def view_box(root):
    return [float(v) for v in root.get("viewBox").split()]


def frame_rect(root):
    rect = root.find("svg:clipPath/svg:rect", NS)
    return [float(rect.get(name)) for name in ("x", "y", "width", "height")]


def selection(codes):
    return [
        MapEntry(e.code, e.name, e.status, e.url, muted=e.code not in codes) for e in all_entries()
    ]


def test_a_selection_is_framed_and_the_rest_drawn_faint():
    nordic = {"NO", "SE", "FI", "DK", "IS"}
    root = parse(render(selection(nordic)))
    x, y, width, _ = view_box(root)
    assert frame_rect(root)[:3] == [x, y, width]
    assert width < 300
    world_width, world_height = load_geometry()["viewBox"][2:]
    frame_width, frame_height = frame_rect(root)[2:]
    assert frame_width / frame_height == pytest.approx(world_width / world_height, rel=0.01)
    for code in nordic:
        assert "muted" not in by_code(root, code).get("class")
    assert by_code(root, "BR").get("fill") == MUTED_FILL  # still drawn, for context
    assert "framed" in root.get("class").split()


def test_the_whole_world_when_nothing_is_left_out_or_framing_is_off():
    assert view_box(parse(render(all_entries())))[:3] == [0, 0, 1000]
    root = parse(render(selection({"NO"}), fit_selection=False))
    assert view_box(root)[:3] == [0, 0, 1000]
    assert root.find("svg:clipPath", NS) is None


def test_far_flung_parts_do_not_widen_the_frame():
    # France's 110m shape holds French Guiana (x about 350); Norway's holds Svalbard.
    box = frame_for(["FR"])
    assert box[0] > 400
    assert code_box("NO")[1] < 10  # Svalbard is near enough to stay


def test_a_giant_does_not_pull_the_frame_of_its_region_across_a_continent():
    europe = ["NO", "SE", "FI", "DK", "IS", "GB", "IE", "FR", "ES", "PT", "DE", "PL", "UA", "RU"]
    x0, _, x1, _ = frame_for(europe)
    assert x1 < 700 < code_box("RU")[2]  # western Russia shows, Siberia does not
    assert x0 < code_box("IS")[0]
    assert frame_for(["RU"])[2] > 800  # alone, all of it


def test_every_participant_of_an_ordinary_selection_is_in_the_frame():
    # Norway and four small states (Europe, endorsed after 1 May 2022): Norway is no giant.
    selected = ["NO", "BA", "LI", "MC", "SM"]
    x0, y0, x1, y1 = frame_for(selected)
    for code in selected:
        left, top, right, bottom = code_box(code)
        assert x0 <= left and right <= x1 and y0 <= top and bottom <= y1, code


def test_small_states_stay_visible_when_framed():
    root = parse(render(selection({"LU", "MT", "SM"})))
    x, y, width, _ = view_box(root)
    world = parse(render(all_entries()))
    for code in ("LU", "MT", "SM"):
        dot = by_code(root, code)
        assert dot.tag == f"{SVG}circle"
        cx, cy, r = (float(dot.get(name)) for name in ("cx", "cy", "r"))
        assert x < cx < x + width and y < cy
        world_r = float(by_code(world, code).get("r"))
        # On screen (as a share of the frame) larger than in the whole world, never smaller.
        assert r < world_r and r / width > world_r / 1000


def test_legend_says_what_grey_and_faint_are():
    root = parse(render(selection({"NO"})))
    texts = " ".join(el.text for el in root.iter(f"{SVG}text"))
    assert "Grey: not a participant here or no data (e.g. Greenland, Western Sahara)" in texts
    assert f"{LEGEND_LABEL_MUTED} (" in texts and "Faint" in LEGEND_LABEL_MUTED
    assert "Faint" not in " ".join(
        el.text for el in parse(render(all_entries())).iter(f"{SVG}text")
    )


def test_legend_text_scales_with_the_frame():
    world = parse(render(all_entries()))
    framed = parse(render(selection({"NO", "SE"})))
    ratio = view_box(framed)[2] / view_box(world)[2]
    size = float(framed.find("svg:g[@class='legend']", NS).get("font-size"))
    assert size == pytest.approx(LEGEND_FONT * ratio, abs=0.01)


def test_stylesheet_is_linked_when_asked():
    svg = render(all_entries(), stylesheet="/static/css/map.abc.css")
    assert svg.startswith('<?xml-stylesheet href="/static/css/map.abc.css" type="text/css"?>\n<svg')
    assert parse(svg).tag == f"{SVG}svg"


def test_in_arabic_the_legend_starts_on_the_right_and_the_map_stays():
    with translation.override("en"):
        english = parse(render(all_entries()))
    with translation.override("ar"):
        arabic = parse(render(all_entries()))
    assert english.get("direction") == "ltr" and arabic.get("direction") == "rtl"
    left, _, width, _ = (float(v) for v in english.get("viewBox").split())

    def legend_x(root):
        return [float(el.get("x")) for el in root.iter(f"{SVG}text") if el.get("data-legend")]

    assert legend_x(english) == sorted(legend_x(english))
    assert legend_x(arabic) == sorted(legend_x(arabic), reverse=True)
    assert legend_x(english)[0] < left + width * 0.1
    assert legend_x(arabic)[0] > left + width * 0.9
    shapes = [el.get("d") for el in english.iter(f"{SVG}path")]
    assert shapes == [el.get("d") for el in arabic.iter(f"{SVG}path")]  # the world unmirrored
