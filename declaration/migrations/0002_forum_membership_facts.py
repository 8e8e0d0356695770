"""What a forum's figure must say beside it: members that are not participants, and whether the
recorded list is complete. A database seeded before gets the values of
fixtures/source/declaration.toml for the forums it has, where they are still the defaults."""

import tomllib
from pathlib import Path

from django.db import migrations, models

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "declaration.toml"
FACTS = ("other_members", "member_list_complete", "member_list_note")


def add_facts(apps, schema_editor):
    if not SOURCE.is_file():
        return
    Forum = apps.get_model("declaration", "Forum")
    with SOURCE.open("rb") as handle:
        forums = {forum["slug"]: forum for forum in tomllib.load(handle)["forums"]}
    for forum in Forum.objects.filter(slug__in=forums):
        if forum.other_members or not forum.member_list_complete or forum.member_list_note:
            continue  # an editor has set them already
        for name in FACTS:
            if name in forums[forum.slug]:
                setattr(forum, name, forums[forum.slug][name])
        forum.save(update_fields=list(FACTS))


class Migration(migrations.Migration):
    dependencies = [
        ("declaration", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="forum",
            name="member_list_complete",
            field=models.BooleanField(
                default=True,
                help_text="Untick when the members recorded here are not all of them; pages say so beside the figure.",
            ),
        ),
        migrations.AddField(
            model_name="forum",
            name="member_list_note",
            field=models.CharField(
                blank=True,
                help_text="What is known of the whole list, shown beside the figure when it is incomplete, e.g. “the coalition reported 42 members in 2025”.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="forum",
            name="other_members",
            field=models.TextField(
                blank=True,
                help_text="Members that are not participants in this tracker, one a line (the African Union in the G20); pages name them beside the figure.",
            ),
        ),
        migrations.RunPython(add_facts, migrations.RunPython.noop),
    ]
