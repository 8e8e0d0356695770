"""Whole-database backups: pg_dump/pg_restore on PostgreSQL, SQLite's own backup API elsewhere."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import DataVersion

BACKUP_DIR = settings.BASE_DIR / "backups"
NOT_A_BACKUP = "{path} is not a backup of this database ({error}); nothing was restored."


class NotABackup(ValueError):
    """The file cannot be restored; the database is as it was."""


def is_postgresql():
    return connection.vendor == "postgresql"


def default_path(now=None):
    suffix = ".dump" if is_postgresql() else ".sqlite3"
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
        # A page-by-page copy of the whole file (every table, ids and all), consistent even
        # while the site is being read.
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return path


def restore(path):
    """Replace the database's contents with the backup at path."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No backup at {path}.")
    if is_postgresql():
        connection.close()  # pg_restore --clean drops the tables this connection may touch
        try:
            _pg(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",  # all of it or, on an error, nothing
                str(path),
            )
        except subprocess.CalledProcessError as error:
            raise NotABackup(NOT_A_BACKUP.format(path=path, error=error)) from None
    else:
        source = sqlite3.connect(path)
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise NotABackup(NOT_A_BACKUP.format(path=path, error=error)) from None
        finally:
            source.close()
    # The backup brings its own data version back: a new one, so no page cached since is reused.
    DataVersion.renew()
