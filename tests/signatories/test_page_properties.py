"""Properties of every public page: random query strings never give a server error, and the
list holds every row however many there are (query counts: test_query_budgets.py)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("signatories:home"),
    reverse("signatories:participant-list"),
    reverse("signatories:participant-detail", args=["kenya"]),
    reverse("signatories:forum-list"),
    reverse("signatories:forum-detail", args=["g20"]),
    reverse("signatories:region-list"),
    reverse("signatories:map"),
    reverse("declaration:detail", args=["dfi"]),
]
PARAMETERS = [
    "declaration", "region", "status", "endorsed_after", "endorsed_before", "forum",
    "entity_type", "q", "as_of", "sort",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["150", "002", "011", "999", "endorsed", "none", "g7", "foc", "-name"]),
    st.dates().map(str),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=300),
)
QUERIES = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10)), VALUES), max_size=6
)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_random_query_strings_never_give_a_server_error(client, page, query):
    response = client.get(f"{page}?{urlencode(query)}")
    assert response.status_code in (200, 400), response.status_code


def test_the_list_grows_with_the_data(client, many_endorsements):
    response = client.get(reverse("signatories:participant-list"))
    assert response.content.decode().count("<tr data-slug=") == 267
