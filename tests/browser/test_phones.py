"""Every public page on a phone, 360 and 390 pixels wide: nothing scrolls sideways, each row's
status and date are in view, the text of the map and the charts is at least 12 pixels on screen
(at any width), and the list's filters fold into a disclosure. It saves the README's phone
screenshots."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from signatories.models import Endorsement, Source

from .conftest import DESKTOP, PHONE
from .test_accessibility import RUN_AXE
from .test_time_control import wait_for_map_on

pytestmark = pytest.mark.browser

LIST = reverse("signatories:participant-list")
FORUM = reverse("signatories:forum-detail", args=["oecd"])
PAGES = [
    reverse("signatories:home"),
    LIST,
    f"{LIST}?region=150&endorsed_after=2022-05-01",
    f"{LIST}?forum=g7&status=none",
    reverse("signatories:participant-detail", args=["norway"]),
    reverse("signatories:region-list"),
    reverse("signatories:forum-list"),
    FORUM,
    reverse("signatories:changes"),
    reverse("signatories:methods"),
    reverse("declaration:detail", args=["dfi"]),
]
WITH_FIGURES = [PAGES[0], PAGES[1], PAGES[2], reverse("signatories:region-list")]
PHONES = {360: {"width": 360, "height": 740}, 390: PHONE}
MIN_TEXT_PX = 12

# Every text of the charts (inline) and the maps (in their <object>) that is drawn, with its size
# on screen: its font size in the SVG's units times the SVG's scale, which is the width of the
# SVG's box on screen over the width of its viewBox.
TEXT_SIZES = """() => {
    const svgs = [
        ...document.querySelectorAll("figure.chart svg"),
        ...[...document.querySelectorAll("figure.map object")]
            .map((object) => object.contentDocument.documentElement),
    ];
    const sizes = [];
    for (const svg of svgs) {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        for (const text of svg.querySelectorAll("text")) {
            const box = text.getBoundingClientRect();
            if (box.width > 0 && box.height > 0) {
                const size = parseFloat(getComputedStyle(text).fontSize) * scale;
                sizes.push({text: text.textContent.slice(0, 40), px: size, height: box.height});
            }
        }
    }
    return sizes;
}"""
# Each row's status and date cells: where they are on screen.
ROW_CELLS = """(rows) => rows.map((row) => {
    const box = (cell) => {
        const r = cell.getBoundingClientRect();
        return {left: r.left, right: r.right, width: r.width, height: r.height};
    };
    return {
        slug: row.dataset.slug,
        status: box(row.querySelector(".cell-status")),
        date: box(row.querySelector(".cell-date")),
    };
})"""


@pytest.fixture(params=sorted(PHONES), ids=lambda width: f"{width}px")
def phone(request, open_page):
    return open_page(viewport=PHONES[request.param], is_mobile=True, has_touch=True)


@pytest.fixture
def corrected(site):
    """A correction to the record, so /changes/ has a table to show."""
    norway = Endorsement.objects.get(participant__slug="norway")
    # The seed was loaded seconds ago; a source added with it would be part of that recording.
    norway.history.filter(history_type="+").update(
        history_date=timezone.now() - datetime.timedelta(days=1)
    )
    Source.objects.create(
        endorsement=norway,
        url="https://example.org/an-added-source",
        title="An added source (an example)",
        position=9,
    )


def load(page, url):
    page.goto(url)
    page.wait_for_function(
        """() => [...document.querySelectorAll("figure.map object")]
            .every((object) => object.contentDocument?.querySelector("svg [data-status]"))"""
    )


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_public_page_scrolls_sideways(phone, corrected):
    width = phone.viewport_size["width"]
    wide = {}
    for url in PAGES:
        load(phone, url)
        if scroll_width(phone) > width:
            wide[url] = scroll_width(phone)
    assert wide == {}, f"wider than {width} px"
    load(phone, reverse("signatories:changes"))
    expect(phone.locator("table.changes tbody tr").first).to_be_visible()


@pytest.mark.parametrize("url", [LIST, FORUM])
def test_each_row_shows_its_status_and_date_in_view(phone, url):
    width = phone.viewport_size["width"]
    load(phone, url)
    rows = phone.locator("table.participants tbody tr").evaluate_all(ROW_CELLS)
    assert len(rows) > 20
    hidden = [
        (row["slug"], name)
        for row in rows
        for name in ("status", "date")
        if not (row[name]["width"] > 0 and 0 <= row[name]["left"] <= row[name]["right"] <= width)
    ]
    assert hidden == []


@pytest.mark.parametrize("width", [360, 390, 700, 1280])
def test_map_and_chart_text_is_at_least_12_pixels(open_page, width):
    page = open_page(viewport={"width": width, "height": 800}, is_mobile=width < 600)
    small = {}
    for url in WITH_FIGURES:
        load(page, url)
        sizes = page.evaluate(TEXT_SIZES)
        if page.locator("figure.chart").count():
            assert sizes, f"{url}: no text measured"
        if too_small := [s for s in sizes if s["px"] < MIN_TEXT_PX or s["height"] < MIN_TEXT_PX]:
            small[url] = too_small[:5]
        legend = page.locator(".map-legend").first
        if url != reverse("signatories:region-list"):
            # Below 640 pixels the map's own legend hides, and the page gives it in HTML.
            map_width = page.locator("figure.map object").first.bounding_box()["width"]
            if map_width < 640:
                expect(legend).to_be_visible()
                expect(legend).to_contain_text("Grey: not a participant here or no data")
            else:
                expect(legend).to_be_hidden()
    assert small == {}


def test_filters_fold_on_a_phone_and_open_with_the_keyboard(phone):
    load(phone, f"{LIST}?region=150")
    fold = phone.locator("details.filter-fold")
    region = phone.get_by_label("Region:", exact=True)
    expect(fold).not_to_have_attribute("open", "")
    expect(region).to_be_hidden()
    summary = fold.locator("summary")
    for _ in range(40):  # from the top of the page, by Tab alone
        phone.keyboard.press("Tab")
        if summary.evaluate("(element) => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    phone.keyboard.press("Enter")
    expect(fold).to_have_attribute("open", "")
    expect(region).to_be_visible()
    expect(region).to_have_value("150")
    phone.keyboard.press("Enter")
    expect(region).to_be_hidden()

    # Another day, shown in place by the date control, leaves the filters folded.
    phone.locator("a[data-step=previous]").click()
    expect(phone.locator("#time-status")).to_contain_text("Showing the record as of")
    expect(phone.locator("details.filter-fold")).not_to_have_attribute("open", "")
    assert scroll_width(phone) <= phone.viewport_size["width"]
    wait_for_map_on(phone, "2022-11-02")  # before the database is emptied behind the test


def test_filters_stay_open_on_a_wide_screen_and_without_scripts(open_page):
    page = open_page(viewport=DESKTOP)
    load(page, LIST)
    expect(page.locator("details.filter-fold")).to_have_attribute("open", "")
    expect(page.locator("details.filter-fold summary")).to_be_hidden()
    expect(page.get_by_label("Region:", exact=True)).to_be_visible()

    phone = open_page(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    phone.goto(LIST)
    expect(phone.get_by_label("Region:", exact=True)).to_be_visible()
    assert scroll_width(phone) <= PHONE["width"]


def test_no_serious_or_critical_violation_on_a_phone(axe_source, open_page, corrected):
    # The stacked tables, the folded filters and the HTML legend are only seen on a phone.
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    found = {}
    for url in [PAGES[2], reverse("signatories:region-list"), FORUM, PAGES[-3]]:
        load(page, url)
        page.add_script_tag(path=axe_source)
        if violations := page.evaluate(RUN_AXE, []):
            found[url] = violations
    assert found == {}


def test_phone_screenshots_for_the_readme(open_page, corrected, screenshot):
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    for name, url in [
        ("home-phone", reverse("signatories:home")),
        ("list-phone", f"{LIST}?region=150"),
        ("participant-phone", reverse("signatories:participant-detail", args=["norway"])),
        ("regions-phone", reverse("signatories:region-list")),
        ("forums-phone", reverse("signatories:forum-list")),
        ("changes-phone", reverse("signatories:changes")),
    ]:
        load(phone, url)
        assert scroll_width(phone) <= PHONE["width"], url
        screenshot(phone, name, height=2400)
