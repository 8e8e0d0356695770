"""Write the participants list to a file, exactly as /participants/export.* serves it."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.urls import reverse

from data.exports import FORMATS, ParticipantsExport
from signatories.filters import ParticipantFilter, parameter_errors

# Options of this command, and the list's parameters they stand for.
SINGLE = ["declaration", "region", "entity_type", "endorsed_after", "endorsed_before", "q"]
SINGLE += ["as_of", "sort"]
REPEATABLE = ["status", "forum"]


def option_name(parameter):
    return "--" + parameter.replace("_", "-")


class Command(BaseCommand):
    help = (
        "Write the rows of /participants/ for the given filters as CSV, XLSX or JSON: the same "
        "file as /participants/export.<format>. --status and --forum may be repeated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        for parameter in SINGLE:
            parser.add_argument(option_name(parameter), dest=parameter)
        for parameter in REPEATABLE:
            parser.add_argument(option_name(parameter), dest=parameter, action="append")
        parser.add_argument(
            "--output",
            help="File to write; '-' for standard output. Default: the name the site gives "
            "the download (e.g. dfi-participants-europe-2022-11-30.xlsx).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address for the links in the file, e.g. https://example.org; "
            "without it links are paths.",
        )

    def handle(self, *args, **options):
        fmt = options["format"]
        query = self.query(options)
        filterset = ParticipantFilter(query)
        if filterset.errors:
            raise CommandError("\n".join(parameter_errors(filterset, name=option_name)))
        if filterset.selected_declaration is None:
            raise CommandError("No declaration is recorded yet.")
        base_url = options["base_url"].rstrip("/")
        export = ParticipantsExport(
            filterset,
            absolute=lambda path: base_url + path,
            query=query.urlencode(),
            export_path=reverse(f"data:export-{fmt}"),
        )
        output = options["output"] or export.filename(fmt)
        chunks = FORMATS[fmt][1](export)
        if output == "-":
            self.write_to(sys.stdout.buffer, chunks)
            return
        with open(output, "wb") as file:
            self.write_to(file, chunks)
        self.stdout.write(f"Wrote {export.count} participants to {output}")

    @staticmethod
    def query(options):
        query = QueryDict(mutable=True)
        for parameter in SINGLE:
            if options[parameter] is not None:
                query[parameter] = options[parameter]
        for parameter in REPEATABLE:
            if options[parameter]:
                query.setlist(parameter, options[parameter])
        return query

    @staticmethod
    def write_to(file, chunks):
        for chunk in chunks:
            file.write(chunk)
