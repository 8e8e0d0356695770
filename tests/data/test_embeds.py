"""The pages another site may frame, and the panel that offers them: a view's permalink, its
embed code and its figures and report as files."""

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMBED_MAP = reverse("data:embed-map")
EMBED_FIGURES = reverse("data:embed-figures")
LIST = reverse("signatories:participant-list")
HOME = reverse("signatories:home")


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy).group(1).strip()


@pytest.mark.parametrize("url", [EMBED_MAP, EMBED_FIGURES])
def test_an_embed_may_be_framed_by_any_site_and_sets_no_cookie(client, url):
    response = client.get(url, {"region": "150", "as_of": "2022-11-30"})
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    assert not response.cookies and "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()
    page = response.content.decode()
    full_view = f"http://testserver{LIST}?region=150&amp;as_of=2022-11-30"
    assert re.search(rf'<a href="{re.escape(full_view)}" target="_top">', page)
    assert "Record as of <strong>30 November 2022</strong>; in Europe (150)." in page
    assert 'data-code="NO"' in page  # the map, inline (an <object> would be refused a frame)
    assert "<object" not in page and "<script" not in page
    assert "Declaration tracker, “Endorsements of the" in html.unescape(page)


def test_the_figures_embed_adds_the_headline_and_the_timeline(client):
    page = client.get(EMBED_FIGURES, {"region": "150"}).content.decode()
    assert re.search(r"<strong>\d+</strong> endorsers? of \d+ participants", page)
    assert 'class="timeline"' in page
    assert 'class="timeline"' not in client.get(EMBED_MAP).content.decode()


@pytest.mark.parametrize(
    "url", [LIST, HOME, reverse("signatories:participant-detail", args=["norway"])]
)
def test_the_other_pages_still_refuse_to_be_framed(client, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "'none'"


def test_bad_parameters_get_a_400(client):
    response = client.get(EMBED_MAP, {"region": "999"})
    assert response.status_code == 400
    assert "Bad parameter “region”" in response.content.decode()


@pytest.mark.parametrize("url", [LIST, HOME])
def test_the_share_panel_gives_the_permalink_the_embed_code_and_the_files(client, url):
    page = client.get(url, {"region": "150", "as_of": "2022-11-30"}).content.decode()
    panel = re.search(r'<details class="share".*?</details>', page, re.S).group(0)
    query = "region=150&amp;as_of=2022-11-30"
    assert "<summary>Share or embed this view</summary>" in panel
    assert re.search(
        rf'<input type="url" id="share-permalink" readonly value="http://testserver{url}\?{query}">',
        panel,
    )
    assert '<label for="share-embed">' in panel
    code = html.unescape(
        re.search(r'<textarea id="share-embed" readonly[^>]*>(.*?)</textarea>', panel, re.S).group(
            1
        )
    )
    assert code.startswith(
        f'<iframe src="http://testserver{EMBED_FIGURES}?region=150&as_of=2022-11-30" title="'
    )
    for name in ("data:map-png", "data:timeline-png", "data:export-pdf"):
        assert f'href="{reverse(name)}?{query}"' in panel
    for name in ("signatories:map", "signatories:timeline"):
        assert f'href="{reverse(name)}?{query}&amp;caption=1"' in panel
