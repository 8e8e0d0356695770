"""The home page and the list in Arabic and Chinese, at desktop and phone widths (390 and 360
pixels): the page says its language and direction, shows its own script, scrolls not sideways,
has no serious or critical axe-core violation, and is saved as a screenshot; the language menu
is reached and followed by keyboard alone."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE
from .test_accessibility import RUN_AXE
from .test_phones import PHONES, load, scroll_width

pytestmark = pytest.mark.browser

# Each language: <html lang> and dir, and Norway and the region Europe (M49 150) in its words.
LANGUAGES = {
    "ar": {"lang": "ar", "dir": "rtl", "norway": "النرويج", "europe": "أوروبا"},
    "zh-hans": {"lang": "zh-Hans", "dir": "ltr", "norway": "挪威", "europe": "欧洲"},
}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE, "phone-360": PHONES[360]}


def url(name, language, query=""):
    with translation.override(language):
        return reverse(name) + query


def pages(language):
    """The home page and Europe's list, by the screenshot's name."""
    return {
        "home": url("signatories:home", language),
        "list": url("signatories:participant-list", language, "?region=150"),
    }


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_home_and_list_in_each_script(axe_source, open_page, screenshot, language, width):
    expected = LANGUAGES[language]
    viewport = WIDTHS[width]
    phone = {"is_mobile": True, "has_touch": True} if width.startswith("phone") else {}
    # axe is injected as an inline script, which the pages' CSP refuses without this.
    page = open_page(viewport=viewport, bypass_csp=True, **phone)
    found, wide = {}, {}
    for name, address in pages(language).items():
        load(page, address)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", expected["lang"])
        expect(html).to_have_attribute("dir", expected["dir"])
        expect(page.locator("main a", has_text=expected["norway"]).first).to_be_visible()
        if name == "list":
            region = page.locator('select[name="region"] option:checked')
            expect(region).to_contain_text(expected["europe"])
        if scroll_width(page) > viewport["width"]:
            wide[address] = scroll_width(page)
        screenshot(
            page, f"{language}-{name}-{width}", height=2400 if width.startswith("phone") else None
        )
        page.add_script_tag(path=axe_source)
        if violations := page.evaluate(RUN_AXE, []):
            found[address] = violations
    assert wide == {}, f"wider than {viewport['width']} px"
    assert found == {}


def tab_to(page, target, *, presses=60):
    """Press Tab until ``target`` (a locator) has the focus, unless it has it already."""
    for _ in range(presses + 1):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{presses} presses of Tab never reached {target}")


def focused_in_language_menu(page):
    return page.evaluate(
        """() => {
            const focused = document.activeElement;
            return focused.tagName === "A" && Boolean(focused.closest("nav.languages"));
        }"""
    )


@pytest.mark.parametrize(
    ("language", "to", "expected_path"),
    [
        ("ar", "en", "/participants/"),
        ("ar", "fr", "/fr/participants/"),
        ("zh-hans", "en", "/participants/"),
        ("zh-hans", "fr", "/fr/participants/"),
    ],
)
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_language_menu_by_keyboard_keeps_the_page_and_its_parameters(
    open_page, language, to, expected_path, width
):
    phone = {"is_mobile": True, "has_touch": True} if width.startswith("phone") else {}
    page = open_page(viewport=WIDTHS[width], **phone)
    load(page, url("signatories:participant-list", language, "?region=150"))
    menu = page.locator("nav.languages")
    # The first of the menu's links is reached by Tab from the top of the page.
    first = menu.locator("a").first
    tab_to(page, first)
    assert focused_in_language_menu(page)
    target = menu.locator(f'a[hreflang="{to}"]')
    tab_to(page, target, presses=6)
    assert focused_in_language_menu(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{expected_path}?region=150")
    expect(page.locator("html")).to_have_attribute("lang", to)
    expect(page.locator('select[name="region"]')).to_have_value("150")
    load(page, page.url)  # the map drawn before the database is emptied behind the test
