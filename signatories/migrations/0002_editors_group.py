"""Imports, and the "Editors" group: the secretariat staff who keep the record.

Editors add and change participants, endorsements, sources, forum memberships and events, and
read (never change) regions, declarations and forums. They cannot delete an endorsement (a
withdrawal is a status change with a date) and cannot manage users: superusers do that.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"

PERMISSIONS = {
    "signatories": {
        "participant": ["add", "change", "view"],
        "endorsement": ["add", "change", "view"],
        "source": ["add", "change", "delete", "view"],
        "forummembership": ["add", "change", "delete", "view"],
        "event": ["add", "change", "view"],
        "region": ["view"],
        "importbatch": ["view"],
    },
    "declaration": {
        "declaration": ["view"],
        "forum": ["view"],
        "pillar": ["view"],
        "commitment": ["view"],
    },
}


def codenames():
    for app_label, app_models in PERMISSIONS.items():
        for model, actions in app_models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames()
    ]
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("declaration", "0001_initial"),
        ("signatories", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("filename", models.CharField(max_length=200)),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the file")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("rows", models.PositiveIntegerField()),
                ("new", models.PositiveIntegerField()),
                ("changed", models.PositiveIntegerField()),
                ("unchanged", models.PositiveIntegerField()),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "declaration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="imports",
                        to="declaration.declaration",
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "ordering": ["-created_at"],
            },
        ),
        migrations.RunPython(create_editors, remove_editors),
    ]
