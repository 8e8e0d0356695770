"""``manage.py build_world_map``: rebuild signatories/geodata/world.json from world-atlas."""

from django.core.management.base import BaseCommand, CommandError

from signatories.worldmap_build import (
    DEFAULT_OUTPUT,
    DEFAULT_PARTICIPANTS,
    DEFAULT_SOURCE,
    build_world_map,
)


class Command(BaseCommand):
    help = (
        "Build the world map geometry asset from the world-atlas npm package "
        "(run `npm install` first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=str(DEFAULT_SOURCE),
            help="world-atlas package directory (default: node_modules/world-atlas)",
        )
        parser.add_argument(
            "--output",
            default=str(DEFAULT_OUTPUT),
            help="asset to write (default: signatories/geodata/world.json)",
        )
        parser.add_argument(
            "--participants",
            default=str(DEFAULT_PARTICIPANTS),
            help="CSV giving the ISO codes (default: fixtures/source/participants.csv)",
        )

    def handle(self, *args, source, output, participants, **options):
        try:
            log = build_world_map(source, output, participants)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        verbosity = options.get("verbosity", 1)
        for line in log:
            if line.startswith("WARNING"):
                self.stderr.write(self.style.WARNING(line))
            elif verbosity > 1 or line.startswith("wrote") or "shapes," in line:
                self.stdout.write(line)
