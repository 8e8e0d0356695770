"""``manage.py import_endorsements FILE [--dry-run]``: the admin's import from a terminal."""

import pytest
from django.core.management import CommandError, call_command

from importing.management.commands import import_endorsements
from signatories.models import Endorsement, ImportBatch, Participant
from tests.importing.files import csv_bytes, row, snapshot

pytestmark = pytest.mark.django_db


def write(tmp_path, content, name="endorsements.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path, capsys, dfi):
    path = write(
        tmp_path, csv_bytes([row("Brazil"), row("Chile", status="Not endorsed", on="", sources="")])
    )
    before = snapshot()
    call_command("import_endorsements", path, "--dry-run")
    out = capsys.readouterr().out
    assert "Row 2: Brazil new" in out
    assert "Summary: 1 new, 0 changed, 1 unchanged, 0 error (2 rows)." in out
    assert "Dry run, nothing written." in out
    assert snapshot() == before


def test_import_writes_and_names_the_user(tmp_path, capsys, dfi, django_user_model):
    editor = django_user_model.objects.create_user("anna", password="x-long-password-1")
    path = write(tmp_path, csv_bytes([row("Brazil")]))
    call_command("import_endorsements", path, "--user", "anna")
    batch = ImportBatch.objects.get()
    assert f"Import #{batch.pk}: endorsements.csv applied. 1 row: 1 new." in capsys.readouterr().out
    brazil = Endorsement.objects.get(participant__name="Brazil")
    assert brazil.history.latest().history_user == editor


def test_errors_are_listed_and_nothing_is_written(tmp_path, capsys, dfi):
    path = write(tmp_path, csv_bytes([row("Brazil"), row("Atlantis")]))
    before = snapshot()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 row with errors"):
        call_command("import_endorsements", path)
    assert "Row 3, Name: No participant is called “Atlantis”." in capsys.readouterr().err
    assert snapshot() == before


def test_unreadable_file_is_refused_with_its_message(tmp_path, dfi):
    path = write(tmp_path, b"", name="empty.csv")
    with pytest.raises(CommandError, match="Nothing was imported: The file is empty."):
        call_command("import_endorsements", path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/file.csv"], "No file at /no/such/file.csv."),
        (["FILE", "--declaration", "nope"], "No declaration “nope”; known: dfi."),
        (["FILE", "--user", "ghost"], "No user “ghost”."),
    ],
)
def test_bad_arguments_are_refused(tmp_path, dfi, args, message):
    path = write(tmp_path, csv_bytes([row("Brazil")]))
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("import_endorsements", *[path if a == "FILE" else a for a in args])
    assert snapshot() == before


def test_large_file_shows_a_progress_bar(tmp_path, capsys, dfi, monkeypatch):
    monkeypatch.setattr(import_endorsements, "PROGRESS_FROM", 50)
    names = Participant.objects.exclude(endorsements__declaration=dfi).values_list(
        "name", flat=True
    )
    path = write(tmp_path, csv_bytes([row(name) for name in names]))
    call_command("import_endorsements", path, "--dry-run", verbosity=0)
    err = capsys.readouterr().err
    total = len(names)
    assert f"Checking rows [{'#' * 40}] {total}/{total}" in err
