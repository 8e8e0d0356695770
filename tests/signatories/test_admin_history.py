"""The admin's history pages speak the editors' language: labels, readable values, "—"."""

import datetime
import html
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject

from importing.planning import apply_import
from signatories import services
from signatories.admin import BULK_WITHDRAWAL
from signatories.admin_history import EMPTY, ReadableHistoryAdmin, readable_value
from signatories.models import Endorsement, Event, ForumMembership, ImportBatch, Participant, Source
from tests.importing.files import HEADER, csv_bytes, make_editor, row, snapshot
from tests.signatories.test_admin import visible_text

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:signatories_endorsement_changelist")


def raw_words(model, text):
    """What simple-history shows by itself, and an editor should never read: Python's None,
    True and False, and the model's column names (endorsed_on, event_id)."""
    names = {"None", "True", "False"}
    names |= {name for f in model._meta.fields for name in (f.name, f.attname) if "_" in name}
    return [name for name in sorted(names) if re.search(rf"\b{name}\b", text)]


@pytest.fixture
def editor(client, django_user_model):
    user = make_editor(django_user_model)
    client.force_login(user)
    return user


def history_page(client, obj):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response


def table(response):
    """The history page's table, without the admin's menus around it."""
    return re.search(r'<table id="change-history".*?</table>', response.content.decode(), re.S)[0]


def headings(response):
    return re.findall(r'<th scope="col">([^<]*)</th>', table(response))


def history_table(response):
    """The visible text of the history table."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", table(response)))
    return re.sub(r"\s+", " ", text).strip()


def test_an_endorsements_history_shows_labels_and_readable_values(client, editor, dfi):
    france = Endorsement.objects.get(participant__name="France", declaration=dfi)
    prague = Event.objects.get(name__startswith="Prague")
    assert (france.note, france.event.name) == ("", "Launch of the Declaration")
    france.event, france.note = prague, "Confirmed in Prague."
    services.save_endorsement(
        endorsement=france, sources=list(france.sources.values_list("url", flat=True)), user=editor
    )
    response = client.post(
        CHANGELIST,
        {
            "action": "withdraw_selected",
            "_selected_action": [france.pk],
            "withdrawn_on": "2024-03-01",
            "source_url": "https://www.diplomatie.gouv.fr/withdrawal",
            "source_kind": "government",
        },
    )
    assert response.status_code == 302

    response = history_page(client, france)

    assert headings(response)[:5] == [
        "Object",
        "Status",
        "Endorsement date",
        "Dispute date",
        "Withdrawal date",
    ]
    text = history_table(response)
    assert "Status: Endorsed → Withdrawn" in text
    assert "Withdrawal date: — → 1 March 2024" in text
    assert "Event: Launch of the Declaration" in text
    assert "→ Prague high-level multi-stakeholder event" in text
    assert "Note: — → Confirmed in Prague." in text
    # The newest row's columns: status, the actions' dates, then who and why.
    assert "France – DFI Withdrawn 28 April 2022 — 1 March 2024" in text
    assert f"Changed editor {BULK_WITHDRAWAL.format(count=1, s='')}" in text
    assert "Withdrawal recorded for 1 endorsement at once" in text
    # The first row, from the seed: nobody recorded it in the admin, and nothing changed.
    assert text.endswith("Created — Initial record, compiled from its sources —")
    assert raw_words(Endorsement, text) == []
    assert "→ withdrawn" not in text


def test_a_participants_history_shows_yes_no_and_names(client, editor):
    norway = Participant.objects.get(name="Norway")
    norway.un_member, norway.region = False, None
    norway._history_user = editor
    norway.save()

    response = history_page(client, norway)

    assert headings(response)[:3] == ["Object", "ISO alpha-2", "Region"]
    text = history_table(response)
    assert "UN member: Yes → No" in text
    assert "Region: Northern Europe → —" in text
    assert "Norway NO — " in text  # the newest row: no region
    assert raw_words(Participant, text) == []


def test_a_forum_memberships_history_is_readable(client, editor):
    membership = ForumMembership.objects.filter(
        since_precision="day", since__lte=datetime.date(2020, 1, 1), until__isnull=True
    ).first()
    membership.since_precision, membership.until = "year", datetime.date(2020, 12, 31)
    membership._history_user = editor
    membership.save()

    text = history_table(history_page(client, membership))

    assert "Since precision: Day → Year only" in text
    assert "Until: — → 31 December 2020" in text
    assert raw_words(ForumMembership, text) == []


def test_a_sources_history_is_readable(client, editor):
    source = Source.objects.filter(title="White House fact sheet, 28 April 2022").first()
    source.title = ""
    source._history_user = editor
    source.save()

    text = history_table(history_page(client, source))

    assert "Title: White House fact sheet, 28 April 2022 → —" in text
    assert raw_words(Source, text) == []


def test_every_model_with_history_in_the_admin_shows_it_readably():
    with_history = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert len(with_history) >= 4
    assert all(isinstance(model_admin, ReadableHistoryAdmin) for model_admin in with_history)


def test_an_imports_page_lists_what_each_history_row_changed(client, editor, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    withdrawal = row(
        "Norway",
        status="Withdrawn",
        on="2022-11-02",
        withdrawn="2024-03-01",
        event=norway.event.name,
        note=norway.note,
        sources=" ; ".join(norway.sources.values_list("url", flat=True)),
        **{"Status sources": "https://www.regjeringen.no/withdrawal"},
    )
    content = csv_bytes([withdrawal, row("Brazil")], header=[*HEADER, "Status sources"])
    batch, _ = apply_import(dfi, "a.csv", content, user=editor)
    assert ImportBatch.objects.get() == batch

    response = client.get(reverse("admin:signatories_importbatch_change", args=[batch.pk]))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Brazil : new Norway : changed Status: Endorsed → Withdrawn" in text
    assert "Withdrawal date: — → 1 March 2024" in text
    assert "None" not in text


def test_the_history_page_reads_the_database_a_fixed_number_of_times(
    client, editor, dfi, django_assert_max_num_queries
):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    for number in range(30):
        norway.note, norway.event = f"Note {number}", Event.objects.order_by("?").first()
        norway.save()
    with django_assert_max_num_queries(10):
        history_page(client, norway)


@pytest.mark.parametrize(
    ("value", "field", "shown"),
    [
        (None, Endorsement._meta.get_field("withdrawn_on"), EMPTY),
        ("", Endorsement._meta.get_field("note"), EMPTY),
        ("withdrawn", Endorsement._meta.get_field("status"), "Withdrawn"),
        ("gone", Endorsement._meta.get_field("status"), "gone"),  # no longer a choice
        (datetime.date(2022, 4, 29), Endorsement._meta.get_field("endorsed_on"), "29 April 2022"),
        (True, Participant._meta.get_field("un_member"), "Yes"),
        (False, Participant._meta.get_field("un_member"), "No"),
        (DeletedObject(Event, None), Endorsement._meta.get_field("event"), EMPTY),
        (DeletedObject(Event, 7), Endorsement._meta.get_field("event"), "Deleted event (pk=7)"),
        (
            datetime.datetime(2024, 3, 1, 9, 5, tzinfo=datetime.UTC),
            Endorsement._meta.get_field("created_at"),
            "1 March 2024, 09:05",
        ),
    ],
)
def test_values_are_read_through_their_field(value, field, shown):
    assert readable_value(value, field) == shown


def test_a_past_version_is_read_never_reverted_to(client, editor, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    version = norway.history.earliest()
    url = reverse("admin:signatories_endorsement_simple_history", args=[norway.pk, version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Revert" not in visible_text(page)
    before = snapshot()
    assert client.post(url, {"note": "Reverted around the services."}).status_code == 403
    assert snapshot() == before
