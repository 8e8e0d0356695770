"""Exports of the participants list: exactly its rows, as CSV, XLSX or JSON, streamed.

Each participant becomes a record (``columns.participant_record``); the spreadsheets show it
through ``columns.COLUMNS``, the JSON export gives it as it is. Rows are read in batches from
the ParticipantFilter's queryset, so memory stays flat however long the list. CSV and JSON go
out while the rows are read. The XLSX workbook is written by openpyxl in write-only mode (rows
go to a file on disk, not memory) and zipped only once every row is in, so its first byte
leaves after the last row is read; the file is then sent in chunks.
"""

import codecs
import csv
import datetime
import io
import json
import re
import tempfile
from itertools import islice

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from signatories.citation import LICENCE, LICENCE_URL, cite_list
from signatories.filters import SORTS
from signatories.models import Region, Status
from signatories.records import attach_related

from .columns import COLUMNS, HEADINGS, neutralise, page_urls, participant_record, spreadsheet_row

BATCH_SIZE = 1000
XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included
XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
XLSX_CHUNK_SIZE = 64 * 1024
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# What XML 1.0 cannot carry: openpyxl refuses these control characters, and it would write
# U+FFFE and U+FFFF into a file that no reader then opens.
NOT_IN_XML = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ufffe\uffff]")
FORMULA_NOTE = _(
    "Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a "
    "carriage return) begins with an apostrophe (') added by the tracker."
)
XLSX_CAP_NOTE = _(
    "Excel holds at most %(limit)s rows below the header: %(dropped)s more rows match. "
    "The CSV and JSON exports have them all."
)
NO_FILTER = _("none: every participant")
ENDORSERS_ONLY = _("status: endorsed, disputed or withdrawn (no status chosen)")


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
        # The few regions, linked in memory once rather than built again for each of many rows
        # (select_related made three Region objects per row: most of the time of a long export).
        self.regions = linked_regions()
        self.absolute = absolute
        self.query = query
        self.export_path = export_path
        self.generated_at = timezone.now().replace(microsecond=0)
        self.count = 0

    def batches(self):
        """Lists of records, read in batches; ``count`` is the number read so far."""
        page_url = page_urls(self.absolute)
        rows = self.filterset.qs.select_related(None).iterator(chunk_size=BATCH_SIZE)
        while batch := list(islice(rows, BATCH_SIZE)):
            for row in batch:
                row.region = self.regions.get(row.region_id)
            attach_related(batch, on=self.filterset.on_date)
            self.count += len(batch)
            yield [participant_record(row, page_url=page_url) for row in batch]

    @property
    def citation(self):
        """The citation of this download: its address with the parameters and the day."""
        return cite_list(self.filterset, self.absolute(self.export_path))

    def links(self, fmt):
        """The HTTP ``Link`` header: how to cite the file (a CSV cannot say it inside), its
        licence and, for the spreadsheets, the data dictionary of their columns."""
        links = [f'<{self.citation.permalink}>; rel="cite-as"', f'<{LICENCE_URL}>; rel="license"']
        if fmt in ("csv", "xlsx"):
            dictionary = self.absolute(reverse("data:datapackage"))
            links.append(f'<{dictionary}>; rel="describedby"; type="application/json"')
        return ", ".join(links)

    def list_url(self):
        return self._with_query(reverse("signatories:participant-list"))

    def _with_query(self, path):
        return self.absolute(path) + (f"?{self.query}" if self.query else "")

    def metadata(self):
        """``(key, label, value)`` for each fact a report needs to cite the export."""
        declaration = self.declaration
        return [
            ("declaration", _("Declaration"), f"{declaration.title} ({declaration.short_name})"),
            (
                "declaration_url",
                _("Declaration page"),
                self.absolute(declaration.get_absolute_url()),
            ),
            ("declaration_text_url", _("Official text"), declaration.text_url),
            ("filters", _("Filters applied"), self.filters_in_words()),
            ("as_of", _("Record as of (end of day)"), self.filterset.on_date),
            ("sort", _("Sorted by"), str(SORTS[self.filterset.sort_key][0])),
            ("generated_at", _("Generated (UTC)"), self.generated_at),
            ("rows", _("Rows"), self.count),
            ("url", _("The list on the site"), self.list_url()),
            ("export_url", _("This export"), self._with_query(self.export_path)),
            ("citation", _("Cite as"), str(self.citation)),
            ("licence", _("Licence"), LICENCE),
            ("licence_url", _("Licence text"), LICENCE_URL),
            ("data_dictionary", _("Data dictionary"), self.absolute(reverse("data:datapackage"))),
        ]

    def filters_in_words(self):
        """The filters applied, as the list page describes them, with its default selection."""
        parts = self.filterset.describe()
        if self.filterset.shows_endorsers_only:
            parts.insert(0, str(ENDORSERS_ONLY))
        return parts

    def filename(self, extension):
        """Say what is inside, e.g. dfi-participants-europe-endorsed-2022-11-30.xlsx."""
        return download_name(self.filterset, extension, regions=self.regions)


def download_name(filterset, extension, *, what="participants", regions=None):
    """The name of a download of a view: the declaration, ``what`` it holds, the filters and
    the day, e.g. dfi-map-europe-2022-11-30.png. ``regions``: every Region by code, if read."""
    data = filterset.form.cleaned_data
    parts = [filterset.selected_declaration.slug, what]
    if data.get("region"):
        region = (regions or {}).get(data["region"]) or Region.objects.get(code=data["region"])
        parts.append(region.name)
    parts += ["not endorsed" if s == Status.NONE else s for s in data.get("status") or []]
    parts.append(data.get("entity_type") or "")
    parts += data.get("forum") or []
    if data.get("q"):
        parts.append(f"name {data['q'][:30]}")
    for key, word in (("endorsed_after", "from"), ("endorsed_before", "to")):
        if data.get(key):
            parts.append(f"{word} {data[key]:%Y-%m-%d}")
    words = [slugify(part.replace("_", " ")) for part in parts]
    stem = "-".join(word for word in words if word)[:150].rstrip("-")
    return f"{stem}-{filterset.on_date:%Y-%m-%d}.{extension}"


def write_csv(export):
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), a header row, CRLF lines; the
    same in every language."""
    with translation.override("en"):
        yield codecs.BOM_UTF8 + _csv_lines([HEADINGS])
        for batch in export.batches():
            yield _csv_lines(spreadsheet_row(record) for record in batch)


def _csv_lines(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def write_xlsx(export):
    """A "Participants" sheet with real dates, frozen header and filter, then an "About" sheet.

    openpyxl (write-only mode) keeps the rows in a file on disk and zips the workbook when it
    is saved, into a temporary file that is then sent in chunks.
    """
    book = Workbook(write_only=True)
    with tempfile.TemporaryFile() as file:
        try:
            written, dropped = _participants_sheet(book, export)
            _about_sheet(book, _about_rows(export, written, dropped))
        finally:
            book.save(file)  # also when a row failed: it removes openpyxl's files of the sheets
        file.seek(0)
        while chunk := file.read(XLSX_CHUNK_SIZE):
            yield chunk


def _participants_sheet(book, export):
    """Write the rows Excel can hold; the numbers of rows written and left out."""
    sheet = book.create_sheet("Participants")
    # Views and column widths are written with the first row, so they are set before it.
    sheet.freeze_panes = "A2"
    _set_widths(sheet, [column.width for column in COLUMNS])
    bold = Font(bold=True)
    # The header row is for people, in their language; the cells are the CSV's.
    sheet.append([_xlsx_cell(sheet, str(column.label), font=bold) for column in COLUMNS])
    written = dropped = 0
    room = XLSX_MAX_ROWS - 1
    for batch in export.batches():
        kept = batch[: max(room - written, 0)]
        for record in kept:
            sheet.append([_xlsx_cell(sheet, value) for value in spreadsheet_row(record)])
        written += len(kept)
        dropped += len(batch) - len(kept)
    # The filter is written after the rows, so it can cover exactly those written.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{written + 1}"
    return written, dropped


def _about_sheet(book, rows):
    sheet = book.create_sheet("About")
    _set_widths(sheet, [26, 100])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, alignment=wrap) for value in row])


def _set_widths(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _about_rows(export, written, dropped):
    """Written after the data sheet, so the numbers are those of the rows written."""
    facts = [(str(label), _in_words(value)) for _key, label, value in export.metadata()]
    if dropped:
        note = str(XLSX_CAP_NOTE) % {
            "limit": f"{XLSX_MAX_ROWS - 1:,}",
            "dropped": f"{dropped:,}",
        }
        facts += [(gettext("Rows in this file"), written), (gettext("Rows left out"), note)]
    facts.append((gettext("Formulas"), str(FORMULA_NOTE)))
    return [(label, neutralise(value)) for label, value in facts]


def _xlsx_cell(sheet, value, **style):
    """What openpyxl is given for one cell: the value itself, or a styled cell for a date, a
    style or text openpyxl would otherwise read as a formula or an error code."""
    if isinstance(value, str):
        value = _xlsx_text(value)
        if not (style or value.startswith("=") or value in ERROR_CODES):
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text, never a formula ("=...") or an error ("#N/A")
    elif isinstance(value, datetime.date):
        if isinstance(value, datetime.datetime):
            number_format = XLSX_DATETIME_FORMAT
            if value.tzinfo is not None:  # Excel has no time zones: UTC, as the About sheet says
                value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        else:
            number_format = XLSX_DATE_FORMAT
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = number_format
    elif style:
        cell = WriteOnlyCell(sheet, value)
    else:
        return value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _xlsx_text(text):
    """Text an XLSX cell can hold: without what XML cannot carry, with line feeds for carriage
    returns (as any XML reader would read them), neutralised again in case what was taken out
    hid a formula, and cut to Excel's limit."""
    text = NOT_IN_XML.sub("", text)
    text = neutralise(text).replace("\r\n", "\n").replace("\r", "\n")
    return text[:XLSX_MAX_CELL_CHARS]


def _in_words(value):
    if isinstance(value, list):
        return "; ".join(value) or str(NO_FILTER)
    if isinstance(value, datetime.date) and translation.get_language() != settings.LANGUAGE_CODE:
        # Written as the sheet's language writes dates (29 avril 2022); English keeps the cell
        # a date Excel shows as 2022-04-29.
        if isinstance(value, datetime.datetime):
            return formats.date_format(value.astimezone(datetime.UTC), "DATETIME_FORMAT")
        return formats.date_format(value)
    return value


def write_json(export):
    """``{"results": [records...], "meta": {...}}``; the metadata comes last, once counted. The
    same in every language."""
    with translation.override("en"):
        yield b'{"results": ['
        separator = "\n"
        for batch in export.batches():
            yield (separator + ",\n".join(_dumps(record) for record in batch)).encode()
            separator = ",\n"
        meta = {key: value for key, _label, value in export.metadata()}
        yield f'\n],\n"meta": {_dumps(meta)}}}\n'.encode()


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
    "json": ("application/json", write_json),
}
