"""Fast at any size: an index for the API's list of endorsements, sources sorted without
joining every endorsement, and the one-row data version behind HTTP caching
(signatories/caching.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declaration", "0001_initial"),
        ("signatories", "0002_editors_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="endorsement",
            index=models.Index(fields=["endorsed_on"], name="endorsement_endorsed_on"),
        ),
        migrations.AlterModelOptions(
            name="source",
            options={"ordering": ["endorsement_id", "position", "pk"]},
        ),
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(help_text="Random, new at every change.", max_length=32),
                ),
                ("changed_at", models.DateTimeField(help_text="When the record last changed.")),
            ],
            options={"ordering": ["pk"]},
        ),
    ]
