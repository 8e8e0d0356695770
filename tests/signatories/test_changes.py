"""The public change list: what changed and when, never who; and the editors' quality page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from signatories.history import RECENT
from signatories.models import Action, Endorsement, Participant, Source
from signatories.services import SourceInput, save_endorsement, withdraw_endorsements
from tests.factories import WITHDRAWAL_SOURCE
from tests.signatories.test_admin import visible_text

pytestmark = pytest.mark.django_db

CHANGES = reverse("signatories:changes")


def test_changes_lists_a_withdrawal_and_a_new_source_without_staff_names(
    client, dfi, django_user_model
):
    staff = django_user_model.objects.create_user("secretariat-anna", password="x-long-pass-1")
    norway = Endorsement.objects.get(participant__name="Norway")
    # The seed was loaded seconds ago; say Norway's endorsement was recorded a day earlier.
    norway.history.filter(history_type="+").update(
        history_date=timezone.now() - datetime.timedelta(days=1)
    )
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE],
        endorsements=[norway],
        withdrawn_on=datetime.date(2024, 3, 1),
        user=staff,
    )
    source = Source(endorsement=norway, url="https://www.regjeringen.no/withdrawal", position=9)
    source._history_user = staff
    source.save()

    response = client.get(CHANGES)

    assert response.status_code == 200
    text = visible_text(response)
    assert (
        "Norway DFI In the world Withdrawal of 1 March 2024 recorded "
        "status: endorsed → withdrawn withdrawal date: — → 1 March 2024"
    ) in text
    # The withdrawal's own source came with it; a source added later corrects the record.
    assert WITHDRAWAL_SOURCE not in text
    assert "Norway DFI Correction Source added https://www.regjeringen.no/withdrawal" in text
    assert "secretariat-anna" not in text
    assert text.index("Source added") < text.index("Withdrawal of"), "newest first"


def test_sources_recorded_with_their_endorsement_are_not_listed_again(client, dfi):
    save_endorsement(
        endorsement=Endorsement(
            participant=Participant.objects.get(name="Brazil"),
            declaration=dfi,
            endorsed_on=datetime.date(2023, 5, 4),
        ),
        sources=["https://www.gov.br/a", "https://www.gov.br/b"],
    )
    text = visible_text(client.get(CHANGES))
    assert "Brazil DFI In the world Endorsement of 4 May 2023 recorded" in text
    assert "https://www.gov.br/a" not in text


def test_older_changes_are_one_link_away(client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway")
    for number in range(RECENT + 5):
        norway.note = f"Note {number}"
        norway.save()
    first = client.get(CHANGES)
    assert visible_text(first).count("Correction Record corrected") == RECENT
    older = first.context["older"]
    assert older
    second = client.get(CHANGES, {"before": older})
    assert second.status_code == 200
    assert "Note 3 → Note 4" in visible_text(second)
    assert "Note 103 → Note 104" not in visible_text(second)


def test_bad_before_parameter_gets_a_message_not_a_500(client):
    response = client.get(CHANGES, {"before": "yesterday<script>"})
    assert response.status_code == 400
    text = visible_text(response)
    assert "“yesterday<script>” is not a date and time; showing the latest changes." in text
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_changes_page_queries_stay_constant(client, dfi, django_assert_max_num_queries):
    norway = Endorsement.objects.get(participant__name="Norway")
    for number in range(30):
        norway.note = f"Note {number}"
        norway.save()
        Source.objects.create(endorsement=norway, url=f"https://example.org/{number}", position=5)
    with django_assert_max_num_queries(7):
        assert client.get(CHANGES).status_code == 200


def test_changes_is_in_the_main_navigation(client):
    response = client.get(reverse("signatories:home"))
    assert f'href="{CHANGES}"' in response.content.decode()


QUALITY = reverse("admin:signatories_endorsement_quality")


def test_quality_page_lists_what_needs_attention(admin_client, dfi):
    kenya = Endorsement.objects.get(participant__name="Kenya")
    single = [
        e for e in Endorsement.objects.all() if e.sources.filter(supports="endorsed").count() < 2
    ]
    response = admin_client.get(QUALITY)
    assert response.status_code == 200
    text = visible_text(response)
    assert f"Endorsements with a single source ({len(single)})" in text
    assert "Disputed endorsements (1)" in text and kenya.status == "disputed"
    assert (
        "European Commission"
        not in text.split("Participants without a region or ISO code")[-1].split(
            "Sources by web domain"
        )[0]
    )
    assert "whitehouse.gov :" in text
    assert "Nothing here checks the web" in text


def test_quality_page_lists_an_action_without_a_source_of_its_own(admin_client, dfi):
    text = visible_text(admin_client.get(QUALITY))
    assert "Actions without a source of their own (0)" in text
    # As a withdrawal recorded before each action needed its own source (migration 0007).
    norway = Endorsement.objects.get(participant__name="Norway")
    Endorsement.objects.filter(pk=norway.pk).update(
        status="withdrawn", withdrawn_on=datetime.date(2024, 1, 10)
    )
    Action.objects.create(endorsement=norway, kind="withdrawn", taken_on=datetime.date(2024, 1, 10))
    text = visible_text(admin_client.get(QUALITY))
    assert "Actions without a source of their own (1)" in text
    assert "Norway DFI Withdrawn 2024-01-10" in text


def test_quality_page_flags_a_missing_code_but_not_what_is_so_by_design(admin_client):
    Participant.objects.filter(slug="norway").update(iso_alpha3="")
    text = visible_text(admin_client.get(QUALITY))
    missing = text.split("Participants without a region or ISO code")[-1].split(
        "Sources by web domain"
    )[0]
    assert "Norway ISO alpha-3 code" in missing
    assert "European Commission" not in missing  # no region or ISO code, by design


def test_quality_page_groups_sources_by_domain(admin_client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway")
    Source.objects.create(endorsement=norway, url="https://www.moved-site.example/a", position=5)
    Source.objects.create(endorsement=norway, url="http://moved-site.example/b", position=6)
    text = visible_text(admin_client.get(QUALITY))
    assert "moved-site.example : 2 sources, 1 endorsement" in text


def test_quality_page_is_for_staff_only(client):
    response = client.get(QUALITY)
    assert response.status_code == 302


def test_participant_page_history_includes_source_changes(client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway")
    norway.history.filter(history_type="+").update(
        history_date=timezone.now() - datetime.timedelta(days=1)
    )
    Source.objects.create(endorsement=norway, url="https://www.regjeringen.no/new", position=9)
    page = client.get(reverse("signatories:participant-detail", args=["norway"]))
    text = visible_text(page)
    assert "DFI — Source added (correction) https://www.regjeringen.no/new" in text
    assert "DFI — In the initial record: endorsement of 2 November 2022, compiled from its" in text


def test_a_freshly_seeded_record_is_not_news(client):
    """The seed is told once, as the initial record with its sources' dates; nothing is dated
    today, on /changes/ or on a participant's page."""
    today = f"{timezone.localdate():%-d %B %Y}"
    text = visible_text(client.get(CHANGES))
    assert today not in text.split("Printed from")[0]
    assert (
        "The record began with the initial record of the DFI: 67 endorsements, dated 28 April "
        "2022 to 2 November 2022, compiled from the sources listed on each participant's page."
    ) in text
    assert "No change recorded" in text
    page = visible_text(client.get(reverse("signatories:participant-detail", args=["kenya"])))
    assert today not in page.split("Cite this page:")[0]  # the citation gives today's record
    assert "DFI — In the initial record: endorsement of 28 April 2022" in page


def test_a_change_after_the_initial_record_is_listed_as_it_happens(client, dfi):
    kenya = Endorsement.objects.get(participant__name="Kenya")
    kenya.note = "The ministry's statement of 29 April 2022."
    kenya.save()
    text = visible_text(client.get(CHANGES))
    assert "Kenya DFI Correction Record corrected note:" in text
    assert f"{timezone.localdate():%-d %B %Y}" in text
    assert text.count("Kenya DFI") == 1  # the initial record is not listed row by row


def test_a_corrected_date_is_a_correction_a_new_withdrawal_is_in_the_world(client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    withdraw_endorsements(
        endorsements=[norway], withdrawn_on=datetime.date(2024, 3, 1), sources=[WITHDRAWAL_SOURCE]
    )
    norway.refresh_from_db()
    norway.withdrawn_on = datetime.date(2024, 3, 4)  # the statement was of 4 March
    sources = [SourceInput(s.url, None, s.pk, s.supports) for s in norway.sources.all()]
    save_endorsement(endorsement=norway, sources=sources)
    rows = client.get(CHANGES).context["changes"]
    assert [(c.kind, c.summary) for c in rows] == [
        ("Correction", "Record corrected"),
        ("In the world", "Withdrawal of 1 March 2024 recorded"),
    ]
    assert rows[0].details == ["withdrawal date: 1 March 2024 → 4 March 2024"]


def test_emptied_fields_read_as_a_dash_never_none(client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    norway.event, norway.note = None, ""
    save_endorsement(endorsement=norway, sources=list(norway.sources.values_list("url", flat=True)))
    withdraw_endorsements(
        endorsements=[norway], withdrawn_on=datetime.date(2024, 3, 1), sources=[WITHDRAWAL_SOURCE]
    )

    for page in [CHANGES, norway.participant.get_absolute_url()]:
        text = visible_text(client.get(page))
        assert "event: Prague high-level multi-stakeholder event → —" in text
        assert "note: announced at the Prague" in text and "2 Nov 2022 → —" in text
        assert "withdrawal date: — → 1 March 2024" in text
        assert "None" not in text
