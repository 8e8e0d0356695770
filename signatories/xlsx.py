"""A small streaming XLSX writer: bytes go out while rows come in, in flat memory.

openpyxl assembles its zip only when it saves, so the first byte of a large workbook would
wait for the last row. Here the zip is written to an unseekable sink (zipfile then uses data
descriptors) and drained after every batch of rows. It knows just what the exports need: text,
numbers, dates and date-times, a bold header row that stays frozen, an auto-filter and column
widths, and any number of sheets written one after the other.
"""

import datetime
import io
import re
import time
import zipfile
from xml.sax.saxutils import escape, quoteattr

MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
EPOCH = datetime.datetime(1899, 12, 30)

# Characters XML 1.0 cannot carry at all; carriage returns are kept as a character reference.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STYLE_TEXT, STYLE_DATE, STYLE_DATETIME, STYLE_HEADER, STYLE_WRAP = range(5)

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = f"""{_DECL}<styleSheet {_NS}>
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">
<alignment wrapText="1" vertical="top"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


class _Sink(io.RawIOBase):
    """An unseekable file that keeps what is written until it is drained."""

    def __init__(self):
        self._chunks = []

    def writable(self):
        return True

    def write(self, data):
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def clean_text(value):
    return _ILLEGAL_XML.sub("", str(value))[:MAX_CELL_CHARS]


def cell_xml(ref, value, style=STYLE_TEXT):
    """One <c> element; None gives an empty cell, dates become real date cells."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - EPOCH.date()).days
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(clean_text(value), {"\r": "&#13;"})
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{style_attr} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def row_xml(number, values, style=STYLE_TEXT):
    cells = "".join(
        cell_xml(f"{column_letter(i)}{number}", value, style) for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


class Sheet:
    """What a sheet is made of: a title, column widths, rows, and whether it has a header."""

    def __init__(self, title, rows, *, widths=(), header=None, wrap=False):
        self.title = title
        self.rows = rows
        self.widths = widths
        self.header = header
        self.wrap = wrap
        self.rows_written = 0
        self.rows_dropped = 0


def _sheet_start(sheet):
    parts = [f'{_DECL}<worksheet {_NS} xmlns:r="{_REL_NS}">']
    if sheet.header:
        parts.append(
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
        )
    if sheet.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(sheet.widths, start=1)
        )
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    if sheet.header:
        parts.append(row_xml(1, sheet.header, STYLE_HEADER))
    return "".join(parts)


def _last_cell(sheet):
    return column_letter(len(sheet.header) - 1), sheet.rows_written + 1


def _sheet_end(sheet):
    end = "</sheetData>"
    if sheet.header:
        column, row = _last_cell(sheet)
        end += f'<autoFilter ref="A1:{column}{row}"/>'
    return end + "</worksheet>"


def _workbook(sheets):
    entries, names = [], []
    for index, sheet in enumerate(sheets):
        entries.append(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{index + 1}" r:id="rId{index + 1}"/>'
        )
        if sheet.header:
            column, row = _last_cell(sheet)
            title = escape("'" + sheet.title.replace("'", "''") + "'")
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                f"{title}!$A$1:${column}${row}</definedName>"
            )
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (
        f'{_DECL}<workbook {_NS} xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{''.join(entries)}</sheets>{defined}</workbook>"
    )


def _workbook_rels(sheets):
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = [
        f'<Relationship Id="rId{i}" Type="{base}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    ]
    rels.append(f'<Relationship Id="rIdStyles" Type="{base}/styles" Target="styles.xml"/>')
    return (
        f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>"
    )


def _content_types(count):
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{main}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        f"{sheets}</Types>"
    )


_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)


def stream_workbook(sheets):
    """Yield the bytes of an XLSX file whose sheets are written in order.

    ``sheet.rows`` is an iterable of batches (lists of rows); a sheet's rows may be a generator
    that is only started when the sheets before it are done, so a later sheet (a summary) can
    say how many rows an earlier one had. Rows beyond Excel's limit are not written.
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        yield sink.drain()
        for index, sheet in enumerate(sheets, start=1):
            entry = zipfile.ZipInfo(f"xl/worksheets/sheet{index}.xml", time.localtime()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w") as part:
                part.write(_sheet_start(sheet).encode())
                for batch in sheet.rows:
                    part.write(_batch_xml(sheet, batch).encode())
                    yield sink.drain()
                part.write(_sheet_end(sheet).encode())
        archive.writestr("xl/workbook.xml", _workbook(sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
    yield sink.drain()


def _batch_xml(sheet, batch):
    first = sheet.rows_written + (2 if sheet.header else 1)
    room = MAX_ROWS - first + 1
    batch = list(batch)
    sheet.rows_dropped += max(len(batch) - room, 0)
    batch = batch[: max(room, 0)]
    sheet.rows_written += len(batch)
    style = STYLE_WRAP if sheet.wrap else STYLE_TEXT
    return "".join(row_xml(first + i, values, style) for i, values in enumerate(batch))
