"""An editor imports a file in the admin: preview, errors, confirmation, history, changes."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importing import planning
from signatories import services
from signatories.forms import BAD_DATE
from signatories.models import Endorsement, ImportBatch, Participant
from tests.factories import WITHDRAWAL_SOURCE
from tests.importing.files import SOURCE, csv_bytes, make_editor, row, snapshot, xlsx_bytes
from tests.signatories.test_admin import visible_text

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("importing:import")
PASSWORD = "a-long-editor-passphrase"


@pytest.fixture
def editor(client, django_user_model):
    user = make_editor(django_user_model, password=PASSWORD)
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "the editor logs in"
    return user


def upload(client, dfi, content, name="endorsements.csv"):
    return client.post(
        IMPORT_URL,
        {"declaration": dfi.pk, "file": SimpleUploadedFile(name, content)},
    )


def pending_of(response):
    match = re.search(r'name="pending" value="([^"]+)"', response.content.decode())
    return match and match.group(1)


def test_editor_imports_a_file_with_errors_fixes_it_and_confirms(client, editor, dfi):
    changelist = client.get(reverse("admin:signatories_endorsement_changelist"))
    assert "Import from CSV or XLSX" in visible_text(changelist)
    assert client.get(IMPORT_URL).status_code == 200

    # 1. A file with errors: every error is listed, with row and column, and nothing is written.
    before = snapshot()
    bad = csv_bytes(
        [
            row("Brazil", code="BR"),
            row("Bhutn", on="2023-06-01"),
            row("India", on="28/04/2022"),
            row("Brazil", on="2023-07-01"),
        ]
    )
    response = upload(client, dfi, bad)
    assert response.status_code == 400
    text = visible_text(response)
    assert "Nothing has been imported: 3 rows have errors." in text
    assert "3 Name No participant is called “Bhutn”. Did you mean Bhutan?" in text
    assert "4 Endorsed on “28/04/2022” is ambiguous (day and month could be swapped)" in text
    assert "5 Name Brazil is also on row 2: a file has one row per participant." in text
    assert "New endorsements: 1" in text and "With errors: 3" in text
    assert pending_of(response) is None, "no confirm button while a row has an error"
    assert snapshot() == before

    # 2. The corrected file: a preview of every row, still nothing written.
    good = xlsx_bytes(
        [
            row("Brazil", code="BR", note="<b>Announced</b> by the foreign ministry"),
            row("Bhutan", on="2023-06-01", sources="https://www.mofa.gov.bt/dfi"),
            row("India", on="2023-04-28", precision="On or before"),
            row("Chile", status="Not endorsed", on="", sources=""),
        ]
    )
    response = upload(client, dfi, good, name="fixed.xlsx")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Nothing has been written yet." in text
    assert "New endorsements: 3" in text and "Unchanged: 1" in text
    assert "2 Brazil new" in text and "5 Chile unchanged" in text
    assert "&lt;b&gt;Announced&lt;/b&gt;" in response.content.decode()
    assert snapshot() == before

    # 3. Confirm: all rows in one step, then the import's page lists what it wrote.
    response = client.post(IMPORT_URL, {"pending": pending_of(response)}, follow=True)
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:signatories_importbatch_change", args=[batch.pk]
    )
    text = visible_text(response)
    assert f"Import #{batch.pk} (fixed.xlsx) applied: 4 rows: 3 new and 1 unchanged." in text
    assert "Bhutan : new Brazil : new India : new" in text
    assert (batch.created_by, batch.new, batch.unchanged) == (editor, 3, 1)
    brazil = Endorsement.objects.get(participant__name="Brazil", declaration=dfi)
    assert brazil.note == "<b>Announced</b> by the foreign ministry"

    # 4. The history of the record names the editor and the import.
    history = client.get(reverse("admin:signatories_endorsement_history", args=[brazil.pk]))
    text = visible_text(history)
    assert f"Import #{batch.pk}: fixed.xlsx" in text
    assert editor.username in text

    # 5. The public change list shows what changed, never who.
    changes = client.get(reverse("signatories:changes"))
    text = visible_text(changes)
    assert "Brazil DFI In the world Endorsement of 4 May 2023 recorded" in text
    assert "Bhutan DFI In the world Endorsement of 1 June 2023 recorded" in text
    assert editor.username not in text


def test_confirming_twice_imports_once(client, editor, dfi):
    response = upload(client, dfi, csv_bytes([row("Brazil")]))
    pending = pending_of(response)
    client.post(IMPORT_URL, {"pending": pending})
    response = client.post(IMPORT_URL, {"pending": pending}, follow=True)
    assert (
        importing_message(response) == "The uploaded file is no longer available: upload it again."
    )
    assert ImportBatch.objects.count() == 1


def importing_message(response):
    return [str(m) for m in response.context["messages"]][-1]


def test_tampered_confirmation_writes_nothing(client, editor, dfi):
    before = snapshot()
    response = client.post(IMPORT_URL, {"pending": "forged"}, follow=True)
    assert (
        importing_message(response) == "The uploaded file is no longer available: upload it again."
    )
    assert snapshot() == before


def test_record_changed_between_preview_and_confirm_shows_a_new_preview(client, editor, dfi):
    response = upload(client, dfi, csv_bytes([row("Brazil")]))
    pending = pending_of(response)
    Endorsement.objects.create(
        participant=Participant.objects.get(name="Brazil"),
        declaration=dfi,
        endorsed_on="2023-05-04",
    ).sources.create(url=SOURCE)
    before = snapshot()
    response = client.post(IMPORT_URL, {"pending": pending})
    assert response.status_code == 200
    assert planning.RECORD_CHANGED in visible_text(response)
    assert "Unchanged: 1" in visible_text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("big.csv", b"x" * (10 * 1024 * 1024), "The file is 10.0 MB; the import takes files up to"),
        ("latin.csv", csv_bytes([row("Côte d'Ivoire")], encoding="latin-1"), "is not UTF-8 text"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "is not a CSV or XLSX file"),
    ],
    ids=["empty", "ten_megabytes", "latin1", "png"],
)
def test_bad_upload_shows_its_message_in_the_admin(client, editor, dfi, name, content, message):
    before = snapshot()
    response = upload(client, dfi, content, name=name)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert snapshot() == before


def test_editor_cannot_delete_an_endorsement(client, editor):
    norway = Endorsement.objects.get(participant__name="Norway")
    response = client.get(reverse("admin:signatories_endorsement_delete", args=[norway.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("admin:signatories_endorsement_delete", args=[norway.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    changelist = client.get(reverse("admin:signatories_endorsement_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert Endorsement.objects.filter(pk=norway.pk).exists()


def test_editor_cannot_manage_users(client, editor):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_editors_group_has_exactly_the_editing_permissions():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    for model in ("participant", "endorsement", "source", "forummembership"):
        assert {f"add_{model}", f"change_{model}"} <= codenames
    assert "delete_endorsement" not in codenames
    assert "delete_participant" not in codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    assert not Permission.objects.filter(
        group__name="Editors", content_type__app_label="auth"
    ).exists()


def test_staff_without_editing_rights_cannot_import(client, django_user_model, dfi):
    viewer = django_user_model.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_endorsement"))
    client.force_login(viewer)
    before = snapshot()
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, dfi, csv_bytes([row("Brazil")])).status_code == 403
    assert snapshot() == before


def test_anonymous_visitor_is_sent_to_the_login(client, dfi):
    response = upload(client, dfi, csv_bytes([row("Brazil")]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


CHANGELIST = reverse("admin:signatories_endorsement_changelist")


def withdraw(client, endorsements, **form):
    data = {"action": "withdraw_selected", "_selected_action": [e.pk for e in endorsements]}
    if "withdrawn_on" in form:
        data.update(source_url=WITHDRAWAL_SOURCE, source_kind="government")
    data.update(form)
    return client.post(CHANGELIST, data)


def test_editor_withdraws_several_endorsements_at_once(client, editor):
    chosen = list(Endorsement.objects.filter(participant__name__in=["Norway", "Japan"]))
    form = withdraw(client, chosen)
    assert form.status_code == 200
    assert "Norway: DFI, endorsed 2 November 2022" in visible_text(form)

    response = withdraw(client, chosen, withdrawn_on="2024-03-01", note="Announced by both.")
    assert response.status_code == 302
    for endorsement in chosen:
        endorsement.refresh_from_db()
        assert (endorsement.status, str(endorsement.withdrawn_on)) == ("withdrawn", "2024-03-01")
        assert endorsement.note.endswith("Announced by both.")
        latest = endorsement.history.latest()
        assert latest.history_user == editor
        assert latest.history_change_reason == "Withdrawal recorded for 2 endorsements at once"
    assert "2 endorsements withdrawn on 1 March 2024." in visible_text(client.get(CHANGELIST))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2022-11-01", "Norway: The withdrawal date cannot be before the endorsement date."),
        ("2999-01-01", "The date cannot be in the future."),
        ("01/03/2024", BAD_DATE),
        ("2022-13-45", BAD_DATE),
        ("yesterday", BAD_DATE),
    ],
    ids=["before_the_endorsement", "future", "day_first", "no_such_day", "words"],
)
def test_bad_bulk_withdrawal_changes_nothing(client, editor, day, message):
    chosen = list(Endorsement.objects.filter(participant__name__in=["Japan", "Norway"]))
    before = snapshot()
    response = withdraw(client, chosen, withdrawn_on=day)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert snapshot() == before


def test_a_bulk_withdrawal_without_a_source_is_refused_and_nothing_written(client, editor):
    chosen = list(Endorsement.objects.filter(participant__name__in=["Japan", "Norway"]))
    before = snapshot()
    response = withdraw(client, chosen, withdrawn_on="2024-03-01", source_url="")
    assert response.status_code == 400
    assert services.ACTION_SOURCE_REQUIRED["withdrawn"] in visible_text(response)
    assert snapshot() == before


def test_a_bulk_withdrawal_records_the_withdrawal_with_its_own_source(client, editor):
    [norway] = Endorsement.objects.filter(participant__name="Norway")
    response = withdraw(
        client,
        [norway],
        withdrawn_on="2024-03-01",
        source_title="Ministry statement",
        publisher="Government of Norway",
    )
    assert response.status_code == 302
    withdrawal = norway.actions.get(kind="withdrawn")
    assert withdrawal.taken_on == datetime.date(2024, 3, 1)
    [source] = norway.sources.filter(supports="withdrawn")
    assert (source.url, source.title) == (WITHDRAWAL_SOURCE, "Ministry statement")
    assert (source.kind, source.publisher) == ("government", "Government of Norway")
    # The endorsement's own sources still back the endorsement, not the withdrawal.
    assert norway.sources.filter(supports="endorsed").count() == 2


def test_withdrawing_an_already_withdrawn_endorsement_is_refused(client, editor):
    norway = Endorsement.objects.get(participant__name="Norway")
    withdraw(client, [norway], withdrawn_on="2024-03-01")
    before = snapshot()
    response = withdraw(client, [norway], withdrawn_on="2024-05-01")
    assert "Norway was already withdrawn; nothing was changed." in visible_text(response)
    assert snapshot() == before
