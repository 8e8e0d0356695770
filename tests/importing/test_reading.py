"""Files that would cost a worker its memory or its minute get a message instead, at once."""

import io
import re
import tracemalloc
import zipfile

import pytest

from importing import reading
from importing.reading import FileRejected, read_table
from tests.importing.files import csv_bytes, row, xlsx_bytes


def with_dimension(content, dimension):
    """The XLSX file with its sheet declaring another size, as a hostile file does."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
            target.writestr(item, data)
    return out.getvalue()


def test_a_sheet_that_says_it_is_16384_columns_wide_is_read_in_bounded_memory():
    content = with_dimension(xlsx_bytes([row("Brazil")]), "A1:XFD50001")
    tracemalloc.start()
    headings, rows = read_table("wide.xlsx", content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [number for number, _ in rows] == [2]
    assert len(headings) <= reading.MAX_COLUMNS
    assert peak < 20 * 1024 * 1024  # openpyxl padded every row to 16,384 cells: gigabytes


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cell_too_long_is_refused_naming_its_row_and_column(fmt):
    long_note = row("Brazil", note="x" * (reading.MAX_CELL + 1))
    content = (csv_bytes if fmt == "csv" else xlsx_bytes)([long_note])
    with pytest.raises(FileRejected) as refused:
        read_table(f"long.{fmt}", content)
    assert str(refused.value) == reading.CELL_TOO_LONG.format(
        row=2, column="I", length=reading.MAX_CELL + 1, limit=reading.MAX_CELL
    )


def test_an_xlsx_that_unpacks_too_big_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED", 200_000)
    content = xlsx_bytes([row("Brazil", note=f"{n}" * 30_000) for n in range(10)])
    assert len(content) < 50_000  # small as a file: the text compresses
    with pytest.raises(FileRejected) as refused:
        read_table("packed.xlsx", content)
    assert "unpacks to" in str(refused.value)
