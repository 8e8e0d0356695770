"""The language menu in Chromium: reached by keyboard, it opens the same page and parameters in
another language, which says its language and direction."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_keyboard_only_visitor_opens_the_same_list_in_french_then_arabic(page):
    page.goto("/participants/?region=150")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('lang') === 'fr'"):
            break
    else:
        raise AssertionError("Tab never reached the language menu's Français")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Français")
    assert focused.evaluate("(e) => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/participants/?region=150")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("table.participants")).to_contain_text("Norvège")

    page.locator("nav.languages").get_by_text("العربية").click()
    page.wait_for_url("**/ar/participants/?region=150")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("table.participants")).to_contain_text("النرويج")
    # Right to left: the table's first column is on the right.
    header = page.locator("table.participants thead th").first.bounding_box()
    last = page.locator("table.participants thead th").last.bounding_box()
    assert header["x"] > last["x"]
