"""A database seeded before the declaration's migrations keeps its rows and editors' changes, and
gains what the migrations add."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declaration.models import Basis, Commitment, Declaration, Pillar

BEFORE_MARKS = [("declaration", "0002_forum_membership_facts")]
MARKS = [("declaration", "0003_basis")]
REWORDED = [("declaration", "0004_commitment_wording")]
WORDING = importlib.import_module("declaration.migrations.0004_commitment_wording").WORDING


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
def test_marks_come_to_a_database_seeded_before(seed_after):
    call_command("seed", force=True, verbosity=0)
    old = migrate(BEFORE_MARKS)
    # An editor reworded heading 5: it is no longer the wording the data file marks.
    old.get_model("declaration", "Pillar").objects.filter(number=5).update(title="Governance")
    count = old.get_model("declaration", "Commitment").objects.count()
    migrate(MARKS)
    pillars = {pillar.number: pillar for pillar in Pillar.objects.filter(declaration__slug="dfi")}
    assert pillars[1].title_basis == Basis.QUOTED
    assert pillars[1].title_note == "seen verbatim in one source"
    assert [pillars[n].title_basis for n in (2, 3, 4)] == [Basis.INFERRED] * 3
    assert (pillars[5].title, pillars[5].title_basis) == ("Governance", Basis.INFERRED)
    assert Commitment.objects.count() == count == 23
    assert set(Commitment.objects.values_list("text_basis", flat=True)) == {Basis.PARAPHRASED}
    dfi = Declaration.objects.get(slug="dfi")
    assert dfi.grouping_basis == Basis.INFERRED
    assert "23 commitments" in dfi.structure_note


@pytest.mark.django_db(transaction=True)
def test_the_first_seeds_added_words_go_and_editors_wording_stays(seed_after):
    call_command("seed", force=True, verbosity=0)
    seeded = dict(Commitment.objects.values_list("number", "text"))
    Old = migrate(MARKS).get_model("declaration", "Commitment")
    for number, (old, _) in WORDING.items():  # as the first seed had them
        Old.objects.filter(number=number).update(text=old)
    Old.objects.filter(number=21).update(text="Edited by an editor.")
    migrate(REWORDED)
    texts = dict(Commitment.objects.values_list("number", "text"))
    assert texts == {**seeded, 21: "Edited by an editor."}
    assert not Commitment.objects.filter(text__contains="proportionate").exists()
