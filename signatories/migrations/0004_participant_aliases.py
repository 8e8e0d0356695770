"""Aliases: the other names people search for (Turkey, UK, USA...), and search names that hold
every name whole ("|turkiye|turkey|"). A database seeded before gets the reviewed aliases of
fixtures/source/aliases.csv where it has none; every search name is written again."""

import csv
from pathlib import Path

from django.db import migrations, models

from signatories.models import search_text

ALIASES = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "aliases.csv"


def add_aliases(apps, schema_editor):
    Participant = apps.get_model("signatories", "Participant")
    reviewed = {}
    if ALIASES.is_file():
        with ALIASES.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                reviewed.setdefault(row["participant"], []).append(row["alias"])
    for participant in Participant.objects.all():
        if not participant.aliases and participant.name in reviewed:
            participant.aliases = "\n".join(reviewed[participant.name])
        names = [participant.name, participant.iso_name, *participant.aliases.splitlines()]
        participant.search_name = search_text(names)
        participant.save(update_fields=["aliases", "search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0003_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalparticipant",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text="Other names people search for, one a line: former (Turkey), informal (UK) or official long names (United States of America). ISO codes need no line.",
            ),
        ),
        migrations.AddField(
            model_name="participant",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text="Other names people search for, one a line: former (Turkey), informal (UK) or official long names (United States of America). ISO codes need no line.",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipant",
            name="search_name",
            field=models.CharField(db_index=True, editable=False, max_length=600),
        ),
        migrations.AlterField(
            model_name="participant",
            name="search_name",
            field=models.CharField(db_index=True, editable=False, max_length=600),
        ),
        migrations.RunPython(add_aliases, migrations.RunPython.noop),
    ]
