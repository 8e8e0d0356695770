"""manage.py backup: the whole database to one file under backups/."""

from django.core.management.base import BaseCommand

from signatories.backups import backup


class Command(BaseCommand):
    help = (
        "Back the whole database up: pg_dump's custom format on PostgreSQL (.dump), a copy of "
        "the database file on SQLite (.sqlite3). Writes backups/<timestamp>.* unless --output "
        "is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write instead of backups/<timestamp>.*")

    def handle(self, *args, output, **options):
        path = backup(output)
        self.stdout.write(str(path))
