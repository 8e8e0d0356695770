"""Reading an uploaded CSV or XLSX file into rows, or rejecting the whole file with one message.

``read_table`` checks what concerns the file as a whole (size, encoding, kind, columns, number of
rows) and gives each row with the number a spreadsheet shows for it; ``planning`` then looks at
the rows one by one. Files are read with the csv module and openpyxl.
"""

import csv
import io
import re
import zipfile
from collections import Counter

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext_lazy

from data.columns import COLUMNS

MAX_BYTES = 2 * 1024 * 1024  # about 10,000 rows; the whole record today is 60 kB
MAX_ROWS = 50_000  # an XLSX file of 2 MB can unpack to millions of empty rows
# An XLSX file is a zip: 2 MB of it can unpack to gigabytes (a sheet that says it is 16,384
# columns wide, one 300 MB text cell). Only the columns the import knows are read, and the
# parts are measured before anything is unpacked.
MAX_COLUMNS = len(COLUMNS) + 10
MAX_UNPACKED = 40 * 1024 * 1024
MAX_CELL = 5_000  # characters: a note is a few sentences, the sources a few addresses

HEADING = {column.key: column.heading for column in COLUMNS}
KNOWN = set(HEADING.values())
REQUIRED = [HEADING[key] for key in ("name", "status", "endorsed_on", "sources")]

# What an editor reads (marked for translation; gettext() them where they are said; the
# pairs are the singular and plural for ngettext). Tests assert these words.
EMPTY_FILE = gettext_noop("The file is empty.")
NO_ROWS = gettext_noop("The file has a header row but no rows below it.")
TOO_MANY_ROWS = gettext_noop("The file has more than {limit:,} rows; split it into smaller files.")
TOO_BIG = gettext_noop(
    "The file is {size}; the import takes files up to {limit} (about 10,000 rows). "
    "Split it, or use manage.py import_endorsements."
)
NOT_A_TABLE = gettext_noop(
    "“{name}” is not a CSV or XLSX file. Export the sheet from your spreadsheet as "
    "“CSV UTF-8” or “Excel workbook (.xlsx)”."
)
OLD_EXCEL = gettext_noop(
    "“{name}” is an old Excel (.xls) file. Save it as “Excel workbook (.xlsx)” or CSV."
)
NOT_UTF8 = gettext_noop(
    "The file is not UTF-8 text (it looks like {encoding}). In your spreadsheet choose "
    "“Save as… CSV UTF-8”, then import that file."
)
BROKEN_XLSX = gettext_noop(
    "The XLSX file cannot be read ({error}). Open it in a spreadsheet and save it again."
)
MISSING_COLUMNS = ngettext_lazy(
    "Missing column: %(columns)s. The import needs the columns of the export.",
    "Missing columns: %(columns)s. The import needs the columns of the export.",
    "count",
)
UNKNOWN_COLUMNS = ngettext_lazy(
    "Unknown column: %(columns)s. Use the export's columns: %(known)s. "
    "Delete the other columns, or leave them unnamed and empty.",
    "Unknown columns: %(columns)s. Use the export's columns: %(known)s. "
    "Delete the other columns, or leave them unnamed and empty.",
    "count",
)
REPEATED_COLUMNS = ngettext_lazy(
    "The column %(columns)s appears twice.", "The columns %(columns)s appear twice.", "count"
)
TOO_BIG_UNPACKED = gettext_noop(
    "The XLSX file unpacks to {size}, more than the import reads ({limit}): it may hold "
    "very long texts or formatting for a whole sheet. Copy the rows into a new workbook, or "
    "save them as CSV UTF-8."
)
CELL_TOO_LONG = gettext_noop(
    "Row {row}, column {column}: the cell holds {length:,} characters; a cell of the import "
    "holds at most {limit:,}. Shorten it, or split it."
)


class FileRejected(Exception):
    """The whole file cannot be imported; the message says why."""


def human_size(size):
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"


def read_table(filename, content, *, max_bytes=MAX_BYTES):
    """``(headings, [(row number, {heading: text or date}), ...])``, or ``FileRejected``."""
    if max_bytes and len(content) > max_bytes:
        raise FileRejected(
            gettext(TOO_BIG).format(size=human_size(len(content)), limit=human_size(max_bytes))
        )
    if not content.strip():
        raise FileRejected(gettext(EMPTY_FILE))
    name = filename.rsplit("/", 1)[-1]
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(gettext(OLD_EXCEL).format(name=name))
    if content.startswith(b"PK\x03\x04"):
        table = _read_xlsx(name, content)
    else:
        table = _read_csv(name, content)
    table = [row for row in table if any(_filled(cell) for cell in row)]
    if not table:
        raise FileRejected(gettext(EMPTY_FILE))
    headings = [str(cell).strip() if cell is not None else "" for cell in table[0]]
    headings = [english_heading(heading) for heading in headings]
    _check_headings(headings)
    rows = []
    for number, cells in _numbered(table):
        record = {h: cells[i] if i < len(cells) else "" for i, h in enumerate(headings) if h}
        rows.append((number, record))
    if not rows:
        raise FileRejected(gettext(NO_ROWS))
    return headings, rows


def english_heading(heading):
    """The English heading of a column named in any of the site's languages (the XLSX export
    writes its header row in the language of the page it was downloaded from)."""
    if not hasattr(english_heading, "known"):
        english_heading.known = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                english_heading.known |= {str(c.label): c.heading for c in COLUMNS}
    return english_heading.known.get(heading, heading)


def _filled(cell):
    return cell is not None and str(cell).strip() != ""


def _numbered(table):
    # Blank lines were dropped; keep the numbers a spreadsheet shows.
    for row in table[1:]:
        yield row.number, row


class _Row(list):
    number = 0


def _read_csv(name, content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or _is_utf16(content):
        raise FileRejected(gettext(NOT_UTF8).format(encoding="UTF-16 (“Unicode text”)"))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _looks_binary(content):
            raise FileRejected(gettext(NOT_A_TABLE).format(name=name)) from None
        raise FileRejected(gettext(NOT_UTF8).format(encoding="Latin-1 or Windows-1252")) from None
    if not re.sub(r"[\s,;]", "", text):
        raise FileRejected(gettext(EMPTY_FILE))
    first_line = text.lstrip().split("\n", 1)[0]
    if _looks_binary(content) or not re.search(r"[,;\t]", first_line):
        raise FileRejected(gettext(NOT_A_TABLE).format(name=name))
    # Excel writes “;” where the decimal mark is a comma, and tabs for “Unicode text”.
    delimiter = max(",;\t", key=first_line.count)
    table = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):  # a row, not a line: notes may wrap
            _check_count(number)
            row = _Row(cell.strip() for cell in cells)
            _check_cells(row, number)
            row.number = number
            table.append(row)
    except csv.Error as error:
        raise FileRejected(gettext(NOT_A_TABLE).format(name=name) + f" ({error})") from None
    return table


def _check_cells(cells, number):
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL:
            column = _column_letter(index)
            raise FileRejected(
                gettext(CELL_TOO_LONG).format(
                    row=number, column=column, length=len(cell), limit=MAX_CELL
                )
            )


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _check_count(number):
    if number > MAX_ROWS + 1:
        raise FileRejected(gettext(TOO_MANY_ROWS).format(limit=MAX_ROWS))


def _is_utf16(content):
    """UTF-16 text without a byte-order mark: every other byte of plain text is zero."""
    sample = content[:4000]
    for start in (0, 1):
        if sample[start::2].count(0) > len(sample) // 2 * 0.9:
            return True
    return False


def _looks_binary(content):
    sample = content[:4000]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > len(sample) // 100


def _read_xlsx(name, content):
    from openpyxl import load_workbook

    if _is_xlsx_zip(content):
        unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
        if unpacked > MAX_UNPACKED:
            raise FileRejected(
                gettext(TOO_BIG_UNPACKED).format(
                    size=human_size(unpacked), limit=human_size(MAX_UNPACKED)
                )
            )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        if _is_xlsx_zip(content):
            raise FileRejected(gettext(BROKEN_XLSX).format(error=error)) from None
        raise FileRejected(gettext(NOT_A_TABLE).format(name=name)) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # its declared size (e.g. A1:XFD50001) is not to be trusted
        table = []
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            _check_count(number)
            row = _Row("" if cell is None else cell for cell in cells)
            _check_cells(row, number)
            row.number = number
            table.append(row)
        return table
    finally:
        workbook.close()


def _is_xlsx_zip(content):
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    except zipfile.BadZipFile:
        return False


def _check_headings(headings):
    named = [h for h in headings if h]
    problems = []
    missing = [h for h in REQUIRED if h not in named]
    if missing:
        problems.append(MISSING_COLUMNS % {"count": len(missing), "columns": ", ".join(missing)})
    unknown = [h for h in named if h not in KNOWN]
    if unknown:
        problems.append(
            UNKNOWN_COLUMNS
            % {
                "count": len(unknown),
                "columns": ", ".join(f"“{h}”" for h in unknown),
                "known": ", ".join(column.heading for column in COLUMNS),
            }
        )
    repeated = [h for h, n in Counter(named).items() if n > 1]
    if repeated:
        problems.append(
            REPEATED_COLUMNS
            % {"count": len(repeated), "columns": ", ".join(f"“{h}”" for h in repeated)}
        )
    if problems:
        raise FileRejected(" ".join(problems))
