"""The seed data states the facts the project started from, on every database."""

import datetime

import pytest

from declaration.models import Commitment, Forum, Pillar
from signatories.models import Endorsement, ForumMembership, Participant, Region, Status

pytestmark = pytest.mark.django_db


def endorsers_on(dfi, day):
    return Participant.objects.with_record(dfi, on=datetime.date.fromisoformat(day)).exclude(
        status_on=Status.NONE
    )


def test_61_endorsers_at_the_launch(dfi):
    assert endorsers_on(dfi, "2022-04-28").count() == 61


def test_62_endorsers_on_29_april_are_61_countries_and_the_european_commission(dfi):
    endorsers = endorsers_on(dfi, "2022-04-29")
    assert endorsers.count() == 62
    assert endorsers.exclude(entity_type=Participant.EntityType.SUPRANATIONAL).count() == 61
    assert list(
        endorsers.filter(entity_type=Participant.EntityType.SUPRANATIONAL).values_list(
            "name", flat=True
        )
    ) == ["European Commission"]


def test_67_endorsers_from_the_prague_event(dfi):
    assert endorsers_on(dfi, "2022-11-01").count() == 62
    prague = endorsers_on(dfi, "2022-11-02")
    assert prague.count() == 67
    assert set(prague.filter(endorsed_on="2022-11-02").values_list("name", flat=True)) == {
        "Norway",
        "Bosnia and Herzegovina",
        "Liechtenstein",
        "Monaco",
        "San Marino",
    }
    assert endorsers_on(dfi, datetime.date.today().isoformat()).count() == 67


def test_senegal_endorsed_on_or_before_29_april(dfi):
    senegal = Endorsement.objects.get(participant__name="Senegal", declaration=dfi)
    assert senegal.endorsed_on == datetime.date(2022, 4, 29)
    assert senegal.date_precision == Endorsement.DatePrecision.ON_OR_BEFORE


def test_kenya_is_disputed_with_its_note_and_source(dfi):
    kenya = Endorsement.objects.get(participant__name="Kenya", declaration=dfi)
    assert kenya.status == Status.DISPUTED
    assert "had not gone through its processes" in kenya.note
    assert any("kbc.co.ke" in source.url for source in kenya.sources.all())


def test_every_endorsement_has_a_source_and_an_event_only_where_a_source_says_so(dfi):
    assert not Endorsement.objects.filter(sources__isnull=True).exists()
    # Senegal was on the list by 29 April, on no known day: no event is credited to it.
    without = Endorsement.objects.filter(event__isnull=True)
    assert [e.participant.name for e in without] == ["Senegal"]
    prague = Endorsement.objects.filter(event__name__startswith="Prague")
    assert prague.count() == 5


def test_cyprus_is_in_western_asia():
    cyprus = Participant.objects.get(name="Cyprus")
    assert cyprus.region.name == "Western Asia"
    assert cyprus.region.parent.name == "Asia"


def test_kosovo_is_xk_in_southern_europe():
    kosovo = Participant.objects.get(name="Kosovo")
    assert kosovo.iso_alpha2 == "XK"
    assert kosovo.region.name == "Southern Europe"
    assert kosovo.entity_type == Participant.EntityType.LIMITED_RECOGNITION
    assert not kosovo.un_member


def test_european_commission_has_no_iso_code_and_no_region():
    commission = Participant.objects.get(slug="european-commission")
    assert commission.iso_alpha2 == commission.iso_alpha3 == ""
    assert commission.region is None
    assert commission.entity_type == Participant.EntityType.SUPRANATIONAL


def test_193_un_members_2_observers_and_198_participants():
    assert Participant.objects.filter(un_member=True).count() == 193
    assert set(Participant.objects.filter(un_observer=True).values_list("name", flat=True)) == {
        "Holy See",
        "Palestine",
    }
    assert Participant.objects.count() == 198


def test_non_endorsers_exist_as_rows(dfi):
    africa = Participant.objects.in_region("002").with_record(dfi)
    assert africa.filter(status_on=Status.NONE, name="Nigeria").exists()
    assert africa.count() == 54


def test_m49_regions_form_a_tree():
    assert Region.objects.filter(parent__isnull=True).count() == 5
    western_africa = Region.objects.get(code="011")
    assert western_africa.parent.name == "Sub-Saharan Africa"
    assert western_africa.parent.parent.name == "Africa"
    assert Participant.objects.in_region("150").filter(name="Norway").exists()


def test_declaration_text_and_forums(dfi):
    assert Pillar.objects.filter(declaration=dfi).count() == 5
    numbers = list(
        Commitment.objects.filter(pillar__declaration=dfi).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 24))
    assert set(dfi.forums.values_list("slug", flat=True)) == {
        "un", "g7", "g20", "oecd", "wto", "icann", "igf", "foc",
    }  # fmt: skip


def members(forum, on=None):
    memberships = ForumMembership.objects.filter(forum=forum).current(on=on)
    return Participant.objects.filter(pk__in=memberships.values("participant"))


def test_forum_memberships_have_dates_and_sources():
    us_foc = ForumMembership.objects.get(participant__name="United States", forum__slug="foc")
    assert us_foc.until == datetime.date(2026, 2, 10)
    un = Forum.objects.get(slug="un")
    assert members(un).count() == 193
    g7 = Forum.objects.get(slug="g7")
    assert members(g7, on=datetime.date(2022, 6, 1)).count() == 8
    assert not ForumMembership.objects.filter(source_url="").exists()


def test_us_left_the_freedom_online_coalition_in_2026():
    foc = Forum.objects.get(slug="foc")
    before = members(foc, on=datetime.date(2026, 2, 9))
    after = members(foc, on=datetime.date(2026, 2, 10))
    assert before.filter(name="United States").exists()
    assert not after.filter(name="United States").exists()
