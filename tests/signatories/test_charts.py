"""The SVG timeline and region bar charts (pure Python: no Django, no database)."""

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.utils import translation

from signatories.charts import render_region_bars, render_timeline

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script>'

LAUNCH = dt.date(2022, 4, 28)
PRAGUE = dt.date(2022, 11, 2)
EVENTS = [(LAUNCH, "Launch"), (PRAGUE, "Prague event")]


def assert_accessible_svg(svg, title, description, role="img"):
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == role
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and first.text == title
    assert second.tag == f"{SVG}desc" and second.text == description
    assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
    assert root.find(".//svg:style", NS) is None
    assert not [el for el in root.iter() if "style" in el.attrib]
    return root


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


# --------------------------------------------------------------------------- timeline


def timeline(points, **kwargs):
    kwargs.setdefault("title", "Endorsers over time")
    kwargs.setdefault("description", "Cumulative count")
    return render_timeline(points, **kwargs)


def step_points(root):
    return [
        (el.get("data-date"), int(el.get("data-count")))
        for el in root.iter(f"{SVG}circle")
        if el.get("data-date")
    ]


def test_timeline_points_carry_date_and_count():
    points = [(LAUNCH, 61), (dt.date(2022, 6, 1), 63), (PRAGUE, 68), (dt.date(2024, 9, 10), 72)]
    svg = timeline(points, events=EVENTS, end=dt.date(2025, 6, 1))
    root = assert_accessible_svg(svg, "Endorsers over time", "Cumulative count")
    assert step_points(root) == [
        ("2022-04-28", 61),
        ("2022-06-01", 63),
        ("2022-11-02", 68),
        ("2024-09-10", 72),
    ]
    last = [el for el in root.iter(f"{SVG}text") if el.get("class") == "last-value"]
    assert len(last) == 1 and last[0].text == "72" and last[0].get("data-count") == "72"
    labels = texts(root)
    assert {"2023", "2024", "2025"} <= set(labels)
    assert "Launch" in labels and "Prague event" in labels
    event_dates = [g.get("data-date") for g in root.iter(f"{SVG}g") if g.get("data-date")]
    assert event_dates == ["2022-04-28", "2022-11-02"]
    ticks = [int(el.get("data-tick")) for el in root.iter(f"{SVG}text") if el.get("data-tick")]
    assert ticks[0] == 0 and ticks[-1] >= 72 and len(ticks) >= 3


def test_timeline_is_a_step_line_ending_at_end():
    svg = timeline([(LAUNCH, 1), (PRAGUE, 5)], end=dt.date(2023, 4, 28))
    root = ET.fromstring(svg)
    line = [p for p in root.iter(f"{SVG}path") if p.get("class") == "step-line"]
    assert len(line) == 1
    d = line[0].get("d")
    assert d.startswith("M") and "H" in d and "V" in d


def test_timeline_sorts_points_and_accepts_iso_strings():
    root = ET.fromstring(timeline([("2023-01-05", 4), (dt.datetime(2022, 5, 1, 12, 0), 2)]))
    assert step_points(root) == [("2022-05-01", 2), ("2023-01-05", 4)]


def test_timeline_empty():
    svg = timeline([], events=EVENTS)
    root = assert_accessible_svg(svg, "Endorsers over time", "Cumulative count")
    assert "No endorsements" in texts(root)
    assert step_points(root) == []


def test_timeline_empty_without_events():
    root = ET.fromstring(timeline([]))
    assert "No endorsements" in texts(root)


def test_timeline_single_point():
    root = ET.fromstring(timeline([(LAUNCH, 61)]))
    assert step_points(root) == [("2022-04-28", 61)]
    assert "61" in texts(root)
    assert "2022" in texts(root)


def test_timeline_escapes_text():
    svg = timeline([(LAUNCH, 1)], events=[(PRAGUE, HOSTILE)], title=HOSTILE, description=HOSTILE)
    assert "<script>" not in svg
    root = assert_accessible_svg(svg, HOSTILE, HOSTILE)
    assert HOSTILE in texts(root)


# --------------------------------------------------------------------------- region bars


def bars(rows, **kwargs):
    kwargs.setdefault("title", "By region")
    kwargs.setdefault("description", "Share of participants that endorsed, per region")
    return render_region_bars(rows, **kwargs)


def bar_groups(root):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "region-bar"]


def parent_map(root):
    return {child: parent for parent in root.iter() for child in parent}


def test_region_bars_links_text_and_data():
    rows = [("Africa", 12, 54, "/regions/africa/"), ("Europe", 40, 45, "/regions/europe/")]
    svg = bars(rows)
    # A group, not an image: an image's content is hidden, and these bars are links.
    root = assert_accessible_svg(
        svg, "By region", "Share of participants that endorsed, per region", role="group"
    )
    groups = bar_groups(root)
    assert [(g.get("data-endorsed"), g.get("data-total")) for g in groups] == [
        ("12", "54"),
        ("40", "45"),
    ]
    parents = parent_map(root)
    assert [parents[g].get("href") for g in groups] == ["/regions/africa/", "/regions/europe/"]
    assert all(parents[g].tag == f"{SVG}a" for g in groups)
    labels = texts(root)
    assert "12 of 54" in labels and "40 of 45" in labels
    assert "Africa" in labels and "Europe" in labels
    # The endorsed part of the bar is proportional to the share.
    africa_rects = groups[0].findall("svg:rect", NS)
    full, endorsed = (float(r.get("width")) for r in africa_rects)
    assert endorsed / full == pytest.approx(12 / 54, abs=0.01)


def test_region_bars_zero_total():
    root = ET.fromstring(bars([("Nowhere", 0, 0, "/regions/nowhere/")]))
    (group,) = bar_groups(root)
    assert group.get("data-total") == "0" and group.get("data-endorsed") == "0"
    assert "0 of 0" in texts(root)
    assert len(group.findall("svg:rect", NS)) == 1


def test_region_bars_accepts_objects_and_mappings_and_no_url():
    @dataclass
    class Row:
        label: str
        endorsed: int
        total: int
        url: str

    rows = [Row("Asia", 6, 48, "/regions/asia/"), {"label": "Oceania", "endorsed": 3, "total": 14}]
    root = ET.fromstring(bars(rows))
    assert "6 of 48" in texts(root) and "3 of 14" in texts(root)
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/regions/asia/"]


def test_region_bars_escape_text():
    svg = bars([(HOSTILE, 1, 2, "/r/?a=1&b=2")], title=HOSTILE)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert HOSTILE in texts(root)
    assert next(root.iter(f"{SVG}a")).get("href") == "/r/?a=1&b=2"


def test_region_bars_empty():
    root = ET.fromstring(bars([]))
    assert bar_groups(root) == []


# --------------------------------------------------------------------------- narrow layouts


def font_sizes(root):
    """The font size of every text, inherited from its ancestors as a browser would."""
    sizes = []

    def walk(element, size):
        size = float(element.get("font-size", size))
        if element.tag == f"{SVG}text":
            sizes.append(size)
        for child in element:
            walk(child, size)

    walk(root, 16)
    return sizes


POINTS = [(LAUNCH, 61), (PRAGUE, 67)]
LONG_EVENTS = [*EVENTS, (dt.date(2024, 5, 1), "A meeting with a very long name " * 3)]


@pytest.mark.parametrize(
    "svg",
    [
        timeline(POINTS, events=LONG_EVENTS, end=dt.date(2026, 1, 1), narrow=True),
        render_region_bars(
            [("Europe", 41, 44, "/e/"), ("Latin America and the Caribbean", 3, 33, "/l/")],
            title="By region",
            description="Bars",
            narrow=True,
        ),
    ],
    ids=["timeline", "region-bars"],
)
def test_narrow_layouts_are_340_units_wide_with_text_of_14(svg):
    root = ET.fromstring(svg)
    assert root.get("viewBox").split()[2] == "340"
    assert "narrow" in root.get("class").split()
    # 340 units on a chart 328 pixels wide (a 360-pixel phone): 14 units are 13.5 pixels.
    assert min(font_sizes(root)) >= 14
    for element in root.iter(f"{SVG}text"):
        if element.get("x"):
            assert 0 <= float(element.get("x")) <= 340


def test_wide_layouts_keep_text_of_12_at_least():
    for svg in [
        timeline(POINTS, events=EVENTS),
        render_region_bars([("Europe", 41, 44, "/e/")], title="t", description="d"),
    ]:
        root = ET.fromstring(svg)
        assert root.get("viewBox").split()[2] == "720"
        assert "narrow" not in root.get("class").split()
        assert min(font_sizes(root)) >= 12


def test_narrow_timeline_numbers_its_events_and_lists_them_below():
    root = ET.fromstring(timeline(POINTS, events=LONG_EVENTS, narrow=True))
    markers = [g for g in root.iter(f"{SVG}g") if g.get("data-date")]
    assert [
        "".join(g.find("svg:text", NS).itertext()).startswith(str(i))
        for i, g in enumerate(markers, 1)
    ] == [True] * 3
    assert markers[0].find("svg:text/svg:title", NS).text == "Launch"
    key = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "event-key"]
    assert key[:2] == ["Launch", "Prague event"]
    assert len(key) > 3  # the long name wraps
    assert " ".join(key[2:]) == " ".join(LONG_EVENTS[2][1].split())


def test_two_layouts_of_one_chart_have_different_ids():
    wide = ET.fromstring(timeline(POINTS))
    narrow = ET.fromstring(timeline(POINTS, narrow=True))
    assert wide.get("aria-labelledby") != narrow.get("aria-labelledby")


def test_year_labels_thin_out_when_years_are_close():
    root = ET.fromstring(timeline([(dt.date(2000, 1, 1), 1)], end=dt.date(2030, 1, 1), narrow=True))
    years = [int(el.get("data-year")) for el in root.iter(f"{SVG}text") if el.get("data-year")]
    assert 3 <= len(years) <= 10
    xs = [float(el.get("x")) for el in root.iter(f"{SVG}text") if el.get("data-year")]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) > 4 * 14 * 0.6


# --------------------------------------------------------------------------- right to left


def x_of_points(root):
    return {el.get("data-date"): float(el.get("cx")) for el in root.iter(f"{SVG}circle")}


@pytest.mark.parametrize("narrow", [False, True])
def test_in_arabic_time_runs_from_the_right_and_the_counts_stand_on_the_right(narrow):
    points = [(LAUNCH, 61), (PRAGUE, 68)]
    with translation.override("en"):
        english = ET.fromstring(timeline(points, events=EVENTS, narrow=narrow))
    with translation.override("ar"):
        arabic = ET.fromstring(timeline(points, events=EVENTS, narrow=narrow))
    assert english.get("direction") == "ltr" and arabic.get("direction") == "rtl"
    width = float(english.get("viewBox").split()[2])
    left_to_right, right_to_left = x_of_points(english), x_of_points(arabic)
    assert left_to_right["2022-04-28"] < left_to_right["2022-11-02"]
    assert right_to_left["2022-04-28"] > right_to_left["2022-11-02"]
    for day, x in left_to_right.items():
        assert right_to_left[day] == pytest.approx(width - x, abs=0.1)
    ticks = [float(el.get("x")) for el in arabic.iter(f"{SVG}text") if el.get("data-tick")]
    assert min(ticks) > max(right_to_left.values())  # the counts' axis on the right


def test_in_arabic_a_regions_bar_grows_from_the_right():
    rows = [("Africa", 12, 54, "/regions/africa/")]
    with translation.override("ar"):
        root = ET.fromstring(bars(rows))
    assert root.get("direction") == "rtl"
    full, endorsed = bar_groups(root)[0].findall("svg:rect", NS)
    right_edge = float(full.get("x")) + float(full.get("width"))
    assert float(endorsed.get("x")) + float(endorsed.get("width")) == pytest.approx(right_edge)
    assert float(endorsed.get("x")) > float(full.get("x"))
