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
    """These tests migrate the shared test database back and forth: bring it to the latest
    migration and give the seed back after."""
    yield
    with django_db_blocker.unblock():
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
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


@pytest.mark.django_db(transaction=True)
def test_the_seed_of_a_database_seeded_before_becomes_the_initial_record(seed_after):
    from signatories.history import INITIAL_RECORD
    from signatories.models import Endorsement

    call_command("seed", force=True, verbosity=0)
    migrate([("signatories", "0004_participant_aliases")])
    # As a database seeded before: the seed's rows have no reason; an editor's change has one.
    Endorsement.history.update(history_change_reason=None)
    kenya = Endorsement.objects.get(participant__name="Kenya")
    kenya.note = "Changed by an editor."
    kenya._change_reason = "Corrected the note"
    kenya.save()
    migrate([("signatories", "0005_initial_record")])
    assert Endorsement.history.filter(history_change_reason=INITIAL_RECORD).count() == 67
    assert kenya.history.latest("history_date").history_change_reason == "Corrected the note"
