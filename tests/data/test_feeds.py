"""A region desk subscribes to new and changed endorsements in its region."""

import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from signatories.models import Endorsement, Participant
from signatories.services import withdraw_endorsements
from tests.data.factories import make_endorsers
from tests.factories import WITHDRAWAL_SOURCE, EndorsementFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("data:feed")


def feed(client, params=None):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return root.findall(f"{ATOM}entry")


def titles(root):
    return [entry.findtext(f"{ATOM}title") for entry in entries(root)]


def test_feed_is_atom_with_an_entry_per_endorsement(client, dfi):
    root = feed(client)
    assert root.findtext(f"{ATOM}title") == "DFI endorsements"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"http://testserver{FEED}"
    assert root.findtext(f"{ATOM}id")
    assert root.findtext(f"{ATOM}updated")
    assert len(entries(root)) == min(50, Endorsement.objects.of(dfi).count())
    for entry in entries(root):
        assert entry.findtext(f"{ATOM}id").startswith("http://testserver/participants/")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
        assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}published")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries(root)]
    assert len(set(ids)) == len(ids)


def test_each_entry_is_an_action_in_the_world_newest_first_with_its_own_sources(client, dfi):
    root = feed(client)
    published = [
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        for entry in entries(root)
    ]
    assert published == sorted(published, reverse=True)
    assert published[0].date() == datetime.date(2022, 11, 2)
    kenya = [e for e in entries(root) if e.findtext(f"{ATOM}title").startswith("Kenya")]
    assert [e.findtext(f"{ATOM}title") for e in kenya] == [
        "Kenya: endorsement of the DFI disputed",
        "Kenya endorsed the DFI",
    ]
    dispute = kenya[0].findtext(f"{ATOM}summary")
    assert "Disputed 29 April 2022" in dispute and "www.kbc.co.ke" in dispute
    assert "whitehouse.gov" not in dispute  # the listing's sources are not the dispute's
    assert kenya[0].findtext(f"{ATOM}id") != kenya[1].findtext(f"{ATOM}id")


def test_feed_takes_the_list_parameters(client):
    root = feed(client, {"region": "154"})
    assert root.findtext(f"{ATOM}title") == "DFI endorsements: in Northern Europe (154)"
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/participants/?region=154"
    names = {title.split(" endorsed")[0] for title in titles(root)}
    assert "Norway" in names and "Japan" not in names
    northern = Endorsement.objects.filter(participant__in=Participant.objects.in_region("154"))
    assert len(entries(root)) == northern.count()


def test_feed_as_of_a_day_leaves_out_later_endorsements(client):
    root = feed(client, {"region": "150", "as_of": "2022-05-01"})
    assert "Norway endorsed the DFI" not in titles(root)
    assert "Albania endorsed the DFI" in titles(root)


def test_withdrawal_is_a_changed_entry(client, dfi):
    norway = Participant.objects.get(name="Norway").endorsements.get()
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE], endorsements=[norway], withdrawn_on=timezone.localdate()
    )
    first = entries(feed(client))[0]
    assert first.findtext(f"{ATOM}title") == "Norway withdrew its endorsement of the DFI"
    assert "Withdrawn" in first.findtext(f"{ATOM}summary")


def test_editor_text_is_escaped(client, dfi):
    participant = ParticipantFactory(name="Nation <img src=x onerror=alert(1)>")
    EndorsementFactory(
        participant=participant,
        declaration=dfi,
        endorsed_on=datetime.date(2023, 1, 5),  # the newest action
        note="<script>alert('note')</script> & co",
    )
    first = entries(feed(client))[0]
    assert first.findtext(f"{ATOM}title") == (
        "Nation <img src=x onerror=alert(1)> endorsed the DFI"
    )  # plain text, as Atom's default title type says
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<script>" not in summary.text
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt; &amp; co" in summary.text
    assert "<script>alert('note')</script> & co" in html.unescape(summary.text)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "999"}, "region"),
        ({"as_of": "2022-13-01"}, "as_of"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "a\x01b"}, "q"),
        ({"q": "a\x08b"}, "q"),
        ({"q": "a\x0bb"}, "q"),
        ({"q": "a\x1bb"}, "q"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(client, params, field):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert f"Bad parameter “{field}”" in response.content.decode()


def test_feed_queries_stay_flat_as_endorsements_grow(client, dfi, django_assert_max_num_queries):
    make_endorsers(dfi, 5)
    with CaptureQueriesContext(connection) as few:
        feed(client)
    make_endorsers(dfi, 300)
    with django_assert_max_num_queries(len(few)):
        assert len(entries(feed(client))) == 50


def test_a_participants_feed_holds_its_actions_only(client):
    root = feed(client, {"participant": "kenya"})
    assert root.findtext(f"{ATOM}title") == "DFI endorsements: Kenya"
    assert titles(root) == ["Kenya: endorsement of the DFI disputed", "Kenya endorsed the DFI"]
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://testserver/participants/kenya/"
    )
    page = client.get(reverse("signatories:participant-detail", args=["kenya"])).content.decode()
    assert f'href="{FEED}?participant=kenya"' in page


@pytest.mark.parametrize("name", ["Kenya", "KENYA", "kenya", "KEN", " Kenya "])
def test_a_participants_feed_by_name_slug_or_code(client, name):
    root = feed(client, {"participant": name})
    assert root.findtext(f"{ATOM}title") == "DFI endorsements: Kenya"
    assert titles(root) == ["Kenya: endorsement of the DFI disputed", "Kenya endorsed the DFI"]


def test_a_participants_feed_by_a_name_with_accents_or_without(client, dfi):
    EndorsementFactory(participant=Participant.objects.get(name="Türkiye"), declaration=dfi)
    for name in ["Türkiye", "turkiye", "TURKIYE", "Turkey"]:
        assert titles(feed(client, {"participant": name})) == ["Türkiye endorsed the DFI"]


def test_a_feed_of_a_misspelt_participant_says_whom_it_may_mean(client):
    response = client.get(FEED, {"participant": "Keyna"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Bad parameter “participant”: No participant is called “Keyna”. Did you mean Kenya?\n"
    )


def test_a_regions_and_a_forums_feed_hold_their_members_actions_only(client):
    europe = {
        p.name for p in Participant.objects.in_region("150").filter(endorsements__isnull=False)
    }
    region = titles(feed(client, {"region": "150"}))
    assert {title.split(" endorsed")[0] for title in region} == europe
    g7 = titles(feed(client, {"forum": "g7"}))
    assert {title.split(" endorsed")[0] for title in g7} == {
        "Canada",
        "European Commission",  # the EU takes part in the G7, named apart in its share
        "France",
        "Germany",
        "Italy",
        "Japan",
        "United Kingdom",
        "United States",
    }
    page = client.get(reverse("signatories:forum-detail", args=["g7"])).content.decode()
    assert f'href="{FEED}?forum=g7"' in page


def test_a_feed_of_one_kind_of_action(client):
    root = feed(client, {"kind": "disputed"})
    assert root.findtext(f"{ATOM}title") == "DFI disputes"
    assert titles(root) == ["Kenya: endorsement of the DFI disputed"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"participant": "atlantis"}, "participant"), ({"kind": "annexed"}, "kind")],
)
def test_a_feed_of_an_unknown_participant_or_kind_is_a_400_naming_it(client, params, field):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert f"Bad parameter “{field}”" in response.content.decode()


def test_a_comparisons_group_links_the_feed_of_its_kind_of_change(client):
    page = client.get(
        reverse("signatories:compare"), {"from": "2022-04-28", "to": "2022-11-02", "region": "002"}
    ).content.decode()
    link = re.search(r'href="(/feeds/endorsements\.atom\?[^"]*kind=disputed)"', page).group(1)
    response = client.get(html.unescape(link))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "DFI disputes: in Africa (002)"
    assert titles(root) == ["Kenya: endorsement of the DFI disputed"]


def test_an_empty_kind_is_every_kind(client):
    assert titles(feed(client, {"kind": ""})) == titles(feed(client))
