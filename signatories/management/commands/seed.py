"""Load the seed data once, without overwriting what editors have changed since."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from declaration.models import Declaration
from signatories.history import INITIAL_RECORD
from signatories.models import Action, Endorsement, ForumMembership, Participant, Source


class Command(BaseCommand):
    help = (
        "Load fixtures/seed.json into an empty database. Does nothing when the seed is already "
        "there, so editors' changes survive; --force reloads it over the seed rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if present.")

    def handle(self, *args, force, **options):
        if Declaration.objects.exists() and not force:
            self.stdout.write("Seed data already present; nothing loaded (use --force to reload).")
            return
        started = timezone.now()
        call_command("loaddata", "seed", verbosity=options["verbosity"])
        # Fixture rows are saved raw, without history; give each its first history row, which
        # says it is the initial record (history.py tells it once, not as news of today).
        call_command("populate_history", auto=True, verbosity=0)
        for model in (Participant, Endorsement, Action, Source, ForumMembership):
            model.history.filter(history_date__gte=started, history_type="+").update(
                history_change_reason=INITIAL_RECORD
            )
