"""A visitor in Chromium: the home page, the filtered list, a participant, the downloads, print."""

import csv
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from declaration.models import Declaration
from signatories.counting import ENDORSER_STATUSES
from signatories.filters import ParticipantFilter
from signatories.models import Participant

pytestmark = pytest.mark.browser

LIST = reverse("signatories:participant-list")
EUROPE_SINCE_MAY = {"region": "150", "endorsed_after": "2022-05-01"}
FILTERED_LIST = f"{LIST}?{urlencode(EUROPE_SINCE_MAY)}"
MAP_STATUSES = """() => Object.fromEntries(
    [...document.querySelector("figure.map object").contentDocument.querySelectorAll("[data-code]")]
        .map((shape) => [shape.dataset.code, shape.dataset.status]))"""


def listed(params):
    """The participants the list shows for these parameters, as the filter selects them."""
    return [participant.slug for participant in ParticipantFilter(params).qs]


def shown(page):
    return page.locator("table.participants tbody tr").evaluate_all(
        "rows => rows.map((row) => row.dataset.slug)"
    )


def heading(count):
    return f"{count} participant{'s' if count != 1 else ''} match{'es' if count == 1 else ''}"


def fits_the_screen(page):
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def wait_for_map(page):
    page.wait_for_function(
        """() => document.querySelector("figure.map object")
            .contentDocument?.querySelector("svg [data-status]")"""
    )


def test_home_shows_the_headline_figures_and_the_map(page, phone_page, screenshot):
    everyone = Participant.objects.with_record(Declaration.objects.get(slug="dfi"))
    endorsers = everyone.filter(status_on__in=ENDORSER_STATUSES).count()

    page.goto("/")
    disputed = everyone.filter(status_on="disputed").count()
    expect(page.locator(".headline")).to_have_text(
        f"{endorsers} endorsers, {disputed} of them disputed, of {everyone.count()} participants."
        " How the figures are counted"
    )
    expect(page.locator("figure.map object")).to_be_visible()
    wait_for_map(page)
    statuses = page.evaluate(MAP_STATUSES)
    assert statuses["NO"] == "endorsed"
    assert statuses["BR"] == "none"
    assert page.locator("figure.map object").bounding_box()["height"] > 300
    screenshot(page, "home-desktop")

    phone_page.goto("/")
    wait_for_map(phone_page)
    assert fits_the_screen(phone_page)


def test_visitor_filters_the_list_and_opens_a_participant(page, phone_page, screenshot):
    everyone = listed({})
    expected = listed(EUROPE_SINCE_MAY)
    assert 0 < len(expected) < len(everyone)

    page.goto(LIST)
    expect(page.locator("#results-heading")).to_have_text(heading(len(everyone)))
    page.get_by_label("Region:", exact=True).select_option("150")
    page.get_by_label("Endorsed on or after:", exact=True).fill("2022-05-01")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator("#results-heading")).to_have_text(heading(len(expected)))
    assert shown(page) == expected
    query = parse_qs(urlsplit(page.url).query)
    assert query["region"] == ["150"]
    assert query["endorsed_after"] == ["2022-05-01"]
    expect(page.locator(".filter-summary")).to_contain_text("in Europe (150)")
    expect(page.locator(".filter-summary")).to_contain_text("endorsed on or after 1 May 2022")
    wait_for_map(page)
    screenshot(page, "list-filtered-desktop")

    page.locator("table.participants").get_by_role("link", name="Norway").click()
    expect(page).to_have_url(reverse("signatories:participant-detail", args=["norway"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Norway")
    norway = Participant.objects.get(slug="norway")
    urls = [source.url for e in norway.endorsements.all() for source in e.sources.all()]
    links = page.locator("ul.sources a")
    assert links.evaluate_all("links => links.map((a) => a.href)") == urls
    for link in links.all():  # a source opens in a new tab that cannot reach back to ours
        assert link.get_attribute("target") == "_blank"
        assert {"noopener", "noreferrer"} <= set(link.get_attribute("rel").split())
    screenshot(page, "participant-desktop")

    phone_page.goto(FILTERED_LIST)
    assert shown(phone_page) == expected
    assert fits_the_screen(phone_page)
    screenshot(phone_page, "list-filtered-phone")
    phone_page.goto(reverse("signatories:participant-detail", args=["norway"]))
    assert fits_the_screen(phone_page)


def test_downloads_hold_the_rows_of_the_filtered_list(page, tmp_path):
    page.goto(FILTERED_LIST)
    names = page.locator("table.participants tbody th").all_inner_texts()
    assert len(names) == len(listed(EUROPE_SINCE_MAY))

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    with open(csv_download.value.path(), encoding="utf-8-sig", newline="") as file:
        assert [row["Name"] for row in csv.DictReader(file)] == names

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel (XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    header, *rows = workbook["Participants"].iter_rows(values_only=True)
    assert [row[header.index("Name")] for row in rows] == names


def test_keyboard_only_visitor_reaches_the_filters_and_the_results(page):
    page.goto(LIST)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    def tab_to(selector, most=80):
        for _ in range(most):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return page.locator(":focus")
        raise AssertionError(f"Tab never reached {selector}")

    name = tab_to("#id_q")
    assert name.evaluate("(e) => getComputedStyle(e).outlineStyle") != "none"  # focus shows
    page.keyboard.type("nor")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["nor"])
    expected = listed({"q": "nor"})
    assert "norway" in expected
    expect(page.locator("#results-heading")).to_have_text(heading(len(expected)))

    link = tab_to("table.participants tbody a")
    assert link.evaluate("(e) => getComputedStyle(e).outlineStyle") != "none"
    first = link.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(first)


def test_print_view_of_a_filtered_list_hides_navigation(page):
    page.goto(FILTERED_LIST)
    page.emulate_media(media="print")
    for selector in [".site-header nav", ".breadcrumbs", ".skip-link", "form.filters", ".exports"]:
        for element in page.locator(selector).all():  # the filters and the comparison's form
            expect(element).to_be_hidden()
    expect(page.locator("table.participants")).to_be_visible()
    expect(page.locator(".filter-summary")).to_contain_text("in Europe (150)")
    expect(page.locator(".filter-summary .print-only")).to_be_visible()

    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator("form#filters")).to_be_visible()
