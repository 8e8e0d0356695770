"""Whole-database backups: pg_dump/pg_restore on PostgreSQL, dumpdata/loaddata elsewhere."""

import datetime
import itertools
import os
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .caching import mark_data_changed

BACKUP_DIR = settings.BASE_DIR / "backups"


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def is_postgresql():
    return connection.vendor == "postgresql"


def default_path(now=None):
    suffix = ".dump" if is_postgresql() else ".json"
    return BACKUP_DIR / f"{(now or timezone.now()):%Y%m%d-%H%M%S}{suffix}"


def _pg(tool, *args):
    """Run a PostgreSQL client tool against the current database (the test one under tests)."""
    if not shutil.which(tool):
        raise FileNotFoundError(f"{tool} is not installed (apt-get install postgresql-client).")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    for var, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if db.get(key):
            env[var] = str(db[key])
    subprocess.run([tool, *args, "--dbname", db["NAME"]], env=env, check=True)


def backup(path=None):
    """Write the whole database to path (a new file under backups/ by default); return it."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_postgresql():
        _pg("pg_dump", "--format=custom", "--no-owner", "--file", str(path))
    else:
        # What dumpdata writes, with plain primary keys and content types and permissions
        # included, so the rows come back as they were, ids and all; but times keep their
        # microseconds (dumpdata's JSON cuts them to milliseconds).
        querysets = (
            model._base_manager.order_by("pk")
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        )
        with path.open("w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                itertools.chain.from_iterable(querysets),
                stream=stream,
                indent=1,
                cls=FullPrecisionEncoder,
            )
    return path


def restore(path):
    """Replace the database's contents with the backup at path."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No backup at {path}.")
    if is_postgresql():
        connection.close()  # pg_restore --clean drops the tables this connection may touch
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(path),
        )
    else:
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            # flush recreates content types and permissions, perhaps with other ids than the
            # backup's: drop them so the backup's own rows load.
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            call_command("loaddata", str(path), verbosity=0)
    # The backup brings its own data version back: a new one, so no page cached since is reused.
    mark_data_changed()
