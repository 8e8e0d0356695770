"""Another site frames an embed page: it loads, and its link opens the full view in the top
window; a regular page framed the same way stays empty."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, LOCAL_HOSTS

pytestmark = pytest.mark.browser

EMBED = reverse("data:embed-map") + "?region=150"
LIST = reverse("signatories:participant-list")


@pytest.fixture
def other_site(site):
    """A page on another origin (127.0.0.1 and a port of its own; the live server is
    localhost) that frames an embed page and the list, as another site would."""
    page = (
        "<!DOCTYPE html><html lang=en><title>Another site</title>"
        f'<iframe name="embed" title="Embedded map" src="{site}{EMBED}" width="900" height="700">'
        "</iframe>"
        f'<iframe name="regular" title="The list" src="{site}{LIST}" width="900" height="300">'
        "</iframe>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_embed_loads_in_a_frame_of_another_site_and_a_regular_page_does_not(
    browser, other_site, site
):
    # A context of its own: Chromium reports the refused frame in the console, as it should.
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    offsite = []
    context.on(
        "request",
        lambda request: (
            urlsplit(request.url).hostname in LOCAL_HOSTS
            or request.url.startswith(("data:", "chrome-error:"))
            or offsite.append(request.url)
        ),
    )
    try:
        page = context.new_page()
        page.goto(other_site)
        embed = page.frame_locator("iframe[name=embed]")
        expect(embed.locator("h1")).to_contain_text("Who has endorsed the")
        expect(embed.locator('svg [data-code="NO"]')).to_have_attribute("data-status", "endorsed")
        expect(embed.locator(".embed-selection")).to_contain_text("in Europe (150)")

        regular = page.frame(name="regular")
        regular.wait_for_load_state()
        assert not regular.url.startswith(site)  # Chromium's error page, not the list
        assert page.frame_locator("iframe[name=regular]").locator("main#main").count() == 0

        embed.get_by_role("link", name="The full view").click()
        page.wait_for_url(f"{site}{LIST}?region=150&as_of=*")  # the top window, not the frame
        expect(page.locator("h1")).to_have_text("Participants")
    finally:
        context.close()
    assert not offsite, offsite
