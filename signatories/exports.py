"""Exports of the participants list: exactly its rows, as CSV, XLSX or JSON, streamed.

One function builds a participant's record (``participant_record``); the spreadsheets show it
through ``COLUMNS``, the JSON export and the API give it as it is. Rows are read in batches
from the ParticipantFilter's queryset, so memory stays flat however long the list.
"""

import codecs
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .filters import SORTS
from .models import Endorsement, Participant, Region, Status
from .records import attach_related
from .xlsx import MAX_ROWS, Sheet, stream_workbook

BATCH_SIZE = 1000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NOTE = (
    "Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a "
    "carriage return) begins with an apostrophe (') added by the tracker."
)
XLSX_CAP_NOTE = (
    "Excel holds at most {limit:,} rows below the header: {dropped:,} more rows match. "
    "The CSV and JSON exports have them all."
)
NO_FILTER = "none: every participant"
ENDORSERS_ONLY = "status: endorsed, disputed or withdrawn (no status chosen)"


def neutralise(value):
    """Make text that a spreadsheet would run as a formula plain text, as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def page_urls(absolute):
    """A function giving a participant's page address; ``absolute`` makes a path a full URL.

    The address is reversed once and the slug put in its place, since an export may have
    100,000 rows (and reversing is a third of the time spent on each).
    """
    marker = "slug-of-the-participant"
    prefix, suffix = absolute(Participant(slug=marker).get_absolute_url()).split(marker)
    return lambda participant: f"{prefix}{participant.slug}{suffix}"


def participant_record(participant, *, page_url):
    """A row of the list as data: what the exports and the API give for each participant.

    ``page_url`` comes from ``page_urls``. Details of an endorsement made after the ``as_of``
    day are left out, as the list page leaves them out.
    """
    shown = participant.status_on != Status.NONE
    region, subregion = participant.top_region, participant.subregion
    return {
        "name": participant.name,
        "slug": participant.slug,
        "url": page_url(participant),
        "iso_alpha2": participant.iso_alpha2 or None,
        "iso_alpha3": participant.iso_alpha3 or None,
        "entity_type": participant.entity_type,
        "region_code": region.code if region else None,
        "region": region.name if region else None,
        "subregion_code": subregion.code if subregion else None,
        "subregion": subregion.name if subregion else None,
        "status": participant.status_on,
        "endorsed_on": participant.endorsed_on if shown else None,
        "date_precision": participant.date_precision if shown else None,
        "withdrawn_on": (
            participant.withdrawn_on if participant.status_on == Status.WITHDRAWN else None
        ),
        "event": (participant.event_name or None) if shown else None,
        "sources": participant.sources if shown else [],
        "note": (participant.note or None) if shown else None,
        "forums": participant.forums,
    }


def _as_is(value):
    return value


def _label(choices):
    return dict(choices.choices).get


def _joined(separator):
    return lambda values: separator.join(values)


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: which field of the record, its heading, width and display."""

    key: str
    heading: str
    width: int
    display: Callable = _as_is


COLUMNS = (
    Column("name", "Name", 30),
    Column("iso_alpha2", "ISO alpha-2", 11),
    Column("iso_alpha3", "ISO alpha-3", 11),
    Column("entity_type", "Entity type", 26, _label(Participant.EntityType)),
    Column("region", "Region", 11),
    Column("subregion", "Sub-region", 28),
    Column("status", "Status", 13, _label(Status)),
    Column("endorsed_on", "Endorsed on", 12),
    Column("date_precision", "Date precision", 14, _label(Endorsement.DatePrecision)),
    Column("withdrawn_on", "Withdrawn on", 13),
    Column("event", "Event", 28),
    Column("sources", "Sources", 60, _joined(" ; ")),
    Column("note", "Note", 50),
    Column("forums", "Forums", 22, _joined(", ")),
    Column("url", "Page", 45),
)
HEADINGS = [column.heading for column in COLUMNS]


def spreadsheet_row(record):
    """The record's cells, in column order, safe to open in a spreadsheet."""
    return [neutralise(column.display(record[column.key])) for column in COLUMNS]


def linked_regions():
    """Every region by code, each linked to its parent, in one query."""
    regions = {region.code: region for region in Region.objects.all()}
    for region in regions.values():
        region.parent = regions.get(region.parent_id)
    return regions


class ParticipantsExport:
    """The participants list for one valid ParticipantFilter, ready to be written out."""

    def __init__(self, filterset, *, absolute, query, export_path):
        self.filterset = filterset
        self.declaration = filterset.selected_declaration
        self.absolute = absolute
        self.query = query
        self.export_path = export_path
        self.generated_at = timezone.now().replace(microsecond=0)
        self.count = 0

    def batches(self):
        """Lists of records, read in batches; ``count`` is the number read so far."""
        page_url = page_urls(self.absolute)
        regions = linked_regions()
        # The few regions are linked in memory rather than built again for each of many rows
        # (select_related made three Region objects per row: most of the time of a long export).
        rows = self.filterset.qs.select_related(None).iterator(chunk_size=BATCH_SIZE)
        while batch := list(islice(rows, BATCH_SIZE)):
            for row in batch:
                row.region = regions.get(row.region_id)
            attach_related(batch, on=self.filterset.on_date)
            self.count += len(batch)
            yield [participant_record(row, page_url=page_url) for row in batch]

    def list_url(self):
        return self._with_query(reverse("signatories:participant-list"))

    def _with_query(self, path):
        return self.absolute(path) + (f"?{self.query}" if self.query else "")

    def metadata(self):
        """``(key, label, value)`` for each fact a report needs to cite the export."""
        declaration = self.declaration
        return [
            ("declaration", "Declaration", f"{declaration.title} ({declaration.short_name})"),
            ("declaration_url", "Declaration page", self.absolute(declaration.get_absolute_url())),
            ("declaration_text_url", "Official text", declaration.text_url),
            ("filters", "Filters applied", self.filters_in_words()),
            ("as_of", "Record as of (end of day)", self.filterset.on_date),
            ("sort", "Sorted by", SORTS[self.filterset.sort_key][0]),
            ("generated_at", "Generated (UTC)", self.generated_at),
            ("rows", "Rows", self.count),
            ("url", "The list on the site", self.list_url()),
            ("export_url", "This export", self._with_query(self.export_path)),
        ]

    def filters_in_words(self):
        """The filters applied, as the list page describes them, with its default selection."""
        parts = self.filterset.describe()
        if self.filterset.shows_endorsers_only:
            parts.insert(0, ENDORSERS_ONLY)
        return parts

    def filename(self, extension):
        """Say what is inside, e.g. dfi-participants-europe-endorsed-2022-11-30.xlsx."""
        data = self.filterset.form.cleaned_data
        parts = [self.declaration.slug, "participants"]
        if data.get("region"):
            parts.append(Region.objects.get(code=data["region"]).name)
        parts += ["not endorsed" if s == Status.NONE else s for s in data.get("status") or []]
        parts.append(data.get("entity_type") or "")
        parts += [forum.slug for forum in data.get("forum") or []]
        if data.get("q"):
            parts.append(f"name {data['q'][:30]}")
        for key, word in (("endorsed_after", "from"), ("endorsed_before", "to")):
            if data.get(key):
                parts.append(f"{word} {data[key]:%Y-%m-%d}")
        words = [slugify(part.replace("_", " ")) for part in parts]
        stem = "-".join(word for word in words if word)[:150].rstrip("-")
        return f"{stem}-{self.filterset.on_date:%Y-%m-%d}.{extension}"


def write_csv(export):
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), a header row, CRLF lines."""
    yield codecs.BOM_UTF8 + _csv_lines([HEADINGS])
    for batch in export.batches():
        yield _csv_lines(spreadsheet_row(record) for record in batch)


def _csv_lines(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def write_xlsx(export):
    """A "Participants" sheet with real dates, frozen header and filter, then an "About" sheet."""
    rows = Sheet(
        "Participants",
        ([spreadsheet_row(record) for record in batch] for batch in export.batches()),
        widths=[column.width for column in COLUMNS],
        header=HEADINGS,
    )
    about = Sheet("About", _about_rows(export, rows), widths=[26, 100], wrap=True)
    yield from stream_workbook([rows, about])


def _about_rows(export, rows_sheet):
    """Written after the data sheet, so the numbers are those of the rows written."""
    facts = [(label, _in_words(value)) for _, label, value in export.metadata()]
    if rows_sheet.rows_dropped:
        note = XLSX_CAP_NOTE.format(limit=MAX_ROWS - 1, dropped=rows_sheet.rows_dropped)
        facts += [("Rows in this file", rows_sheet.rows_written), ("Rows left out", note)]
    facts.append(("Formulas", FORMULA_NOTE))
    yield [(label, neutralise(value)) for label, value in facts]


def _in_words(value):
    if isinstance(value, list):
        return "; ".join(value) or NO_FILTER
    return value


def write_json(export):
    """``{"results": [records...], "meta": {...}}``; the metadata comes last, once counted."""
    yield b'{"results": ['
    separator = "\n"
    for batch in export.batches():
        yield (separator + ",\n".join(_dumps(record) for record in batch)).encode()
        separator = ",\n"
    meta = {key: value for key, _, value in export.metadata()}
    yield f'\n],\n"meta": {_dumps(meta)}}}\n'.encode()


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
    "json": ("application/json", write_json),
}


def parameter_errors(filterset, *, name=str):
    """One line per bad parameter, naming it (as ``name`` spells it), for a 400 or a command."""
    lines = []
    for field, messages in filterset.errors.items():
        for message in messages:
            text = message if len(message) <= 200 else message[:199] + "…"
            lines.append(f"Bad parameter “{name(field)}”: {text}")
    return lines
