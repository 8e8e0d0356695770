"""Compare two dates: who endorsed, came under dispute, had a dispute resolved or withdrew
between the end of one day and the end of another, with the sources of each action, and the
figures at both ends; the same as a map."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from signatories import counting, filters, services
from signatories.filters import ComparisonFilter
from signatories.models import Action, Endorsement, Participant
from signatories.services import ActionInput, SourceInput
from signatories.worldmap import CHANGE_PALETTE, MUTED_FILL
from tests.factories import WITHDRAWAL_SOURCE
from tests.signatories.test_views import text

pytestmark = pytest.mark.django_db

COMPARE = reverse("signatories:compare")
MAP = reverse("signatories:compare-map")
PRAGUE = {"from": "2022-04-28", "to": "2022-11-02"}
THE_FIVE = ["bosnia-and-herzegovina", "liechtenstein", "monaco", "norway", "san-marino"]


def changes(response):
    """``{kind: [slug, ...]}`` of the page's rows, in order, each kind in its group."""
    assert response.status_code == 200, response.content.decode()[:2000]
    found = {}
    page = response.content.decode()
    for slug, kind in re.findall(r'<tr data-slug="([^"]+)" data-change="([^"]+)">', page):
        found.setdefault(kind, []).append(slug)
    return found


def row(response, slug):
    """The HTML of one participant's row."""
    return re.search(rf'<tr data-slug="{slug}".*?</tr>', response.content.decode(), re.S)[0]


def test_between_launch_and_prague_the_five_and_senegal_endorsed_and_kenya_was_disputed(client):
    response = client.get(COMPARE, PRAGUE)
    found = changes(response)
    assert found == {"endorsed": ["senegal", *THE_FIVE], "disputed": ["kenya"]}
    page = text(response)
    assert "61 → 67 endorsers, 0 → 1 of them disputed." in page
    assert "From the end of 28 April 2022 to the end of 2 November 2022" in page
    assert "New endorsers (6)" in page and "Came under dispute (1)" in page
    assert "Dispute resolved (0)" in page and "Withdrew (0)" in page
    assert "first day < date ≤ second day" in page  # the rule, said on the page


def test_each_action_comes_with_its_date_and_its_own_sources(client):
    response = client.get(COMPARE, PRAGUE)
    norway, kenya, senegal = (row(response, slug) for slug in ("norway", "kenya", "senegal"))
    assert '<time datetime="2022-11-02">' in norway and "wataha.no" in norway
    assert '<time datetime="2022-04-29">' in kenya and "kbc.co.ke" in kenya
    assert "whitehouse.gov" not in kenya  # the sources of Kenya's listing are not the dispute's
    assert "on or before" in senegal


def test_a_region_lists_only_its_own(client):
    found = changes(client.get(COMPARE, {**PRAGUE, "region": "002"}))
    assert found == {"endorsed": ["senegal"], "disputed": ["kenya"]}
    assert not set(THE_FIVE) & set(sum(found.values(), []))


def test_the_figures_are_the_lists_on_both_days(client):
    params = {**PRAGUE, "region": "150", "forum": "oecd"}
    page = text(client.get(COMPARE, params))
    counts = []
    for day in PRAGUE.values():
        listed = client.get(
            reverse("signatories:participant-list"),
            {"region": "150", "forum": "oecd", "as_of": day, "status": ["endorsed", "disputed"]},
        )
        counts.append(listed.content.decode().count("<tr data-slug="))
    assert counts[0] < counts[1]
    assert f"{counts[0]} → {counts[1]} endorsers" in page


def test_the_first_day_is_left_out_and_the_last_kept(client):
    assert "albania" not in changes(client.get(COMPARE, PRAGUE))["endorsed"]
    assert "albania" in changes(client.get(COMPARE, {**PRAGUE, "from": "2022-04-27"}))["endorsed"]
    before_prague = changes(client.get(COMPARE, {**PRAGUE, "to": "2022-11-01"}))
    assert "norway" not in before_prague["endorsed"]


def test_a_dispute_resolved_and_a_withdrawal_are_grouped_with_their_sources(client):
    kenya = Endorsement.objects.get(participant__slug="kenya")
    services.record_action(
        endorsement=kenya,
        action=ActionInput(Action.Kind.DISPUTE_RESOLVED, datetime.date(2023, 3, 1)),
        sources=[SourceInput("https://example.org/kenya-confirms", "Kenya confirms")],
    )
    services.withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE],
        endorsements=[Endorsement.objects.get(participant__slug="norway")],
        withdrawn_on="2024-05-05",
    )
    response = client.get(COMPARE, {"from": "2022-11-02", "to": "2024-12-31"})
    assert changes(response) == {"dispute_resolved": ["kenya"], "withdrawn": ["norway"]}
    assert "example.org/kenya-confirms" in row(response, "kenya")
    norway = row(response, "norway")
    assert WITHDRAWAL_SOURCE in norway and "wataha.no" not in norway
    assert "67 → 66 endorsers, 1 → 0 of them disputed." in text(response)


@pytest.mark.parametrize(
    ("start", "end"),
    [("2022-04-27", "2022-04-28"), ("2022-04-28", "2022-11-02"), ("2022-11-02", "2024-12-31")],
)
def test_both_days_are_counted_in_one_query_as_each_day_alone(dfi, start, end):
    services.record_action(
        endorsement=Endorsement.objects.get(participant__slug="kenya"),
        action=ActionInput(Action.Kind.DISPUTE_RESOLVED, datetime.date(2023, 3, 1)),
        sources=["https://example.org/kenya-confirms"],
    )
    services.withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE],
        endorsements=[Endorsement.objects.get(participant__slug="norway")],
        withdrawn_on="2024-05-05",
    )
    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    both = Participant.objects.with_record(dfi, on=end).with_status("status_then", on=start)
    earlier, later = counting.status_counts_on_two_days(both)
    assert earlier == counting.status_counts(Participant.objects.with_record(dfi, on=start))
    assert later == counting.status_counts(Participant.objects.with_record(dfi, on=end))


def test_a_correction_is_not_a_change_in_the_world(client):
    norway = Endorsement.objects.get(participant__slug="norway")
    kept = [SourceInput(s.url, s.title, s.pk) for s in norway.sources.all()]
    norway.note = "A corrected note."
    services.save_endorsement(endorsement=norway, sources=[*kept, "https://example.org/better"])
    today = timezone.localdate().isoformat()
    assert changes(client.get(COMPARE, {"from": "2022-11-02", "to": today})) == {}


BAD = [
    pytest.param({"from": "2022-11-02", "to": "2022-04-28"}, filters.FROM_AFTER_TO, id="reversed"),
    pytest.param({"from": "28/04/2022"}, filters.BAD_DATE, id="malformed"),
    pytest.param({"to": "2022-02-30"}, filters.BAD_DATE, id="impossible"),
    pytest.param({**PRAGUE, "region": "999"}, "No UN M49 region has the code “999”.", id="region"),
    pytest.param({**PRAGUE, "forum": "nato"}, "No forum has the short name “nato”.", id="forum"),
    pytest.param({"to": "2999-01-01"}, "1 January 2999 is after today", id="future"),
]


@pytest.mark.parametrize(("params", "message"), BAD)
def test_bad_or_reversed_dates_and_unknown_values_are_a_400_saying_so(client, params, message):
    response = client.get(COMPARE, params)
    assert response.status_code == 400
    page = text(response)
    assert "This comparison cannot be made:" in page and message in page
    assert 'data-change="' not in response.content.decode()  # nothing compared
    assert 'aria-invalid="true"' in response.content.decode()  # the field says it too


@pytest.mark.parametrize(("params", "message"), BAD)
def test_the_map_answers_bad_input_with_a_400_too(client, params, message):
    response = client.get(MAP, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_missing_dates_default_to_the_eve_of_the_launch_and_today_and_are_said(client):
    today = timezone.localdate()
    response = client.get(COMPARE)
    page = text(response)
    assert (
        "No “from” date was given: the comparison starts at the end of 27 April 2022, the day "
        "before the DFI was launched." in page
    )
    assert (
        f"No “to” date was given: the comparison ends at the end of today, {today:%-d %B %Y}."
        in page
    )
    assert len(changes(response)["endorsed"]) == 67
    assert "0 → 67 endorsers, 0 → 1 of them disputed." in page
    assert f'href="{COMPARE}?from=2022-04-27&amp;to={today.isoformat()}" rel="bookmark"' in (
        response.content.decode()
    )


def test_a_to_date_before_the_launch_compares_nothing_rather_than_failing(client):
    response = client.get(COMPARE, {"to": "2021-01-01"})
    assert changes(response) == {}
    assert "0 → 0 endorsers" in text(response)


def test_every_comparison_is_a_permalink_with_its_filters(client):
    response = client.get(COMPARE, {"region": "150", "to": "2022-11-02", "utm_source": "x"})
    link = re.search(r'href="([^"]+)" rel="bookmark"', response.content.decode())[1]
    assert link == f"{COMPARE}?from=2022-04-27&amp;to=2022-11-02&amp;region=150"
    again = client.get(link.replace("&amp;", "&"))
    assert changes(again) == changes(response)
    assert "region=150" in re.search(r'data="([^"]+)"', again.content.decode())[1]  # the map


def test_the_filter_gives_the_days_and_keeps_only_who_is_compared():
    chosen = ComparisonFilter(QueryDict("to=2021-01-01&status=none&as_of=2020-01-01&sort=-name"))
    assert chosen.is_valid()
    assert chosen.start == chosen.end == chosen.on_date == datetime.date(2021, 1, 1)
    assert list(chosen.form.fields) == ["from", "to", *filters.COMPARED]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (reverse("signatories:participant-list"), "region=150&forum=g7&status=endorsed"),
        (reverse("signatories:home"), "region=150&forum=g7"),
    ],
)
def test_the_list_and_the_home_page_start_a_comparison_of_their_selection(client, url, params):
    page = client.get(f"{url}?{params}&as_of=2023-01-01").content.decode()
    form = re.search(
        rf'<form class="[^"]*compare-form[^"]*" [^>]*action="{COMPARE}".*?</form>', page, re.S
    )[0]
    assert 'method="get"' in form
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form)
    assert hidden == [("region", "150"), ("forum", "g7")]
    assert '<label for="compare-from">' in form and '<label for="compare-to">' in form
    assert 'id="compare-to" aria-describedby="compare-to-help" value="2023-01-01"' in form


def marks(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    return {el.get("data-code"): el for el in root.iter() if el.get("data-code")}


def test_the_map_colours_norway_as_new_and_the_rest_by_what_changed(client):
    drawn = marks(client.get(MAP, PRAGUE))
    assert drawn["NO"].get("data-status") == "endorsed"
    assert drawn["NO"].get("fill") == CHANGE_PALETTE["endorsed"]
    assert drawn["KE"].get("data-status") == "disputed"
    assert drawn["FR"].get("data-status") == "unchanged"  # endorsed at the launch
    assert drawn["FR"].get("fill") == MUTED_FILL
    assert drawn["BR"].get("data-status") == "unchanged"
    titles = [el.text for el in drawn["NO"].iter() if el.tag.endswith("title")]
    assert titles == ["Norway: endorsed"]


def test_the_map_mutes_what_the_filters_leave_out(client):
    drawn = marks(client.get(MAP, {**PRAGUE, "region": "002"}))
    assert "muted" in drawn["NO"].get("class")
    assert drawn["SN"].get("data-status") == "endorsed" and "muted" not in drawn["SN"].get("class")


def test_the_map_legend_counts_the_changes(client):
    root = ET.fromstring(client.get(MAP, PRAGUE).content)
    legend = {
        el.get("data-legend"): int(el.get("data-count"))
        for el in root.iter()
        if el.get("data-legend")
    }
    drawn = Participant.objects.count()
    assert legend == {
        "endorsed": 6,
        "disputed": 1,
        "dispute_resolved": 0,
        "withdrawn": 0,
        "unchanged": drawn - 7,
    }


def test_a_correction_is_not_in_the_comparison_but_is_on_the_changes_page(client, dfi):
    """A better source for Norway corrects the record: /changes/ says so, and the comparison,
    which shows the world, is as it was."""
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    params = {"from": "2022-11-01", "to": "2022-11-02"}

    def what_changed():
        comparison = client.get(reverse("signatories:compare"), params).context["comparison"]
        groups = [
            (g.kind, [(a["name"], a["taken_on"]) for a in g.actions]) for g in comparison.groups
        ]
        return groups, comparison.figures

    before = what_changed()
    sources = [SourceInput(s.url, None, s.pk, s.supports) for s in norway.sources.all()]
    sources.append(SourceInput("https://www.regjeringen.no/dfi", "Government of Norway"))
    services.save_endorsement(endorsement=norway, sources=sources)
    assert what_changed() == before  # the same actions: no entry for the correction
    changes = client.get(reverse("signatories:changes")).context["changes"]
    assert [(c.participant, c.kind, c.summary) for c in changes] == [
        ("Norway", "Correction", "Source added")
    ]
