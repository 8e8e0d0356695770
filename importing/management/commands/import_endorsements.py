"""Import endorsements from a CSV or XLSX file with the export's columns (as the admin does)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from declaration.models import Declaration
from importing.planning import FileRejected, PlanOutdated, apply_import, plan_import

PROGRESS_FROM = 500  # rows; smaller files need no progress bar


class Command(BaseCommand):
    help = (
        "Import endorsements from a CSV or XLSX file with the columns of the participants "
        "export. Every row is imported, or none if any row has an error. --dry-run only "
        "shows what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="show the plan; write nothing")
        parser.add_argument(
            "--declaration",
            default=None,
            help="slug of the declaration (default: the latest launched)",
        )
        parser.add_argument("--user", help="username recorded in the history rows")

    def handle(self, *args, file, dry_run, declaration, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        target = self._declaration(declaration)
        editor = self._user(user)
        content = path.read_bytes()
        plan = plan_import(target, path.name, content, max_bytes=None, progress=self._progress)
        self._report(plan, options["verbosity"])
        if plan.has_errors:
            raise CommandError(f"Nothing was imported: {self._why(plan)}")
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {plan.summary()}.")
            return
        try:
            batch, plan = apply_import(
                target, path.name, content, user=editor, max_bytes=None, progress=self._progress
            )
        except (PlanOutdated, FileRejected) as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"{batch.reason} applied. {plan.summary()}."))

    def _declaration(self, slug):
        declarations = Declaration.objects.order_by("-launched_on")
        found = declarations.filter(slug=slug).first() if slug else declarations.first()
        if found is None:
            known = ", ".join(declarations.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No declaration “{slug}”; known: {known}.")
        return found

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        return user

    def _why(self, plan):
        if plan.problems:
            return plan.problems[0].message
        errors = plan.counts["error"]
        return f"{errors} row{'s' if errors != 1 else ''} with errors (listed above)."

    def _progress(self, done, total):
        """A bar on standard error for large files: 40 steps, redrawn in place on a terminal."""
        if total < PROGRESS_FROM:
            return
        step = max(total // 40, 1)
        if done % step and done != total:
            return
        width = 40
        filled = width * done // total
        bar = f"Checking rows [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if sys.stderr.isatty():
            sys.stderr.write("\r" + bar + ("\n" if done == total else ""))
        elif done == total or done % (step * 10) == 0:
            sys.stderr.write(bar + "\n")
        sys.stderr.flush()

    def _report(self, plan, verbosity):
        for row in plan.rows:
            if row.problems:
                for problem in row.problems:
                    self.stderr.write(f"Row {row.number}, {problem.column}: {problem.message}")
            elif row.action in ("new", "changed") and verbosity >= 1:
                self.stdout.write(f"Row {row.number}: {row.participant} {row.action}")
                if verbosity >= 2:
                    for change in row.changes:
                        self.stdout.write(f"    {change}")
        for problem in plan.problems:
            self.stderr.write(problem.message)
        self.stdout.write(
            "Summary: "
            + ", ".join(f"{count} {action}" for action, count in plan.counts.items())
            + f" ({len(plan.rows)} rows)."
        )
