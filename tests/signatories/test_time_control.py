"""The date control of the home and list pages: another day, and steps through the changes."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from signatories import records
from signatories.filters import BAD_DATE
from signatories.models import Action
from tests.factories import DeclarationFactory, EndorsementFactory

pytestmark = pytest.mark.django_db

HOME = reverse("signatories:home")
LIST = reverse("signatories:participant-list")
PAGES = [HOME, LIST]
# The seed's actions fall on three days: the launch, the day after (Senegal listed, Kenya's
# dispute) and the Prague event.
LAUNCH, DAY_AFTER, PRAGUE = "2022-04-28", "2022-04-29", "2022-11-02"


def step(response, which):
    """The address of the "previous" or "next" change link, or None when there is none."""
    assert response.status_code == 200
    found = re.search(rf'<a href="([^"]+)"[^>]* data-step="{which}"', response.content.decode())
    return html.unescape(found[1]) if found else None


def query(url):
    return parse_qs(urlsplit(url).query)


def date_form(response):
    """The date control: its hidden inputs and its date input, as they are submitted."""
    page = response.content.decode()
    form = re.search(r"<form [^>]*data-time-control.*?</form>", page, re.S)[0]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    day = re.search(r'<input type="date" name="as_of" id="time-as-of" value="([^"]*)"', form)
    return form, hidden, day[1]


@pytest.mark.parametrize("url", PAGES)
def test_both_pages_step_to_the_day_before_and_after(client, url):
    response = client.get(url, {"as_of": "2022-11-01"})
    assert step(response, "previous") == f"{url}?as_of={DAY_AFTER}"
    assert step(response, "next") == f"{url}?as_of={PRAGUE}"
    assert "Previous change to the record: 29 April 2022" in response.content.decode()
    assert "Next change to the record: 2 November 2022" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_no_step_before_the_first_change_or_after_the_last(client, url):
    first = client.get(url, {"as_of": LAUNCH})
    assert step(first, "previous") is None
    assert "No earlier change to the record" in first.content.decode()
    assert step(first, "next") == f"{url}?as_of={DAY_AFTER}"
    for day in [PRAGUE, "2024-01-01"]:
        last = client.get(url, {"as_of": day})
        assert step(last, "previous") == f"{url}?as_of={DAY_AFTER if day == PRAGUE else PRAGUE}"
        assert step(last, "next") is None
        assert "No later change to the record" in last.content.decode()
    before = client.get(url, {"as_of": "2020-01-01"})
    assert step(before, "previous") is None
    assert step(before, "next") == f"{url}?as_of={LAUNCH}"


@pytest.mark.parametrize("url", PAGES)
def test_today_steps_back_to_the_last_change(client, url):
    response = client.get(url)
    assert step(response, "previous") == f"{url}?as_of={PRAGUE}"
    assert step(response, "next") is None
    _, hidden, day = date_form(response)
    assert hidden == [] and day == datetime.date.today().isoformat()


@pytest.mark.parametrize("url", PAGES)
def test_the_form_and_the_steps_keep_the_other_parameters(client, url):
    params = {"region": "150", "status": ["endorsed", "withdrawn"], "q": "", "as_of": "2022-11-01"}
    response = client.get(url, params)
    kept = {"region": ["150"], "status": ["endorsed", "withdrawn"]}
    assert query(step(response, "previous")) == {**kept, "as_of": [DAY_AFTER]}
    assert query(step(response, "next")) == {**kept, "as_of": [PRAGUE]}
    form, hidden, day = date_form(response)
    assert f'method="get" action="{url}"' in form
    assert hidden == [("region", "150"), ("status", "endorsed"), ("status", "withdrawn")]
    assert day == "2022-11-01"
    assert '<label for="time-as-of">Show the record as of</label>' in form
    assert '<button type="submit">Show</button>' in form


def test_parameters_that_failed_are_not_kept(client):
    response = client.get(LIST, {"region": "999", "entity_type": "state", "as_of": "2022-11-01"})
    assert query(step(response, "next")) == {"entity_type": ["state"], "as_of": [PRAGUE]}
    assert date_form(response)[1] == [("entity_type", "state")]


def test_the_chosen_day_is_shown(client):
    home = client.get(HOME, {"as_of": DAY_AFTER}).content.decode()
    assert "The record on 29 April 2022" in home
    listing = client.get(LIST, {"as_of": DAY_AFTER}).content.decode()
    assert "as of <strong>29 April 2022</strong>" in listing
    for page in [home, listing]:
        assert 'data-announce="Showing the record as of 29 April 2022."' in page


@pytest.mark.parametrize("url", PAGES)
def test_a_bad_day_is_said_beside_the_control_and_today_shown(client, url):
    response = client.get(url, {"as_of": "2022-13-45", "region": "150"})
    assert response.status_code == 200
    form, hidden, day = date_form(response)
    assert f'<ul class="errorlist" id="time-as-of-error"><li>{BAD_DATE}</li></ul>' in form
    assert 'aria-invalid="true" aria-describedby="time-as-of-error"' in form
    assert day == datetime.date.today().isoformat()
    assert hidden == [("region", "150")]
    assert query(step(response, "previous")) == {"region": ["150"], "as_of": [PRAGUE]}


def test_the_steps_follow_the_declaration_chosen(client, dfi):
    other = DeclarationFactory(slug="other", launched_on=datetime.date(2023, 1, 1))
    EndorsementFactory(declaration=other, endorsed_on=datetime.date(2023, 3, 1))
    response = client.get(LIST, {"declaration": "other", "as_of": "2023-02-01"})
    assert query(step(response, "next")) == {"declaration": ["other"], "as_of": ["2023-03-01"]}
    assert step(response, "previous") is None
    assert step(client.get(LIST, {"as_of": "2023-02-01"}), "next") is None  # the DFI's


def test_change_days_reads_the_actions_in_one_query(dfi, django_assert_num_queries):
    with django_assert_num_queries(1):
        days = records.change_days(dfi, on=datetime.date(2022, 11, 1))
    assert days == (datetime.date(2022, 4, 29), datetime.date(2022, 11, 2))
    assert set(Action.objects.values_list("taken_on", flat=True)) == {
        datetime.date.fromisoformat(day) for day in (LAUNCH, DAY_AFTER, PRAGUE)
    }


@pytest.mark.parametrize("url", PAGES)
def test_the_script_is_ours_and_deferred(client, url):
    page = client.get(url).content.decode()
    assert re.search(r'<script src="/static/js/time-control\.[0-9a-f]+\.js" defer></script>', page)
    assert "<script>" not in page
