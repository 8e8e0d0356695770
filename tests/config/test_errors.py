"""What an operator and a visitor meet at the edges: missing pages, errors, the icon, logins."""

import html

import pytest
from django.test import RequestFactory

from config.health import server_error
from tests.importing.files import make_editor

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Declaration tracker" in page and 'href="/participants/"' in page


@pytest.mark.parametrize("path", ["/api/no-such-list/", "/api/endorsements/1.5/", "/api/x/y/"])
def test_a_missing_address_under_the_api_is_a_404_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_server_error_is_the_sites_own_page_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):  # the database may be what failed
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "/static/css/site." in page


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/favicon") and response["Location"].endswith(
        ".svg"
    )


def test_an_off_site_next_after_login_lands_on_the_admin_not_a_404(client, django_user_model):
    make_editor(django_user_model, password="a-long-editor-passphrase")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "editor", "password": "a-long-editor-passphrase"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.fixture
def database_down(client):
    """Every query fails as it does while PostgreSQL restarts."""
    from unittest import mock

    from django.db import OperationalError

    client.raise_request_exception = False
    failing = mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    )
    with failing:
        yield client


@pytest.mark.parametrize("path", ["/", "/participants/?region=150", "/participants/norway/"])
def test_a_database_outage_is_a_503_page_not_a_500(database_down, path):
    response = database_down.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "The record's database is not answering" in html.unescape(response.content.decode())


@pytest.mark.parametrize("path", ["/api/participants/", "/api/endorsements/"])
def test_a_database_outage_is_a_503_in_json_from_the_api(database_down, path):
    response = database_down.get(path)
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The record's database is not answering; please try again in a minute."
    }


def test_any_other_error_is_the_sites_500_even_under_the_api(django_assert_num_queries):
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = server_error(RequestFactory().get("/api/participants/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
