"""``manage.py export_participants`` writes the same files as the site's downloads."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.data.exported import about, body, download, html_slugs, records, slugs

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]


def export(tmp_path, fmt, *args):
    output = tmp_path / f"out.{fmt}"
    call_command("export_participants", "--format", fmt, "--output", str(output), *args)
    return output.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("args", "params"),
    [
        ([], ""),
        (["--region", "150", "--status", "endorsed"], "region=150&status=endorsed"),
        (
            ["--status", "none", "--status", "disputed", "--region", "002"],
            "status=none&status=disputed&region=002",
        ),
        (["--as-of", "2022-05-01", "--sort=-name"], "as_of=2022-05-01&sort=-name"),
        (["--forum", "g7", "--q", "united"], "forum=g7&q=united"),
    ],
)
def test_command_writes_the_rows_of_the_list(client, tmp_path, fmt, args, params):
    data = export(tmp_path, fmt, *args, "--base-url", "http://testserver")
    assert slugs(fmt, data) == html_slugs(client, params)
    assert records(fmt, data) == records(fmt, body(download(client, fmt, params)))


def test_command_metadata_matches_the_download(client, tmp_path):
    data = export(tmp_path, "json", "--region", "154", "--base-url", "https://tracker.example/")
    meta = json.loads(data)["meta"]
    site = json.loads(body(download(client, "json", "region=154")))["meta"]
    assert meta["rows"] == site["rows"] == len(html_slugs(client, "region=154"))
    assert meta["filters"] == site["filters"]
    assert meta["url"] == "https://tracker.example/participants/?region=154"
    assert meta["export_url"] == "https://tracker.example/participants/export.json?region=154"
    assert json.loads(data)["results"][0]["url"].startswith("https://tracker.example/")


def test_xlsx_about_sheet_from_the_command(tmp_path):
    facts = about(export(tmp_path, "xlsx", "--region", "150", "--as-of", "2022-11-30"))
    assert facts["Filters applied"].endswith("in Europe (150)")
    assert facts["The list on the site"] == "/participants/?region=150&as_of=2022-11-30"


def test_default_file_name_says_what_is_inside(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    call_command(
        "export_participants", "--format", "xlsx", "--region", "150", "--as-of", "2022-11-30"
    )
    assert (tmp_path / "dfi-participants-europe-2022-11-30.xlsx").exists()
    assert (
        "Wrote 41 participants to dfi-participants-europe-2022-11-30.xlsx"
        in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--region", "999"], "--region"),
        (["--as-of", "30/11/2022"], "--as-of"),
        (["--status", "maybe"], "--status"),
        (["--q", "x" * 10_000], "--q"),
    ],
)
def test_bad_option_names_it(tmp_path, args, option):
    with pytest.raises(CommandError, match=f"Bad parameter “{option}”"):
        export(tmp_path, "csv", *args)
    assert not (tmp_path / "out.csv").exists()
