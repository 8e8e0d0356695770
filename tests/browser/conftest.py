"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server.

Where Chromium (or axe-core, for the accessibility checks) is missing they skip, and the run ends
with one line saying how to enable them; with REQUIRE_BROWSER_TESTS set (CI) they fail instead.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BASE_DIR / "tests" / "screenshots"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

NO_CHROMIUM = (
    f"Browser tests skipped: no Chromium at {CHROMIUM}. Enable them with "
    "`sudo apt-get install chromium` (or CHROMIUM=/path/to/chromium), then `make test`."
)
NO_AXE = (
    f"Accessibility checks skipped: no {AXE.relative_to(BASE_DIR)}. Enable them with `npm ci` "
    "(Node.js and npm), or `make test`, which runs it when npm is there."
)
skipped = set()


def skip(reason):
    if os.environ.get("REQUIRE_BROWSER_TESTS"):  # CI: they must run
        pytest.fail(reason, pytrace=False)
    skipped.add(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    for reason in sorted(skipped):
        terminalreporter.write_line(reason, yellow=True)


@pytest.fixture(scope="module")
def seed_after(django_db_setup, django_db_blocker):
    """The live server's tests flush the database after each test: give the seed back once the
    module is done, for the rest of the suite."""
    yield
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(scope="module")
def browser(seed_after):
    """Headless Chromium, the Debian package's: Playwright never downloads a browser here."""
    if not os.access(CHROMIUM, os.X_OK):
        skip(NO_CHROMIUM)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread, so Django takes the
        # tests for async code: it would refuse their database queries (and the flush) without
        # this, and it keeps their connections apart from the thread's usual ones.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            yield chromium
            chromium.close()
            connections.close_all()  # those connections, or they outlive the test database


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, with the static files served as in production: by WhiteNoise,
    from the collected files with hashed names (Django's finders know no hashed names)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(browser, live_server):
    """The live server's address, on the seeded database (reloaded after a previous flush)."""
    call_command("seed", verbosity=0)
    return live_server.url


@pytest.fixture
def open_page(browser, site):
    """Open a page in a new browser context; the test fails on any request to another host and
    on any script error or error in the console."""
    offsite, errors, contexts = [], [], []

    def local(request):
        return urlsplit(request.url).hostname in LOCAL_HOSTS

    def guard(route):
        if local(route.request):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def console(page, message):
        # The public pages link their icon; on the admin's, Chromium asks for /favicon.ico (a 404).
        where = message.location["url"]
        if message.type == "error" and urlsplit(where).path != "/favicon.ico":
            errors.append(f"{page.url}: {message.text} ({where})")

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=site, locale="en-GB", **options)
        context.route("**/*", guard)
        # Every request, redirects too (the route sees only the first of a chain).
        context.on("request", lambda request: local(request) or offsite.append(request.url))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: console(page, message))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not offsite, f"requests to other hosts: {offsite}"
    assert not errors, f"errors in the browser: {errors}"


@pytest.fixture
def page(open_page):
    """A desktop-sized page."""
    return open_page()


@pytest.fixture
def phone_page(open_page):
    """A phone-sized page."""
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def axe_source():
    if not AXE.is_file():
        skip(NO_AXE)
    return AXE


@pytest.fixture
def screenshot():
    """Save a page to tests/screenshots/<name>.png (the README's are copied from there)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def screenshot(page, name, *, height=None):
        """The whole page, or its first ``height`` pixels (a phone's long list)."""
        clip = None
        if height:
            whole = page.evaluate("document.documentElement.scrollHeight")
            clip = {
                "x": 0,
                "y": 0,
                "width": page.viewport_size["width"],
                "height": min(height, whole),
            }
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, clip=clip)

    return screenshot
