"""manage.py restore FILE: replace the database's contents with a backup."""

from django.core.management.base import BaseCommand, CommandError

from signatories.backups import NotABackup, restore


class Command(BaseCommand):
    help = (
        "Replace every row with the backup's: pg_restore --clean on PostgreSQL, "
        "SQLite's backup API on SQLite. Everything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by manage.py backup.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file, interactive, **options):
        if interactive:
            answer = input(f"Replace the whole database with {file}? Type 'yes' to continue: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(file)
        except (FileNotFoundError, NotABackup) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
