"""Bulk import: every bad file gets a clear message and writes nothing; good files import."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from importing import planning, reading
from importing.planning import PlanOutdated, apply_import, plan_import
from signatories import services
from signatories.forms import WithdrawalForm
from signatories.models import (
    FUTURE_DATE,
    WITHDRAWAL_BEFORE_ENDORSEMENT,
    WITHDRAWAL_DATE_REQUIRED,
    Endorsement,
    ImportBatch,
    Participant,
)
from tests.data.exported import body, download
from tests.factories import DeclarationFactory, EndorsementFactory
from tests.importing.files import (
    HEADER,
    SOURCE,
    csv_bytes,
    row,
    snapshot,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

# Read when the module is collected: a week ahead stays in the future if the run crosses
# midnight (tomorrow became today in a run that did, and the file was accepted).
NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def broken_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    return buffer.getvalue()


# Each case: (file name, content, expected message). Every one must write nothing.
BAD_FILES = {
    "unknown_country": (
        "a.csv",
        csv_bytes([row("Atlantis")]),
        "No participant is called “Atlantis”.",
    ),
    "misspelt_name_suggests": (
        "a.csv",
        csv_bytes([row("Czech Rep")]),
        "No participant is called “Czech Rep”. Did you mean Czech Republic?",
    ),
    "ambiguous_name": (
        "a.csv",
        csv_bytes([row("Korea")]),
        "“Korea” could be North Korea or South Korea: write the full name or the ISO code.",
    ),
    "unknown_iso_code": (
        "a.csv",
        csv_bytes([row("", code="XX")]),
        "No participant has the ISO code “XX”.",
    ),
    "code_and_name_disagree": (
        "a.csv",
        csv_bytes([row("Sweden", code="BR")]),
        "The ISO code BR is Brazil's, but the name says “Sweden”.",
    ),
    "no_name_or_code": ("a.csv", csv_bytes([row("")]), planning.NAME_OR_CODE_REQUIRED),
    "future_date": ("a.csv", csv_bytes([row(on=NEXT_WEEK.isoformat())]), FUTURE_DATE),
    "date_before_launch": (
        "a.csv",
        csv_bytes([row(on="2022-01-05")]),
        "DFI was launched on 28 April 2022; no endorsement can be earlier.",
    ),
    "duplicate_rows": (
        "a.csv",
        csv_bytes([row("Brazil"), row("Chile"), row("brazil", code="BR")]),
        "Brazil is also on row 2: a file has one row per participant.",
    ),
    "deleting_an_existing_endorsement": (
        "a.csv",
        csv_bytes([row("Norway", status="Not endorsed", on="", sources="")]),
        "Norway has an endorsement of 2 November 2022; endorsements are never deleted.",
    ),
    "latin1_encoding": (
        "a.csv",
        csv_bytes([row("Côte d'Ivoire")], encoding="latin-1"),
        "The file is not UTF-8 text (it looks like Latin-1 or Windows-1252).",
    ),
    "utf16_encoding": (
        "a.csv",
        csv_bytes([row("Brazil")], encoding="utf-16"),
        "The file is not UTF-8 text (it looks like UTF-16 (“Unicode text”)).",
    ),
    "excel_serial_date_in_csv": (
        "a.csv",
        csv_bytes([row(on="44679")]),
        "“44679” is a number, not a date: a spreadsheet turned 28 April 2022 into it.",
    ),
    "excel_serial_date_in_xlsx": (
        "a.xlsx",
        xlsx_bytes([row(on=44679)]),
        "“44679” is a number, not a date: a spreadsheet turned 28 April 2022 into it.",
    ),
    "day_first_date": (
        "a.csv",
        csv_bytes([row(on="28/04/2022")]),
        "“28/04/2022” is ambiguous (day and month could be swapped)",
    ),
    "words_for_a_date": ("a.csv", csv_bytes([row(on="April 2022")]), "“April 2022” is not a date"),
    "yesterday": ("a.csv", csv_bytes([row(on="yesterday")]), "“yesterday” is not a date"),
    "no_such_day": (
        "a.csv",
        csv_bytes([row(on="2022-13-45")]),
        "“2022-13-45” is not a date: write it as YYYY-MM-DD",
    ),
    "day_first_withdrawal_date": (
        "a.csv",
        csv_bytes([row(status="Withdrawn", withdrawn="01/03/2024")]),
        "“01/03/2024” is ambiguous (day and month could be swapped)",
    ),
    "empty_file": ("a.csv", b"", reading.EMPTY_FILE),
    "blank_lines_only": ("a.csv", b"\r\n \r\n,,,\r\n", reading.EMPTY_FILE),
    "header_only": ("a.csv", csv_bytes([]), reading.NO_ROWS),
    "missing_columns": (
        "a.csv",
        csv_bytes([row()], header=["Name", "Status", "Endorsed on"]),
        "Missing column: Sources.",
    ),
    "extra_columns": (
        "a.csv",
        csv_bytes([row(Comments="x")], header=[*HEADER, "Comments"]),
        "Unknown column: “Comments”.",
    ),
    "repeated_column": (
        "a.csv",
        b"Name,Status,Endorsed on,Sources,Note,Note\r\nBrazil,Endorsed,2023-05-04,"
        + SOURCE.encode()
        + b",a,b\r\n",
        "The column “Note” appears twice.",
    ),
    "ten_megabyte_file": (
        "a.csv",
        csv_bytes([row()]) + b"x" * (10 * 1024 * 1024),
        "The file is 10.0 MB; the import takes files up to 2.0 MB",
    ),
    "too_many_rows": (
        "a.xlsx",
        xlsx_bytes([row(f"Name {n}") for n in range(reading.MAX_ROWS + 1)], header=["Name"]),
        "The file has more than 50,000 rows; split it into smaller files.",
    ),
    "formula_in_note": (
        "a.csv",
        csv_bytes([row(note='=HYPERLINK("http://evil.example","click")')]),
        "starts like a spreadsheet formula (=), which the tracker never stores.",
    ),
    "formula_in_status": (
        "a.csv",
        csv_bytes([row(status="@SUM(A1)")]),
        "starts like a spreadsheet formula (@)",
    ),
    "withdrawal_before_endorsement": (
        "a.csv",
        csv_bytes([row(status="Withdrawn", on="2023-05-04", withdrawn="2023-01-01")]),
        WITHDRAWAL_BEFORE_ENDORSEMENT,
    ),
    "withdrawn_without_a_date": (
        "a.csv",
        csv_bytes([row(status="Withdrawn")]),
        WITHDRAWAL_DATE_REQUIRED,
    ),
    "endorsement_without_a_date": ("a.csv", csv_bytes([row(on="")]), planning.DATE_REQUIRED),
    "unknown_status": ("a.csv", csv_bytes([row(status="Signed")]), "“Signed” is not a status"),
    "unknown_precision": (
        "a.csv",
        csv_bytes([row(precision="Roughly")]),
        "“Roughly” is not a date precision",
    ),
    "unknown_event": (
        "a.csv",
        csv_bytes([row(event="Davos")]),
        "“Davos” is not an event of the DFI",
    ),
    "no_source": ("a.csv", csv_bytes([row(sources="")]), services.SOURCE_REQUIRED),
    "source_not_a_web_address": (
        "a.csv",
        csv_bytes([row(sources="gov.br/statement")]),
        "“gov.br/statement” is not a web address",
    ),
    "javascript_source": (
        "a.csv",
        csv_bytes([row(sources="javascript:alert(1)")]),
        "“javascript:alert(1)” is not a web address",
    ),
    "png_named_csv": ("photo.csv", PNG, "“photo.csv” is not a CSV or XLSX file."),
    "plain_text": (
        "notes.csv",
        b"Brazil endorsed it in May.\n",
        "“notes.csv” is not a CSV or XLSX file.",
    ),
    "old_excel_file": (
        "old.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "is an old Excel (.xls) file",
    ),
    "broken_xlsx": ("a.xlsx", broken_xlsx(), "The XLSX file cannot be read"),
    "one_bad_row_among_good_ones": (
        "a.csv",
        csv_bytes([row("Brazil"), row("Chile"), row("Atlantis"), row("India")]),
        "No participant is called “Atlantis”.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_gets_a_clear_message_and_writes_nothing(dfi, case):
    filename, content, message = BAD_FILES[case]
    before = snapshot()
    plan = plan_import(dfi, filename, content)
    assert plan.has_errors
    messages = [problem.message for problem in plan.all_problems]
    assert any(message in text for text in messages), messages
    with pytest.raises(PlanOutdated):
        apply_import(dfi, filename, content)
    assert snapshot() == before


def test_errors_name_the_row_and_the_column(dfi):
    content = csv_bytes([row("Brazil"), row("Chile", on="28/04/2022", sources="not-a-url")])
    plan = plan_import(dfi, "a.csv", content)
    problems = [(p.row, p.column) for p in plan.all_problems]
    assert problems == [(3, "Endorsed on"), (3, "Sources")]
    assert [r.action for r in plan.rows] == ["new", "error"]


@pytest.fixture
def chile_withdrawn(dfi):
    """Chile endorsed on 1 June 2022 and withdrew on 1 January 2023."""
    return EndorsementFactory(
        participant=Participant.objects.get(name="Chile"),
        declaration=dfi,
        endorsed_on=datetime.date(2022, 6, 1),
        status="withdrawn",
        withdrawn_on=datetime.date(2023, 1, 1),
    )


def test_a_withdrawal_is_not_undone_by_an_import(dfi, chile_withdrawn):
    before = snapshot()
    plan = plan_import(dfi, "a.csv", csv_bytes([row("Chile", on="2022-06-01")]))
    assert "Chile's endorsement was withdrawn on 1 January 2023" in plan.all_problems[0].message
    with pytest.raises(PlanOutdated):
        apply_import(dfi, "a.csv", csv_bytes([row("Chile", on="2022-06-01")]))
    assert snapshot() == before


def test_html_in_a_note_is_stored_as_text_and_shown_escaped(client, dfi):
    note = '<script>alert("x")</script> <b>bold</b>'
    apply_import(dfi, "a.csv", csv_bytes([row("Brazil", note=note)]))
    endorsement = Endorsement.objects.get(participant__name="Brazil", declaration=dfi)
    assert endorsement.note == note
    page = client.get(reverse("signatories:participant-detail", args=["brazil"])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_new_and_changed_rows_are_written_with_history_naming_the_import(dfi, django_user_model):
    editor = django_user_model.objects.create_user("imp", password="x-long-password-1")
    content = csv_bytes(
        [
            row("Brazil", code="BR", sources=f"{SOURCE} ; https://example.org/second"),
            row(
                "Norway",
                on="2022-11-02",
                note="Corrected note",
                event="Prague high-level multi-stakeholder event",
                sources="https://www.regjeringen.no/dfi",
            ),
            row("Chile", status="Not endorsed", on="", sources=""),
        ]
    )
    plan = plan_import(dfi, "may.csv", content)
    assert [r.action for r in plan.rows] == ["new", "changed", "unchanged"]
    norway = plan.rows[1]
    assert (
        "note: announced at the Prague high-level multi-stakeholder event on 2 Nov 2022 "
        "→ Corrected note" in norway.changes
    )

    batch, _ = apply_import(dfi, "may.csv", content, user=editor)

    assert (batch.new, batch.changed, batch.unchanged, batch.rows) == (1, 1, 1, 3)
    assert batch.reason == f"Import #{batch.pk}: may.csv"
    brazil = Endorsement.objects.get(participant__name="Brazil", declaration=dfi)
    assert [s.url for s in brazil.sources.all()] == [SOURCE, "https://example.org/second"]
    assert brazil.endorsed_on == datetime.date(2023, 5, 4)
    latest = brazil.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (batch.reason, editor)
    norway_record = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    assert norway_record.note == "Corrected note"
    assert [s.url for s in norway_record.sources.all()] == ["https://www.regjeringen.no/dfi"]
    assert norway_record.history.latest().history_change_reason == batch.reason
    removed = norway_record.sources.model.history.filter(
        history_type="-", endorsement_id=norway_record.pk
    )
    assert removed and all(r.history_change_reason == batch.reason for r in removed)
    assert not Endorsement.objects.filter(participant__name="Chile", declaration=dfi).exists()


def test_a_withdrawal_is_imported_as_a_status_change(dfi):
    norway = Endorsement.objects.get(participant__name="Norway")
    kept = {
        "on": "2022-11-02",
        "event": norway.event.name,
        "note": norway.note,
    }
    withdrawal = row("Norway", status="Withdrawn", withdrawn="2024-03-01", sources="", **kept)
    # Sources are required for a withdrawal too: the record keeps its evidence.
    assert plan_import(dfi, "a.csv", csv_bytes([withdrawal])).has_errors

    withdrawal["Sources"] = " ; ".join(norway.sources.values_list("url", flat=True))
    # ... and the withdrawal needs a source of its own, in the "Status sources" column.
    plan = plan_import(dfi, "a.csv", csv_bytes([withdrawal]))
    assert [(p.column, p.message) for p in plan.all_problems] == [
        ("Status sources", services.ACTION_SOURCE_REQUIRED["withdrawn"])
    ]
    withdrawal["Status sources"] = "https://www.regjeringen.no/withdrawal"
    content = csv_bytes([withdrawal], header=[*HEADER, "Status sources"])
    plan = plan_import(dfi, "a.csv", content)
    assert plan.rows[0].changes == [
        "status: endorsed → withdrawn",
        "withdrawn on: — → 1 March 2024",
        "withdrawn sources: — → https://www.regjeringen.no/withdrawal",
    ]
    apply_import(dfi, "a.csv", content)
    norway.refresh_from_db()
    assert (norway.status, norway.withdrawn_on) == ("withdrawn", datetime.date(2024, 3, 1))
    assert norway.actions.get(kind="withdrawn").taken_on == datetime.date(2024, 3, 1)
    assert list(norway.sources.filter(supports="withdrawn").values_list("url", flat=True)) == [
        "https://www.regjeringen.no/withdrawal"
    ]


def test_participants_are_found_by_code_or_exact_name_ignoring_case_and_accents(dfi):
    content = csv_bytes(
        [row("", code="BR"), row("cote d'ivoire"), row("Czechia"), row("", code="IN")]
    )
    plan = plan_import(dfi, "a.csv", content)
    assert [r.participant.name for r in plan.rows] == [
        "Brazil",
        "Côte d'Ivoire",
        "Czech Republic",
        "India",
    ]


def test_apostrophe_that_disarmed_a_formula_comes_off(dfi):
    plan = plan_import(dfi, "a.csv", csv_bytes([row(note="'=not a formula")]))
    assert not plan.has_errors
    assert plan.rows[0].values["note"] == "=not a formula"


def test_xlsx_with_real_date_cells_imports(dfi):
    content = xlsx_bytes([row(on=datetime.datetime(2023, 5, 4))])
    plan = plan_import(dfi, "a.xlsx", content)
    assert [r.action for r in plan.rows] == ["new"]
    assert plan.rows[0].values["endorsed_on"] == datetime.date(2023, 5, 4)


def test_semicolon_separated_csv_from_a_european_excel_imports(dfi):
    text = "Name;Status;Endorsed on;Sources\r\nBrazil;Endorsed;2023-05-04;" + SOURCE + "\r\n"
    plan = plan_import(dfi, "a.csv", ("\ufeff" + text).encode())
    assert [r.action for r in plan.rows] == ["new"]


def test_record_changed_since_the_preview_stops_the_import(dfi):
    content = csv_bytes([row("Brazil")])
    preview = planning.fingerprint(plan_import(dfi, "a.csv", content))
    norway = Endorsement.objects.get(participant__name="Norway")
    norway.note = "Edited by someone else meanwhile"
    norway.save()
    # Brazil's row still says the same, so the plan is the same and the import goes ahead.
    apply_import(dfi, "a.csv", content, expected=preview)
    # A second import of the same file is now all unchanged: not what was previewed.
    before = snapshot()
    with pytest.raises(PlanOutdated) as outdated:
        apply_import(dfi, "a.csv", content, expected=preview)
    assert [r.action for r in outdated.value.plan.rows] == ["unchanged"]
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params", ["", "status=none", "region=150&sort=-endorsed_on", "status=disputed"]
)
def test_export_then_import_is_unchanged_for_every_row(client, dfi, fmt, params):
    content = body(download(client, fmt, params))
    before = snapshot()
    plan = plan_import(dfi, f"export.{fmt}", content)
    assert plan.rows, "the export has rows"
    assert {r.action for r in plan.rows} == {"unchanged"}, [
        (r.number, r.name, r.changes, [p.message for p in r.problems])
        for r in plan.rows
        if r.action != "unchanged"
    ]
    batch, _ = apply_import(dfi, f"export.{fmt}", content)
    assert batch.unchanged == len(plan.rows) and batch.new == batch.changed == 0
    after = snapshot()
    assert after.pop("imports") == before.pop("imports") + 1
    assert after == before


def test_import_reads_the_whole_record_in_a_constant_number_of_queries(
    dfi, django_assert_max_num_queries
):
    rows = [
        row(p.name, on="2023-05-04")
        for p in Participant.objects.exclude(endorsements__declaration=dfi)
    ]
    content = csv_bytes(rows)
    with django_assert_max_num_queries(6):
        plan = plan_import(dfi, "a.csv", content)
    assert plan.counts["new"] == len(rows) > 100
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        "2024-03-01",
        "2024-3-1",
        "01/03/2024",
        "03/01/2024",
        "2024-13-45",
        "yesterday",
        "1 March 2024",
    ],
)
def test_an_import_reads_a_date_as_the_admins_forms_do(dfi, typed):
    """One rule for a typed date, in the file's cells and in the bulk withdrawal's form alike."""
    withdrawal = row("Norway", status="Withdrawn", on="2022-11-02", withdrawn=typed)
    withdrawal["Status sources"] = "https://example.org/a"
    content = csv_bytes([withdrawal], header=[*HEADER, "Status sources"])
    form = WithdrawalForm(
        {"withdrawn_on": typed, "source_url": "https://example.org/a", "source_kind": "news"}
    )
    plan = plan_import(dfi, "a.csv", content)
    withdrawal_problems = [p for p in plan.rows[0].problems if p.column == "Withdrawn on"]
    assert (not withdrawal_problems) == form.is_valid()
    if form.is_valid():
        assert plan.rows[0].changes[1] == "withdrawn on: — → 1 March 2024"


def test_an_editor_reads_the_problems_and_the_summary_in_their_language(dfi, chile_withdrawn):
    rows = [row("Chile", on="2022-06-01"), row("Norway", on="44679"), row()]
    with translation.override("fr"):
        plan = plan_import(dfi, "a.csv", csv_bytes(rows))
        messages = [problem.message for problem in plan.all_problems]
        summary = plan.summary()
    assert messages[0].startswith("L'adhésion de Chile a été retirée le 1 janvier 2023.")
    assert "un tableur a converti 28 avril 2022 en ce nombre" in messages[1]
    assert "sous la forme 2022-04-28." in messages[1]
    assert summary.startswith("3 lignes\u00a0: ")
    assert summary.endswith("1 nouvelle et 2 avec des erreurs")


def test_an_event_of_a_declaration_with_none_says_to_leave_it_empty(dfi):
    other = DeclarationFactory(launched_on=datetime.date(2022, 4, 28))
    plan = plan_import(other, "a.csv", csv_bytes([row(event="Davos")]))
    assert plan.all_problems[0].message == (
        f"“Davos” is not an event of the {other.short_name}, which has none recorded: "
        "leave it empty."
    )


def test_the_events_a_file_may_name_are_listed_as_choices(dfi):
    plan = plan_import(dfi, "a.csv", csv_bytes([row(event="Davos")]))
    assert "“Launch of the Declaration” or “Prague high-level" in plan.all_problems[0].message
