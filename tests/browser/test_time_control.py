"""The date control in Chromium: with scripts off a form and links, with them the same in place."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from declaration.models import Declaration
from signatories.counting import ENDORSER_STATUSES
from signatories.models import Participant
from tests.browser.test_visitor import MAP_STATUSES, fits_the_screen, heading, listed, wait_for_map

pytestmark = pytest.mark.browser

LIST = reverse("signatories:participant-list")
SMALL_PHONE = {"width": 360, "height": 740}
MAP_ADDRESS = "() => document.querySelector('figure.map object').getAttribute('data')"


def endorsers(day):
    everyone = Participant.objects.with_record(Declaration.objects.get(slug="dfi"), on=day)
    return everyone.filter(status_on__in=ENDORSER_STATUSES).count()


def query(url):
    return parse_qs(urlsplit(url).query)


def wait_for_map_on(page, day):
    """The map's address names the day and its drawing has loaded."""
    page.wait_for_function(
        """([day, words]) => {
            const map = document.querySelector("figure.map object");
            return map.getAttribute("data").includes("as_of=" + day)
                && map.contentDocument?.querySelector("svg title")?.textContent.includes(words);
        }""",
        arg=[day, f"{datetime.date.fromisoformat(day):%-d %B %Y}"],
    )


def test_without_scripts_the_form_and_the_steps_are_permalinks(open_page):
    page = open_page(java_script_enabled=False)
    page.goto(f"{LIST}?region=150")
    page.get_by_label("Show the record as of").fill("2022-11-01")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(lambda url: query(url).get("as_of") == ["2022-11-01"])
    assert query(page.url) == {"region": ["150"], "as_of": ["2022-11-01"]}
    expected = listed({"region": "150", "as_of": "2022-11-01"})
    expect(page.locator("#results-heading")).to_have_text(heading(len(expected)))
    expect(page.locator(".filter-summary")).to_contain_text("as of 1 November 2022")
    assert "norway" not in expected

    page.get_by_role("link", name="Next change to the record: 2 November 2022").click()
    page.wait_for_url(lambda url: query(url).get("as_of") == ["2022-11-02"])
    assert query(page.url) == {"region": ["150"], "as_of": ["2022-11-02"]}
    expect(page.locator("tr[data-slug=norway]")).to_be_visible()
    expect(page.get_by_text("No later change to the record")).to_be_visible()

    page.goto("/")
    page.get_by_label("Show the record as of").fill("2022-04-29")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(lambda url: query(url) == {"as_of": ["2022-04-29"]})
    expect(page.locator("#figures-heading")).to_have_text("The record on 29 April 2022")
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-04-29")))


def test_with_scripts_the_day_changes_in_place_and_the_address_follows(page):
    page.goto("/?as_of=2022-11-01")
    wait_for_map(page)
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-11-01")))
    assert page.evaluate(MAP_STATUSES)["NO"] == "none"
    page.evaluate("window.sameDocument = true")  # gone if the page loads again

    # A keyboard user follows "next change": the day after is the last, so focus moves to the
    # step that is left.
    page.get_by_role("link", name="Next change to the record").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: query(url) == {"as_of": ["2022-11-02"]})
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-11-02")))
    expect(page.locator("#figures-heading")).to_have_text("The record on 2 November 2022")
    expect(page.locator("#time-status")).to_have_text("Showing the record as of 2 November 2022.")
    expect(page.get_by_label("Show the record as of")).to_have_value("2022-11-02")
    assert page.evaluate(MAP_ADDRESS) == "/map.svg?as_of=2022-11-02"
    wait_for_map_on(page, "2022-11-02")
    assert page.evaluate(MAP_STATUSES)["NO"] == "endorsed"
    previous = page.get_by_role("link", name="Previous change to the record: 29 April 2022")
    expect(previous).to_be_focused()
    assert page.evaluate("window.sameDocument") is True

    # The date itself.
    page.get_by_label("Show the record as of").fill("2022-04-28")
    page.wait_for_url(lambda url: query(url) == {"as_of": ["2022-04-28"]})
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-04-28")))
    expect(page.locator("#time-status")).to_have_text("Showing the record as of 28 April 2022.")
    assert page.evaluate(MAP_ADDRESS) == "/map.svg?as_of=2022-04-28"
    expect(page.get_by_text("No earlier change to the record")).to_be_visible()
    expect(page.get_by_label("Show the record as of")).to_be_focused()

    # Back and forward through history.
    page.go_back()
    page.wait_for_url(lambda url: query(url) == {"as_of": ["2022-11-02"]})
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-11-02")))
    expect(page.get_by_label("Show the record as of")).to_have_value("2022-11-02")
    page.go_back()
    page.wait_for_url(lambda url: query(url) == {"as_of": ["2022-11-01"]})
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers("2022-11-01")))
    assert page.evaluate(MAP_ADDRESS) == "/map.svg?as_of=2022-11-01"
    assert page.evaluate("window.sameDocument") is True


def test_with_scripts_the_list_keeps_its_filters(page):
    page.goto(f"{LIST}?region=150&as_of=2022-11-01")
    wait_for_map(page)
    page.evaluate("window.sameDocument = true")
    page.get_by_label("Show the record as of").fill("2022-11-02")
    page.wait_for_url(lambda url: query(url).get("as_of") == ["2022-11-02"])
    assert query(page.url) == {"region": ["150"], "as_of": ["2022-11-02"]}
    expected = listed({"region": "150", "as_of": "2022-11-02"})
    expect(page.locator("#results-heading")).to_have_text(heading(len(expected)))
    expect(page.locator("tr[data-slug=norway]")).to_be_visible()
    assert page.evaluate(MAP_ADDRESS) == "/map.svg?region=150&as_of=2022-11-02"
    wait_for_map_on(page, "2022-11-02")
    # The filter form shows the same day, so applying it keeps it.
    expect(page.get_by_label("Record as of:", exact=True)).to_have_value("2022-11-02")
    assert page.evaluate("window.sameDocument") is True


def test_the_control_fits_a_small_phone_and_hides_in_print(open_page):
    phone = open_page(viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    for url in ["/?as_of=2022-11-01", f"{LIST}?region=150&as_of=2022-11-01"]:
        phone.goto(url)
        control = phone.locator("form.time-control")
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"], url
        assert fits_the_screen(phone), url
        phone.emulate_media(media="print")
        expect(phone.locator("form.time-control")).to_be_hidden()
        phone.emulate_media(media="screen")
