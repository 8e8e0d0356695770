"""Security, as a visitor and an attacker see it: headers, cookies, throttling, writes, escaping."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from signatories.models import Action, Endorsement, Event, Participant
from tests.factories import ParticipantFactory, SourceFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/participants/",
    "/participants/?q=bra&status=endorsed",
    "/participants/brazil/",
    "/forums/",
    "/regions/",
    "/declarations/dfi/",
    "/admin/login/",
    "/healthz",
]
EVIL = "<script>alert('x')</script> & \"quoted\""


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_security_headers(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    csp = csp_directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    hsts = dict(
        (part.strip().partition("=")[::2])
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_map_may_be_framed_by_our_own_pages_only(client):
    response = client.get(reverse("signatories:map"), secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(response)["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(client):
    for url in PAGES[:-1]:
        body = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", body), url
        assert not re.search(r"\sstyle=|<style", body), url
        assert not re.search(r"\son[a-z]+=", body), url


def test_session_and_csrf_cookies_are_secure_and_http_only(admin_user):
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("admin:login"), secure=True)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        reverse("admin:login"),
        {
            "username": "admin",
            "password": "password",
            "csrfmiddlewaretoken": csrf.value,
            "next": "/admin/",
        },
        secure=True,
        REMOTE_ADDR="192.0.2.1",
        HTTP_REFERER="https://testserver/admin/login/",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]


def login_attempt(client, password, address="192.0.2.7", username="admin"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_failed_logins_lock_the_account_for_that_address_for_a_while(client, admin_user):
    for _ in range(4):
        assert login_attempt(client, "wrong").status_code == 200
    locked = login_attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many login attempts" in locked.content.decode()
    assert "1:00:00" in locked.content.decode()
    # Even the right password is refused during the cool-off...
    assert login_attempt(client, "password").status_code == 429
    # ...but only for that account from that address.
    assert login_attempt(Client(), "password", address="192.0.2.8").status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, admin_user, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        login_attempt(client, "wrong")
    assert login_attempt(client, "password").status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert login_attempt(client, "password").status_code == 302


def test_failures_behind_the_proxy_count_per_client_address(client, admin_user, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4",
        )
    blocked = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.2, 198.51.100.4",  # a forged left part changes nothing
    )
    assert blocked.status_code == 429
    other = Client().post(
        reverse("admin:login"),
        {"username": "admin", "password": "password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.5",
    )
    assert other.status_code == 302


def _public_urls(resolver=None, prefix=""):
    """Every route outside the admin, with its parameters filled from the seed."""
    resolver = resolver or get_resolver()
    fill = {"slug": "brazil", "pk": "1", "format": "json"}
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _public_urls(pattern, route)
        elif isinstance(pattern, URLPattern):
            route = route.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\Z", "")
            route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: fill.get(m[1], "x"), route)
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: fill.get(m[1], "x"), route)
            yield "/" + route.replace("/?", "/")


def test_the_url_walk_finds_every_public_route():
    urls = set(_public_urls())
    assert {"/", "/participants/", "/participants/brazil/", "/map.svg", "/healthz"} <= urls
    assert len(urls) >= 15


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("enforce_csrf", [True, False])
def test_anonymous_visitors_cannot_write_anything(method, enforce_csrf):
    client = Client(enforce_csrf_checks=enforce_csrf)
    counts = (Participant.objects.count(), Endorsement.objects.count())
    for url in sorted(set(_public_urls())):
        response = getattr(client, method)(url, {"name": "x"}, content_type="application/json")
        assert response.status_code in (403, 405), (method, url, response.status_code)
    assert (Participant.objects.count(), Endorsement.objects.count()) == counts


def test_admin_forms_enforce_csrf(admin_user, dfi, participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    add = reverse("admin:signatories_endorsement_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"participant": participant.pk, "declaration": dfi.pk})
    assert response.status_code == 403
    assert not participant.endorsements.exists()


def test_the_admin_loads_under_the_strict_policy(admin_client):
    for name in [
        "admin:index",
        "admin:signatories_endorsement_add",
        "admin:signatories_participant_changelist",
    ]:
        response = admin_client.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", body), name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.fixture
def evil_record(dfi):
    """An editor's text that would run if it were not escaped, on a participant not on the map."""
    event = Event.objects.create(declaration=dfi, name=EVIL, held_on=datetime.date(2023, 1, 2))
    participant = ParticipantFactory(name=EVIL, slug="evil")
    SourceFactory(
        endorsement__participant=participant,
        endorsement__declaration=dfi,
        endorsement__endorsed_on=datetime.date(2099, 1, 1),
        endorsement__event=event,
        endorsement__note=EVIL,
        title=EVIL,
    )
    Endorsement.objects.filter(participant=participant).update(
        endorsed_on=datetime.date(2023, 1, 2)
    )
    Action.objects.filter(endorsement__participant=participant).update(
        taken_on=datetime.date(2023, 1, 2)
    )
    return participant


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/participants/",
        "/participants/evil/",
        "/map.svg",
        "/map.svg?q=<script>alert('x')</script>",
        "/participants/?q=<script>alert('x')</script>",
        "/feeds/endorsements.atom",
    ],
)
def test_editors_text_is_escaped_everywhere(client, evil_record, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body


def test_the_declaration_page_escapes_event_names(client, evil_record):
    assert "<script>" not in client.get("/declarations/dfi/").content.decode()


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_exports_carry_editors_text_as_data_never_as_html(client, evil_record):
    csv = client.get("/participants/export.csv?q=script")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["X-Content-Type-Options"] == "nosniff"
    assert EVIL.replace('"', '""') in body_of(csv)
    data = client.get("/participants/export.json?q=script")
    assert data["Content-Type"].startswith("application/json")
    assert data["X-Content-Type-Options"] == "nosniff"
    assert json.loads(body_of(data))["results"][0]["name"] == EVIL


def test_exports_neutralise_spreadsheet_formulas(client, dfi):
    ParticipantFactory(name='=HYPERLINK("http://evil")', slug="formula")
    body = body_of(client.get("/participants/export.csv?q=hyperlink"))
    assert "HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert '"=HYPERLINK' not in body
