"""A comparison between two dates (signatories/comparison.py) as data: one record per action,
the same rows in the same order as /compare/, for the CSV and JSON downloads and the API."""

import codecs
import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from signatories.citation import LICENCE, LICENCE_URL, cite_comparison
from signatories.comparison import RULE, compare
from signatories.models import Action, DatePrecision, Participant

from .columns import Column, _label, neutralise

EVERYONE = "none: every participant"


def change_record(action, *, site):
    """An action between the two days (a row of ``signatories.comparison.actions_between``)
    as data: what happened, when, to whom, on what evidence (the sources of this action).
    ``site`` is the scheme and host the participant's page address follows."""
    return {
        "change": action["kind"],
        "date": action["taken_on"],
        "date_precision": action["date_precision"],
        **{key: action[key] or None for key in PARTICIPANT_KEYS},
        "url": site + action["url"],
        "event": action["event_name"],
        "note": action["note"] or None,
        "sources": [
            {key: source[key] or None for key in SOURCE_KEYS} for source in action["sources"]
        ],
    }


PARTICIPANT_KEYS = ("name", "slug", "iso_alpha2", "iso_alpha3", "entity_type")
PARTICIPANT_KEYS += ("region_code", "region", "subregion_code", "subregion")
SOURCE_KEYS = ("url", "title", "kind", "publisher", "published_on", "accessed_on")
SOURCE_KEYS += ("archive_url", "quote")


def tally_record(tally):
    return {"endorsers": tally.endorsers, "disputed": tally.disputed, "participants": tally.total}


COLUMNS = (
    Column("change", "Change", 18, _label(Action.Kind), required=True),
    Column("date", "Date", 12, type="date", required=True),
    Column("date_precision", "Date precision", 14, _label(DatePrecision), required=True),
    Column("name", "Name", 30, required=True),
    Column("iso_alpha2", "ISO alpha-2", 11),
    Column("iso_alpha3", "ISO alpha-3", 11),
    Column("entity_type", "Entity type", 26, _label(Participant.EntityType), required=True),
    Column("region", "Region", 11),
    Column("subregion", "Sub-region", 28),
    Column("event", "Event", 28),
    Column("note", "Note", 50),
    Column("sources", "Sources", 60, lambda sources: " ; ".join(s["url"] for s in sources)),
    Column("url", "Page", 45, required=True),
)
HEADINGS = [column.heading for column in COLUMNS]


class ComparisonExport:
    """The comparison a valid ComparisonFilter asks for, ready to be written out."""

    def __init__(self, filterset, *, absolute, export_path):
        self.filterset = filterset
        self.comparison = compare(filterset)
        self.absolute = absolute
        self.export_path = export_path
        self.generated_at = timezone.now().replace(microsecond=0)

    def records(self):
        site = self.absolute("/").removesuffix("/")
        return [change_record(action, site=site) for action in self.comparison.actions]

    def figures(self):
        return {
            "from": tally_record(self.comparison.before),
            "to": tally_record(self.comparison.after),
        }

    @property
    def citation(self):
        return cite_comparison(self.filterset, self.absolute(self.export_path))

    def links(self):
        """The HTTP ``Link`` header: how to cite the file, and its licence."""
        return f'<{self.citation.permalink}>; rel="cite-as", <{LICENCE_URL}>; rel="license"'

    def metadata(self, rows):
        """What a report needs to say what the file holds and to cite it."""
        declaration, query = self.comparison.declaration, self.filterset.permalink_query()
        return {
            "declaration": f"{declaration.title} ({declaration.short_name})",
            "declaration_url": self.absolute(declaration.get_absolute_url()),
            "from": self.comparison.start,
            "to": self.comparison.end,
            "rule": RULE,
            "figures": self.figures(),
            "figures_in_words": self.comparison.figures,
            "filters": self.filterset.describe() or [EVERYONE],
            "generated_at": self.generated_at,
            "rows": rows,
            "url": f"{self.absolute(reverse('signatories:compare'))}?{query}",
            "export_url": f"{self.absolute(self.export_path)}?{query}",
            "citation": str(self.citation),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        }

    def filename(self, extension):
        """Say what is inside, e.g. dfi-changes-europe-2022-04-28-to-2022-11-02.csv."""
        data = self.filterset.form.cleaned_data
        parts = [self.comparison.declaration.slug, "changes"]
        if data.get("region"):
            parts.append(dict(self.filterset.form.fields["region"].choices)[data["region"]])
        parts.append(data.get("entity_type") or "")
        parts += data.get("forum") or []
        if data.get("q"):
            parts.append(f"name {data['q'][:30]}")
        words = [slugify(part.split("(")[0].replace("_", " ")) for part in parts]
        stem = "-".join(word for word in words if word)[:150].rstrip("-")
        start, end = self.comparison.start, self.comparison.end
        return f"{stem}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.{extension}"


def write_csv(export):
    """UTF-8 with a byte-order mark (as the list's CSV), a header row, CRLF lines; the same in
    every language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    with translation.override("en"):
        for record in export.records():
            writer.writerow([neutralise(column.display(record[column.key])) for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def write_json(export):
    """``{"results": [records...], "meta": {...}}``, as the list's JSON download."""
    with translation.override("en"):  # the same in every language
        records = export.records()
        document = {"results": records, "meta": export.metadata(len(records))}
        return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "json": ("application/json", write_json),
}
