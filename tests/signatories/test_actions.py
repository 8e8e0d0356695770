"""An endorsement's status is a series of dated actions, each with its own sources; the
record's dates (read by every list, count and map) are kept from them and agree with them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from signatories import services
from signatories.models import Action, Endorsement, Status
from signatories.services import ActionInput, SourceInput
from tests.importing.files import snapshot
from tests.signatories.test_admin import visible_text

pytestmark = pytest.mark.django_db

DAYS = [
    datetime.date(2022, 4, 27),
    datetime.date(2022, 4, 28),
    datetime.date(2022, 4, 29),
    datetime.date(2022, 11, 1),
    datetime.date(2022, 11, 2),
    datetime.date(2024, 3, 1),
    datetime.date(2025, 6, 1),
]


def assert_the_record_follows_its_actions():
    for endorsement in Endorsement.objects.prefetch_related("actions"):
        actions = list(endorsement.actions.all())
        for day in DAYS:
            assert endorsement.status_on(day) == Action.status_after(actions, day), (
                endorsement,
                day,
            )


def test_the_seed_is_actions_and_the_record_agrees_with_them(dfi):
    assert_the_record_follows_its_actions()
    assert Action.objects.filter(kind="endorsed").count() == Endorsement.objects.count()
    kenya = Endorsement.objects.get(participant__name="Kenya")
    assert [(a.kind, a.taken_on) for a in kenya.actions.all()] == [
        ("endorsed", datetime.date(2022, 4, 28)),
        ("disputed", datetime.date(2022, 4, 29)),
    ]
    assert kenya.sources.get(supports="disputed").publisher == "Kenya Broadcasting Corporation"


def test_a_dispute_its_resolution_and_a_withdrawal_each_with_its_sources(dfi):
    japan = Endorsement.objects.get(participant__name="Japan")
    services.record_action(
        endorsement=japan,
        action=ActionInput(Action.Kind.DISPUTED, datetime.date(2024, 3, 1)),
        sources=["https://example.org/japan-dispute"],
    )
    services.record_action(
        endorsement=japan,
        action=ActionInput(Action.Kind.DISPUTE_RESOLVED, datetime.date(2025, 1, 1)),
        sources=[SourceInput("https://example.org/japan-confirms", "Japan confirms")],
    )
    services.withdraw_endorsements(
        endorsements=[japan],
        withdrawn_on=datetime.date(2025, 6, 1),
        sources=["https://example.org/japan-withdraws"],
    )
    japan.refresh_from_db()
    statuses = [japan.status_on(day) for day in DAYS]
    assert statuses == ["none", "endorsed", "endorsed", "endorsed", "endorsed", "disputed"] + [
        "withdrawn"
    ]
    assert japan.status_on(datetime.date(2025, 1, 1)) == Status.ENDORSED  # resolved
    assert dict(japan.sources.exclude(supports="endorsed").values_list("supports", "url")) == {
        "disputed": "https://example.org/japan-dispute",
        "dispute_resolved": "https://example.org/japan-confirms",
        "withdrawn": "https://example.org/japan-withdraws",
    }
    assert_the_record_follows_its_actions()


@pytest.mark.parametrize(
    ("kind", "day", "message"),
    [
        (Action.Kind.WITHDRAWN, datetime.date(2024, 1, 1), "withdrawn"),
        (Action.Kind.DISPUTED, datetime.date(2024, 1, 1), "disputed"),
        (Action.Kind.DISPUTE_RESOLVED, datetime.date(2024, 1, 1), "dispute_resolved"),
    ],
    ids=["withdrawal", "dispute", "resolution"],
)
def test_an_action_without_a_source_is_refused_and_nothing_written(dfi, kind, day, message):
    norway = Endorsement.objects.get(participant__name="Norway")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.record_action(endorsement=norway, action=ActionInput(kind, day), sources=[])
    assert any(services.ACTION_SOURCE_REQUIRED[message] in text for text in refused.value.messages)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            ActionInput(Action.Kind.DISPUTE_RESOLVED, datetime.date(2024, 1, 1)),
            "A dispute can only be resolved after it began.",
        ),
        (
            ActionInput(Action.Kind.DISPUTED, datetime.date(2022, 5, 1)),
            "The dispute cannot begin before the endorsement date.",
        ),
        (
            ActionInput(Action.Kind.ENDORSED, datetime.date(2023, 1, 1)),
            "“Endorsed” is recorded twice; an endorsement has one action of each kind.",
        ),
        (ActionInput(Action.Kind.WITHDRAWN, None), "“Withdrawn” needs its date (YYYY-MM-DD)."),
    ],
    ids=["resolved-without-dispute", "dispute-before-endorsement", "listed-twice", "no-date"],
)
def test_actions_out_of_order_are_refused_and_nothing_written(dfi, action, message):
    norway = Endorsement.objects.get(participant__name="Norway")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.record_action(
            endorsement=norway, action=action, sources=["https://example.org/statement"]
        )
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert snapshot() == before


def page(client, slug, **params):
    return visible_text(client.get(reverse("signatories:participant-detail", args=[slug]), params))


def test_kenya_is_endorsed_then_disputed_each_with_its_source(client):
    before = page(client, "kenya", as_of="2022-04-28")
    assert "Status Endorsed" in before and "Disputed since" not in before
    assert "White House fact sheet, 28 April 2022" in before
    assert "Kenya Broadcasting Corporation" not in before  # the dispute came the day after
    after = page(client, "kenya", as_of="2022-04-30")
    assert "Status Disputed since 29 April 2022" in after
    assert "29 April 2022 : Disputed" in after
    assert "KBC: Kenya clarifies its position on the declaration" in after
    assert "News report, Kenya Broadcasting Corporation" in after
    # The timeline: the listing and the dispute, two dated entries, each with its own sources.
    html = client.get(reverse("signatories:participant-detail", args=["kenya"])).content.decode()
    entries = html.split('<ol class="actions">')[1].split("</ol>")[0].split('<li class="action ')
    assert [entry.split('"')[0] for entry in entries[1:]] == ["action-endorsed", "action-disputed"]
    assert "whitehouse.gov" in entries[1] and "kbc.co.ke" not in entries[1]
    assert "kbc.co.ke" in entries[2] and "whitehouse.gov" not in entries[2]


def test_senegal_is_on_the_list_by_29_april_and_credited_to_no_event(client):
    shown = page(client, "senegal")
    assert "on the list by 29 April 2022" in shown
    assert "Launch" not in shown
    latest = visible_text(client.get("/", {"as_of": "2022-04-29"})).split("Latest endorsements")[1]
    assert "Senegal , on the list by 29 April 2022 Albania" in latest  # no event after it
    assert "Albania , 28 April 2022 (Launch of the Declaration)" in latest


def test_a_participants_timeline_shows_its_forum_memberships_over_the_same_years(client, dfi):
    shown = page(client, "united-states")
    assert "Over the same years (2022 to" in shown
    assert "FOC (until 10 February 2026)" in shown
    before = page(client, "united-states", as_of="2025-12-31")
    assert "Over the same years (2022 to 2025), a member of:" in before
    assert "(until" not in before.split("Over the same years")[1].split(".")[0]
