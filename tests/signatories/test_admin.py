"""Editors record, edit and withdraw endorsements in the admin, and see the history."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from signatories import models, services
from signatories.models import Endorsement, Participant, Source
from tests.importing.files import make_editor, snapshot

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:signatories_endorsement_add")


def visible_text(response):
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def endorsement_form(participant, dfi, **overrides):
    data = {
        "participant": participant.pk,
        "declaration": dfi.pk,
        "endorsed_on": "2023-05-04",
        "date_precision": "exact",
        "status": "endorsed",
        "withdrawn_on": "",
        "event": "",
        "note": "Announced by the foreign ministry.",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-supports": "endorsed",
        "sources-0-url": "https://example.org/brazil-endorses",
        "sources-0-title": "Foreign ministry statement",
        "sources-0-kind": "government",
        "sources-0-position": "1",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def change_form(endorsement, **overrides):
    sources = list(endorsement.sources.all())
    data = {
        "participant": endorsement.participant_id,
        "declaration": endorsement.declaration_id,
        "endorsed_on": endorsement.endorsed_on.isoformat(),
        "date_precision": endorsement.date_precision,
        "status": endorsement.status,
        "withdrawn_on": endorsement.withdrawn_on.isoformat() if endorsement.withdrawn_on else "",
        "disputed_on": endorsement.disputed_on.isoformat() if endorsement.disputed_on else "",
        "dispute_resolved_on": (
            endorsement.dispute_resolved_on.isoformat() if endorsement.dispute_resolved_on else ""
        ),
        "event": endorsement.event_id or "",
        "note": endorsement.note,
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": str(len(sources)),
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, source in enumerate(sources):
        data.update(
            {
                f"sources-{i}-id": source.pk,
                f"sources-{i}-endorsement": endorsement.pk,
                f"sources-{i}-supports": source.supports,
                f"sources-{i}-url": source.url,
                f"sources-{i}-title": source.title,
                f"sources-{i}-kind": source.kind,
                f"sources-{i}-publisher": source.publisher,
                f"sources-{i}-published_on": (
                    source.published_on.isoformat() if source.published_on else ""
                ),
                f"sources-{i}-accessed_on": (
                    source.accessed_on.isoformat() if source.accessed_on else ""
                ),
                f"sources-{i}-archive_url": source.archive_url,
                f"sources-{i}-quote": source.quote,
                f"sources-{i}-position": source.position,
            }
        )
    data.update(overrides)
    return data


def test_editor_records_a_new_endorsement_with_a_source(admin_client, dfi, participant):
    response = admin_client.post(ADD_URL, endorsement_form(participant, dfi))
    assert response.status_code == 302, response.context["errors"]
    endorsement = Endorsement.objects.get(participant=participant, declaration=dfi)
    assert endorsement.endorsed_on == datetime.date(2023, 5, 4)
    assert endorsement.sources.get().url == "https://example.org/brazil-endorses"
    history = endorsement.history.get()
    assert history.history_type == "+"
    assert history.history_user.username == "admin"


def test_add_form_offers_participant_autocomplete_and_sources_inline(admin_client):
    page = admin_client.get(ADD_URL).content.decode()
    assert "data-autocomplete-light-url" in page or "admin-autocomplete" in page
    assert "sources-TOTAL_FORMS" in page


def test_editor_edits_and_withdraws_and_sees_the_history(admin_client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    url = reverse("admin:signatories_endorsement_change", args=[norway.pk])

    response = admin_client.post(url, change_form(norway, note="Announced in Prague."))
    assert response.status_code == 302
    norway.refresh_from_db()
    withdrawal = with_source(
        change_form(norway, withdrawn_on="2025-01-15"),
        supports="withdrawn",
        url="https://www.regjeringen.no/withdrawal",
        kind="government",
    )
    response = admin_client.post(url, withdrawal)
    assert response.status_code == 302
    norway.refresh_from_db()
    assert norway.status == "withdrawn"
    assert norway.withdrawn_on == datetime.date(2025, 1, 15)
    assert Participant.objects.with_record(dfi).get(name="Norway").status_on == "withdrawn"

    history = admin_client.get(reverse("admin:signatories_endorsement_history", args=[norway.pk]))
    assert history.status_code == 200
    text = visible_text(history)
    assert "Status: Endorsed → Withdrawn" in text  # what changed, in the editors' words
    assert "Withdrawal date: — → 15 January 2025" in text
    assert "event on 2 Nov 2022 → Announced in Prague." in text
    assert text.count(" admin ") >= 2  # who, beside each change
    latest, previous = norway.history.all()[:2]
    delta = latest.diff_against(previous)
    assert {change.field for change in delta.changes} == {"status", "withdrawn_on"}
    assert norway.actions.get(kind="withdrawn").taken_on == datetime.date(2025, 1, 15)
    assert norway.sources.get(supports="withdrawn").url == "https://www.regjeringen.no/withdrawal"


def with_source(data, **fields):
    """The form's data with one more source row."""
    i = int(data["sources-TOTAL_FORMS"])
    data["sources-TOTAL_FORMS"] = str(i + 1)
    data.update({f"sources-{i}-{name}": value for name, value in fields.items()})
    data.setdefault(f"sources-{i}-position", "1")
    return data


def test_a_withdrawal_without_its_own_source_is_refused_and_nothing_written(admin_client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    url = reverse("admin:signatories_endorsement_change", args=[norway.pk])
    before = snapshot()
    response = admin_client.post(url, change_form(norway, withdrawn_on="2025-01-15"))
    assert response.status_code == 200
    assert services.ACTION_SOURCE_REQUIRED["withdrawn"] in visible_text(response)
    assert snapshot() == before


def test_a_dispute_is_recorded_with_its_date_and_its_own_source(admin_client, dfi):
    japan = Endorsement.objects.get(participant__name="Japan", declaration=dfi)
    url = reverse("admin:signatories_endorsement_change", args=[japan.pk])
    refused = admin_client.post(url, change_form(japan, disputed_on="2024-02-01"))
    assert services.ACTION_SOURCE_REQUIRED["disputed"] in visible_text(refused)
    dispute = with_source(
        change_form(japan, disputed_on="2024-02-01"),
        supports="disputed",
        url="https://example.org/japan-statement",
        kind="news",
        publisher="Example News",
        archive_url="https://web.archive.org/web/2024/https://example.org/japan-statement",
        quote="Japan has not completed its procedure.",
    )
    assert admin_client.post(url, dispute).status_code == 302
    japan.refresh_from_db()
    assert (japan.status, japan.disputed_on) == ("disputed", datetime.date(2024, 2, 1))
    assert japan.status_on(datetime.date(2024, 1, 31)) == "endorsed"
    [source] = japan.sources.filter(supports="disputed")
    assert source.quote == "Japan has not completed its procedure."
    page = visible_text(admin_client.get("/participants/japan/"))
    assert "Disputed since 1 February 2024" in page
    assert "Japan has not completed its procedure." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"endorsed_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "endorsed_on",
            models.FUTURE_DATE,
            id="future-date",
        ),
        pytest.param(
            {"endorsed_on": "2022-04-01"},
            "endorsed_on",
            "DFI was launched on 28 April 2022; no endorsement can be earlier.",
            id="before-launch",
        ),
        pytest.param(
            {"status": "withdrawn", "withdrawn_on": "2023-01-01"},
            "withdrawn_on",
            models.WITHDRAWAL_BEFORE_ENDORSEMENT,
            id="withdrawal-before-endorsement",
        ),
    ],
)
def test_bad_endorsement_is_refused_in_the_admin(
    admin_client, dfi, participant, overrides, field, message
):
    response = admin_client.post(ADD_URL, endorsement_form(participant, dfi, **overrides))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Endorsement.objects.filter(participant=participant).exists()


def test_a_source_for_a_withdrawal_that_is_not_recorded_is_refused(admin_client, dfi, participant):
    data = with_source(
        endorsement_form(participant, dfi),
        supports="withdrawn",
        url="https://example.org/withdrawal",
        kind="news",
    )
    before = snapshot()
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    message = services.SOURCE_WITHOUT_ACTION.format(kind="withdrawn")
    assert message in visible_text(response)
    assert snapshot() == before


def test_endorsement_without_a_source_is_refused_in_the_admin(admin_client, dfi, participant):
    form = endorsement_form(participant, dfi, **{"sources-0-url": "", "sources-0-title": ""})
    response = admin_client.post(ADD_URL, form)
    assert response.status_code == 200
    assert services.SOURCE_REQUIRED in response.content.decode()
    assert not Endorsement.objects.filter(participant=participant).exists()


def test_duplicate_endorsement_is_refused_in_the_admin(admin_client, dfi):
    norway = Participant.objects.get(name="Norway")
    response = admin_client.post(ADD_URL, endorsement_form(norway, dfi))
    assert response.status_code == 200
    assert "Norway already has an endorsement of DFI." in response.content.decode()
    assert Endorsement.objects.filter(participant=norway).count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("QZ", "is not an ISO 3166-1 alpha-2 code", id="unknown-iso"),
        pytest.param("NO", "Another participant already has this ISO alpha-2 code.", id="dup"),
    ],
)
def test_bad_iso_code_is_refused_in_the_admin(admin_client, code, message):
    response = admin_client.post(
        reverse("admin:signatories_participant_add"),
        {
            "name": "Atlantis",
            "slug": "atlantis",
            "iso_name": "",
            "iso_alpha2": code,
            "iso_alpha3": "",
            "entity_type": "state",
            "region": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Participant.objects.filter(name="Atlantis").exists()


@pytest.mark.parametrize(
    "name",
    [
        "signatories_endorsement",
        "signatories_participant",
        "signatories_region",
        "signatories_event",
        "signatories_source",
        "signatories_forummembership",
        "declaration_declaration",
        "declaration_pillar",
        "declaration_commitment",
        "declaration_forum",
    ],
)
def test_every_model_has_a_working_admin_list(admin_client, name):
    response = admin_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_endorsement_list_filters_by_region_and_status(admin_client):
    url = reverse("admin:signatories_endorsement_changelist")
    response = admin_client.get(url, {"region": "150", "status__exact": "endorsed"})
    names = {e.participant.name for e in response.context["cl"].result_list}
    assert "Norway" in names and "Japan" not in names and "Kenya" not in names
    response = admin_client.get(url, {"status__exact": "disputed"})
    assert [e.participant.name for e in response.context["cl"].result_list] == ["Kenya"]


def test_participant_autocomplete_finds_by_name(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Norw",
            "app_label": "signatories",
            "model_name": "endorsement",
            "field_name": "participant",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Norway"]


def test_editing_sources_on_the_endorsement_changes_only_what_the_editor_changed(admin_client, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    before = list(norway.sources.order_by("position"))
    url = reverse("admin:signatories_endorsement_change", args=[norway.pk])
    form = change_form(norway, **{"sources-0-title": "Renamed by the editor"})
    form[f"sources-{len(before) - 1}-DELETE"] = "on" if len(before) > 1 else ""
    assert admin_client.post(url, form).status_code == 302
    after = list(norway.sources.order_by("position"))
    assert after[0].pk == before[0].pk and after[0].title == "Renamed by the editor"
    if len(before) > 1:
        assert before[-1].pk not in {source.pk for source in after}
    change = Source.history.filter(id=before[0].pk).latest("history_date")
    assert change.history_type == "~" and change.history_user.username == "admin"


def test_sources_are_read_in_their_own_admin_and_changed_on_the_endorsement(
    client, django_user_model, dfi
):
    client.force_login(make_editor(django_user_model))
    source = Source.objects.filter(endorsement__declaration=dfi).first()
    assert client.get(reverse("admin:signatories_source_changelist")).status_code == 200
    assert client.get(reverse("admin:signatories_source_add")).status_code == 403
    assert (
        client.get(reverse("admin:signatories_source_delete", args=[source.pk])).status_code == 403
    )
    page = client.get(reverse("admin:signatories_source_change", args=[source.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_a_superuser_deletes_a_mistaken_endorsement_and_its_sources_the_history_stays(
    admin_client, dfi, participant
):
    assert admin_client.post(ADD_URL, endorsement_form(participant, dfi)).status_code == 302
    endorsement = Endorsement.objects.get(participant=participant, declaration=dfi)
    url = reverse("admin:signatories_endorsement_delete", args=[endorsement.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Endorsement.objects.filter(pk=endorsement.pk).exists()
    assert not Source.objects.filter(endorsement_id=endorsement.pk).exists()
    assert [row.history_type for row in Endorsement.history.filter(id=endorsement.pk)] == [
        "-",
        "+",
    ]


def test_editors_cannot_delete_an_endorsement(client, django_user_model, dfi):
    client.force_login(make_editor(django_user_model))
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    url = reverse("admin:signatories_endorsement_delete", args=[norway.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Endorsement.objects.filter(pk=norway.pk).exists()


def test_the_admin_names_the_tracker_not_django(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Declaration tracker: the editors&#x27; admin" in page
    assert "Django administration" not in page
