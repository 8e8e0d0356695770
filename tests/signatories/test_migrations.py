"""A database seeded and edited before a migration keeps every row and gains what it adds."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from signatories.models import Participant

BEFORE = [("signatories", "0003_indexes")]
AFTER = [("signatories", "0004_participant_aliases")]


@pytest.fixture(scope="module")
def seed_after(django_db_setup, django_db_blocker):
    """These tests migrate the shared test database back and forth: give the seed back after."""
    yield
    with django_db_blocker.unblock():
        call_command("seed", force=True, verbosity=0)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_aliases_come_to_a_database_seeded_before_and_its_edits_stay(seed_after):
    call_command("seed", force=True, verbosity=0)
    old = migrate(BEFORE).get_model("signatories", "Participant")
    count = old.objects.count()
    old.objects.filter(name="Norway").update(iso_name="Kingdom of Norway (edited)")
    migrate(AFTER)
    assert Participant.objects.count() == count
    turkiye = Participant.objects.get(name="Türkiye")
    assert turkiye.aliases.splitlines() == ["Turkey", "Republic of Türkiye"]
    assert turkiye.search_name == "|turkiye|turkey|republic of turkiye|"
    norway = Participant.objects.get(name="Norway")
    assert norway.iso_name == "Kingdom of Norway (edited)"
    assert norway.search_name == "|norway|kingdom of norway (edited)|"
