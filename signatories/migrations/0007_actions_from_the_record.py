"""Each endorsement's dates become its dated actions, and its sources gain their evidence.

For every endorsement: the listing (its endorsement date, precision and event); a withdrawal
where it was withdrawn; a dispute where it is disputed, dated and sourced from the reviewed
list fixtures/source/actions.csv (Kenya: 29 April 2022, KBC), else dated on the endorsement
date, the best the record knew. Sources take their kind, publisher and publication date from
fixtures/source/sources.csv where they are empty, and a source it names for one participant
(Senegal's revised White House fact sheet) is added where missing. An event assigned by the
seed to an endorsement whose day is not known (Senegal) is removed, unless an editor changed
that endorsement since. Nothing an editor wrote is lost.
"""

import csv
import datetime
from pathlib import Path

from django.db import migrations

SOURCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "source"
INITIAL_RECORD = "Initial record, compiled from its sources"  # as signatories.history says


def read_csv(name):
    path = SOURCE_DIR / name
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def make_actions(apps, schema_editor):
    Endorsement = apps.get_model("signatories", "Endorsement")
    Action = apps.get_model("signatories", "Action")
    Source = apps.get_model("signatories", "Source")
    History = apps.get_model("signatories", "HistoricalEndorsement")
    disputes = {
        (row["participant"], row["declaration"]): row
        for row in read_csv("actions.csv")
        if row["kind"] == "disputed"
    }
    evidence = {(row["participant"], row["url"]): row for row in read_csv("sources.csv")}
    for endorsement in Endorsement.objects.select_related("participant", "declaration", "event"):
        who = endorsement.participant.name
        if (
            endorsement.event_id
            and endorsement.date_precision == "on_or_before"
            and endorsement.event.held_on != endorsement.endorsed_on
        ):
            latest = (
                History.objects.filter(id=endorsement.pk)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if latest is None or latest.history_change_reason == INITIAL_RECORD:
                endorsement.event = None
        Action.objects.create(
            endorsement=endorsement,
            kind="endorsed",
            taken_on=endorsement.endorsed_on,
            date_precision=endorsement.date_precision,
            event=endorsement.event,
        )
        if endorsement.withdrawn_on:
            Action.objects.create(
                endorsement=endorsement, kind="withdrawn", taken_on=endorsement.withdrawn_on
            )
        if endorsement.status == "disputed":
            row = disputes.get((who, endorsement.declaration.slug))
            day = endorsement.endorsed_on
            if row:
                day = max(datetime.date.fromisoformat(row["taken_on"]), day)
                source = Source.objects.filter(
                    endorsement=endorsement, url=row["source_url"]
                ).first() or Source(endorsement=endorsement, url=row["source_url"])
                source.supports, source.position = "disputed", 1
                source.save()
            Action.objects.create(
                endorsement=endorsement,
                kind="disputed",
                taken_on=day,
                date_precision=row["date_precision"] if row else "on_or_before",
                note=row["note"] if row else "",
            )
            endorsement.disputed_on = day
        endorsement.save()
        for (participant, url), facts in evidence.items():
            if participant == who and not endorsement.sources.filter(url=url).exists():
                Source.objects.create(
                    endorsement=endorsement,
                    url=url,
                    title=facts["title"],
                    position=endorsement.sources.count() + 1,
                )
        for source in endorsement.sources.all():
            facts = evidence.get((who, source.url)) or evidence.get(("", source.url))
            if facts is None:
                continue
            source.kind = source.kind if source.kind != "other" else facts["kind"]
            source.publisher = source.publisher or facts["publisher"]
            if facts["published_on"] and not source.published_on:
                source.published_on = facts["published_on"]
            source.archive_url = source.archive_url or facts["archive_url"]
            source.save()


class Migration(migrations.Migration):
    dependencies = [("signatories", "0006_actions_and_evidence")]

    operations = [migrations.RunPython(make_actions, migrations.RunPython.noop)]
