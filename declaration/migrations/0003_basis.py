"""How sure each heading, commitment text and grouping is, as data the page shows (quoted,
paraphrased, inferred). A database seeded before gets the marks of
fixtures/source/declaration.toml; where the file is missing, or a heading no longer has the
wording the file marks, the defaults stand: headings inferred, commitment texts paraphrased."""

import tomllib
from pathlib import Path

from django.db import migrations, models

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "declaration.toml"


def add_marks(apps, schema_editor):
    if not SOURCE.is_file():
        return
    Declaration = apps.get_model("declaration", "Declaration")
    Pillar = apps.get_model("declaration", "Pillar")
    Commitment = apps.get_model("declaration", "Commitment")
    with SOURCE.open("rb") as handle:
        items = tomllib.load(handle).get("declarations", [])
    for item in items:
        declaration = Declaration.objects.filter(slug=item["slug"]).first()
        if declaration is None:
            continue
        declaration.grouping_basis = item.get("grouping_basis", declaration.grouping_basis)
        declaration.structure_note = item.get("structure_note", "")
        declaration.save(update_fields=["grouping_basis", "structure_note"])
        for number, pillar in enumerate(item.get("pillars", []), start=1):
            # A heading an editor has reworded is no longer the wording the file marks.
            Pillar.objects.filter(
                declaration=declaration, number=number, title=pillar["title"]
            ).update(
                title_basis=pillar.get("title_basis", "inferred"),
                title_note=pillar.get("title_note", ""),
            )
        if "commitment_basis" in item:
            Commitment.objects.filter(pillar__declaration=declaration).update(
                text_basis=item["commitment_basis"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("declaration", "0002_forum_membership_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="text_basis",
            field=models.CharField(
                choices=[
                    ("quoted", "Quoted"),
                    ("paraphrased", "Paraphrased"),
                    ("inferred", "Inferred"),
                ],
                default="paraphrased",
                help_text="How sure the text is, shown beside it. Quoted: seen word for word in a source; Paraphrased: our wording of what a source says (the official text has the exact words); Inferred: worked out by us from the sources, not seen in any of them.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="declaration",
            name="grouping_basis",
            field=models.CharField(
                choices=[
                    ("quoted", "Quoted"),
                    ("paraphrased", "Paraphrased"),
                    ("inferred", "Inferred"),
                ],
                default="inferred",
                help_text="How sure the grouping of the commitments under the headings is (which commitment comes under which heading), shown in the page's legend. Quoted: seen word for word in a source; Paraphrased: our wording of what a source says (the official text has the exact words); Inferred: worked out by us from the sources, not seen in any of them.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="declaration",
            name="structure_note",
            field=models.CharField(
                blank=True,
                help_text="What the sources say of the text's shape, shown in the page's legend, e.g. “one source counts 23 commitments in all”.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="pillar",
            name="title_basis",
            field=models.CharField(
                choices=[
                    ("quoted", "Quoted"),
                    ("paraphrased", "Paraphrased"),
                    ("inferred", "Inferred"),
                ],
                default="inferred",
                help_text="How sure the heading's wording is, shown beside it. Quoted: seen word for word in a source; Paraphrased: our wording of what a source says (the official text has the exact words); Inferred: worked out by us from the sources, not seen in any of them.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="pillar",
            name="title_note",
            field=models.CharField(
                blank=True,
                help_text="Where the heading's wording was seen, shown beside its mark, e.g. “seen verbatim in one source”.",
                max_length=200,
            ),
        ),
        migrations.RunPython(add_marks, migrations.RunPython.noop),
    ]
