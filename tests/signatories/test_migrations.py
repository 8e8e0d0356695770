"""A database seeded and edited before a migration keeps every row and gains what it adds."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from signatories.models import Action, Endorsement, Participant, Source

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


def latest_with_the_seed():
    """The database at the latest migration with the seed: where each test starts."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    call_command("seed", force=True, verbosity=0)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_aliases_come_to_a_database_seeded_before_and_its_edits_stay(seed_after):
    latest_with_the_seed()
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

    latest_with_the_seed()
    old = migrate([("signatories", "0004_participant_aliases")])
    history = old.get_model("signatories", "HistoricalEndorsement")
    # As a database seeded before: the seed's rows have no reason; an editor's change has one.
    history.objects.update(history_change_reason=None)
    kenya = history.objects.filter(participant__name="Kenya").latest("history_date")
    kenya.pk = None
    kenya.note, kenya.history_type = "Changed by an editor.", "~"
    kenya.history_change_reason = "Corrected the note"
    kenya.history_date = timezone.now() + datetime.timedelta(hours=1)
    kenya.save()
    history = migrate([("signatories", "0005_initial_record")]).get_model(
        "signatories", "HistoricalEndorsement"
    )
    assert history.objects.filter(history_change_reason=INITIAL_RECORD).count() == 67
    latest = history.objects.filter(participant__name="Kenya").latest("history_date")
    assert latest.history_change_reason == "Corrected the note"


WH = (
    "https://www.whitehouse.gov/briefing-room/statements-releases/2022/04/28/fact-sheet-united-"
    "states-and-60-global-partners-launch-declaration-for-the-future-of-the-internet/"
)
KBC = "https://www.kbc.co.ke/kenya-clarifies-position-on-signatory-to-declaration-for-the-future-internet/"


@pytest.mark.django_db(transaction=True)
def test_a_database_edited_before_the_actions_keeps_every_row_and_gains_its_actions(seed_after):
    """A copy of the seed as it was before the actions, with editors' edits, migrates without
    loss: each endorsement's dates become its actions; Kenya's dispute is dated and sourced."""
    latest_with_the_seed()
    old = migrate([("signatories", "0005_initial_record")])
    OldEndorsement = old.get_model("signatories", "Endorsement")
    OldSource = old.get_model("signatories", "Source")
    Event = old.get_model("signatories", "Event")
    # The seed as it was: Senegal credited to the launch, on one source; Kenya's statement
    # among its endorsement's sources.
    senegal = OldEndorsement.objects.get(participant__name="Senegal")
    senegal.event = Event.objects.get(name__startswith="Launch")
    senegal.save()
    OldSource.objects.filter(endorsement=senegal, url=WH).delete()
    # Editors' work: Peru withdrawn (no source for it then), Norway's note, a source for Japan.
    OldEndorsement.objects.filter(participant__name="Peru").update(
        status="withdrawn", withdrawn_on=datetime.date(2024, 1, 10)
    )
    OldEndorsement.objects.filter(participant__name="Norway").update(note="Edited note.")
    japan = OldEndorsement.objects.get(participant__name="Japan")
    OldSource.objects.create(endorsement=japan, url="https://example.org/japan", position=3)
    OldParticipant = old.get_model("signatories", "Participant")
    OldParticipant.objects.filter(name="Palestine").update(entity_type="limited_recognition")
    counts = (OldEndorsement.objects.count(), OldSource.objects.count())

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert (Endorsement.objects.count(), Source.objects.count()) == (counts[0], counts[1] + 1)
    kenya = Endorsement.objects.get(participant__name="Kenya")
    assert (kenya.status, kenya.disputed_on) == ("disputed", datetime.date(2022, 4, 29))
    assert kenya.sources.get(url=KBC).supports == "disputed"
    assert kenya.status_on(datetime.date(2022, 4, 28)) == "endorsed"
    peru = Endorsement.objects.get(participant__name="Peru")
    assert [(a.kind, a.taken_on) for a in peru.actions.all()] == [
        ("endorsed", datetime.date(2022, 4, 28)),
        ("withdrawn", datetime.date(2024, 1, 10)),
    ]
    assert Endorsement.objects.get(participant__name="Norway").note == "Edited note."
    assert Source.objects.filter(url="https://example.org/japan").exists()
    senegal = Endorsement.objects.get(participant__name="Senegal")
    assert senegal.event is None and senegal.actions.get().event is None
    revised = senegal.sources.get(url=WH)
    assert revised.archive_url.startswith("https://web.archive.org/web/20220429")
    assert set(Source.objects.filter(url=WH).values_list("publisher", "kind")) == {
        ("The White House", "official")
    }
    # A UN observer state is a state, whatever it was called before (0009).
    assert Participant.objects.get(name="Palestine").entity_type == "state"
    # The record's dates and its actions say the same on every day.
    days = [datetime.date(2022, 4, d) for d in (27, 28, 29, 30)] + [datetime.date(2024, 1, 10)]
    for endorsement in Endorsement.objects.prefetch_related("actions"):
        actions = list(endorsement.actions.all())
        for day in days:
            assert endorsement.status_on(day) == Action.status_after(actions, day), endorsement
