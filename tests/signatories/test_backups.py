"""Backup, wipe, restore: every table comes back with identical rows."""

import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from declaration.models import Declaration
from signatories.models import DataVersion, Endorsement, Participant


def snapshot():
    """Every row of every table, model by model, in primary-key order."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def database(django_db_setup, django_db_blocker, tmp_path):
    """The seeded test database outside any test transaction, reseeded should the test fail."""
    with django_db_blocker.unblock():
        try:
            yield tmp_path
        finally:
            if not Participant.objects.exists():
                call_command("flush", interactive=False, verbosity=0)
                call_command("seed", verbosity=0)


def test_backup_wipe_restore_gives_identical_rows(database):
    if connection.vendor == "postgresql":
        for tool in ("pg_dump", "pg_restore"):
            if not shutil.which(tool):
                pytest.skip(f"{tool} is not installed")
    # Rows whose ids no longer follow the order they were loaded in, as after editors' work
    # (or the browser tests' reseeding): a restore must bring back the very same ids.
    dfi = Declaration.objects.get(slug="dfi")
    g7 = dfi.forums.get(slug="g7")
    dfi.forums.remove(g7)
    dfi.forums.add(g7)
    before = snapshot()
    assert len(before[Participant._meta.db_table]) == 198
    assert len(before[Endorsement._meta.db_table]) == 67

    path = database / ("backup.dump" if connection.vendor == "postgresql" else "backup.sqlite3")
    call_command("backup", output=str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Participant.objects.exists()

    call_command("restore", str(path), interactive=False, verbosity=0)
    after = snapshot()
    assert after.keys() == before.keys()
    # A restore renews the data version, so no page cached before it is reused.
    version = DataVersion._meta.db_table
    assert after.pop(version) != before.pop(version)
    for table, rows in before.items():
        assert after[table] == rows, table


def test_backup_writes_a_timestamped_file_under_backups(settings, db):
    from signatories.backups import default_path

    path = default_path()
    assert path.parent == settings.BASE_DIR / "backups"
    assert path.suffix == (".dump" if connection.vendor == "postgresql" else ".sqlite3")


def test_restore_refuses_a_missing_file(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", "/nonexistent/backup.dump", interactive=False)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(database):
    from django.core.management.base import CommandError

    before = snapshot()
    path = database / ("notes.dump" if connection.vendor == "postgresql" else "notes.sqlite3")
    path.write_text("Endorsers: Norway, Peru\n")
    with pytest.raises(CommandError, match="is not a backup of this database"):
        call_command("restore", str(path), interactive=False, verbosity=0)
    assert snapshot() == before
