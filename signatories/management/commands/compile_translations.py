"""Compile the translation catalogues in LOCALE_PATHS (config/translations.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.translations import compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile locale/<lang>/LC_MESSAGES/*.po into the .mo files Django reads (those whose "
        ".po changed), with Babel: like compilemessages, without GNU gettext."
    )

    def handle(self, *args, verbosity, **options):
        written = [mo for folder in settings.LOCALE_PATHS for mo in compile_catalogues(folder)]
        if verbosity:
            for mo in written:
                self.stdout.write(f"Compiled {mo.relative_to(settings.BASE_DIR)}")
            if not written:
                self.stdout.write("The compiled catalogues are up to date.")
