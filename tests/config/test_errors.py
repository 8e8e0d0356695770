"""What an operator and a visitor meet at the edges: missing pages, errors, the icon, logins."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.importing.files import make_editor

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Declaration tracker" in page and 'href="/participants/"' in page


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
