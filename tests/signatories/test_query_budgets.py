"""Every public page, export, feed and API address runs a fixed number of queries, whatever
the number of rows: the same count with the seed and with about 2,000 more endorsements.

Each budget counts the data-version query of config/caching.py. The page cache is off in
tests (tests/conftest.py), so these are the counts of a page built afresh.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from signatories.models import Participant
from signatories.services import SourceInput, save_endorsement
from tests.factories import EndorsementFactory

pytestmark = pytest.mark.django_db

LIST = reverse("signatories:participant-list")
COMPARE = reverse("signatories:compare")
FILTERS = "?region=150&status=endorsed&status=withdrawn&forum=g7&q=a&as_of=2024-01-01&sort=region"
BUDGETS = {
    reverse("signatories:home"): 7,  # + the date control's steps (records.change_days)
    reverse("signatories:home") + "?region=002&as_of=2023-06-01": 8,
    LIST: 8,  # + the date control's steps
    LIST + FILTERS: 12,
    LIST + "?declaration=synthetic-budget&status=none": 8,
    reverse("signatories:participant-detail", args=["norway"]): 11,  # + actions, their history
    reverse("signatories:forum-list"): 5,
    reverse("signatories:forum-detail", args=["g20"]): 8,
    reverse("signatories:region-list"): 4,
    reverse("signatories:map"): 4,
    reverse("signatories:map") + "?region=150&forum=g7": 6,
    reverse("signatories:map") + "?region=150&caption=1": 5,
    reverse("signatories:timeline"): 4,
    reverse("data:map-png") + "?region=150&width=800": 6,
    reverse("data:timeline-png") + FILTERS: 7,
    # The rows, the figures, the map, the forums, the sources, the regions (the file's name).
    reverse("data:export-pdf") + "?region=150": 10,
    reverse("data:export-pdf") + FILTERS + "&paper=letter": 11,
    reverse("data:embed-map") + "?region=150": 5,
    reverse("data:embed-figures") + FILTERS: 9,
    reverse("signatories:changes"): 7,  # + the actions recorded with their sources
    COMPARE + "?from=2022-04-28&to=2024-01-01": 8,
    COMPARE + "?region=150&forum=g7&entity_type=state&q=a&declaration=dfi": 8,
    reverse("signatories:compare-map") + "?from=2022-04-28&to=2024-01-01": 5,
    reverse("signatories:compare-map") + "?region=150&forum=g7": 7,
    reverse("declaration:detail", args=["dfi"]): 5,
    reverse("data:export-csv"): 6,
    reverse("data:export-xlsx") + FILTERS: 8,
    reverse("data:export-json") + "?declaration=synthetic-budget": 7,
    reverse("data:compare-csv") + "?from=2022-04-28&to=2024-01-01": 5,
    reverse("data:compare-json") + "?from=2022-04-28&region=150&forum=g7&q=a": 6,
    reverse("data:feed"): 4,
    reverse("data:feed") + FILTERS: 6,
    reverse("data:api-root"): 1,
    reverse("data:participant-list"): 6,
    reverse("data:participant-list") + FILTERS: 8,
    reverse("data:participant-detail", args=["norway"]): 5,
    reverse("data:endorsement-list"): 5,
    reverse("data:endorsement-list") + "?declaration=dfi&participant=norway": 7,
    reverse("data:declaration-list"): 6,
    reverse("data:forum-list"): 4,
    reverse("data:region-list"): 3,
    reverse("data:timeline-list") + FILTERS: 5,
    reverse("data:compare-list") + "?from=2022-04-28&to=2024-01-01": 5,
    reverse("data:compare-list") + "?region=150&forum=g7&entity_type=state": 7,
    reverse("data:schema"): 0,
    reverse("data:docs"): 0,
}


@pytest.fixture
def more_rows(many_endorsements):
    """About 2,000 more endorsements (tests/signatories/conftest.py), and Norway's of each new
    declaration, saved one by one so each has its history and sources."""
    norway = Participant.objects.get(slug="norway")
    declarations = {e.declaration for e in many_endorsements if e.declaration.slug != "dfi"}
    for declaration in declarations:
        EndorsementFactory(participant=norway, declaration=declaration)
    first = min(declarations, key=lambda declaration: declaration.pk)
    first.slug = "synthetic-budget"
    first.save()
    return many_endorsements


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:  # the exports read their rows while they are sent
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize(("url", "budget"), BUDGETS.items())
def test_query_count_stays_the_same_as_rows_grow(client, request, url, budget):
    if url == reverse("signatories:changes"):
        # The seed is the initial record, not a change: an edit and a new source, so that both
        # counts list changes of both kinds.
        norway = Participant.objects.get(slug="norway").endorsements.get()
        norway.note = "An edit, so that /changes/ lists something."
        sources = [SourceInput(s.url, s.title, s.pk) for s in norway.sources.all()]
        save_endorsement(endorsement=norway, sources=[*sources, "https://example.org/new"])
    if "synthetic-budget" in url:  # that declaration comes with the extra rows
        request.getfixturevalue("more_rows")
        with_the_seed = None
    else:
        with_the_seed = queries(client, url)
        assert with_the_seed <= budget
        request.getfixturevalue("more_rows")
    with_more = queries(client, url)
    assert with_more <= budget
    assert with_the_seed in (None, with_more)
