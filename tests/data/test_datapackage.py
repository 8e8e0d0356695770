"""A report writer reads the data dictionary and checks a real download against it."""

import json

import frictionless
import pytest
from django.urls import reverse

from data.columns import COLUMNS
from signatories.models import Status
from tests.data.exported import body, csv_rows, download

pytestmark = pytest.mark.django_db

PACKAGE = reverse("data:datapackage")
EVERYONE = "&".join(f"status={status}" for status in Status.values)
TABLE_SCHEMA_TYPES = {"string", "date", "integer", "number", "boolean", "datetime", "year"}


def descriptor(client):
    response = client.get(PACKAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def the_resource(package):
    [resource] = package["resources"]
    return resource


def test_a_real_csv_download_is_valid_against_the_data_package(client, tmp_path):
    """Every participant (Namibia, and the European Commission with its empty cells)."""
    package = descriptor(client)
    (tmp_path / "participants.csv").write_bytes(body(download(client, "csv", EVERYONE)))
    the_resource(package)["path"] = "participants.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package))

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    rows = frictionless.Package(str(tmp_path / "datapackage.json")).get_resource("participants")
    rows = {row["Name"]: row for row in rows.read_rows()}
    assert len(rows) == 198
    assert rows["Namibia"]["ISO alpha-2"] == "NA"  # a code, not a missing value
    commission = rows["European Commission"]
    assert commission["ISO alpha-2"] is None and commission["Region"] is None


def test_a_csv_the_dictionary_does_not_describe_is_invalid(client, tmp_path):
    """The check above can fail: a status the dictionary does not list is reported."""
    package = descriptor(client)
    data = body(download(client, "csv", EVERYONE)).replace(b",Endorsed,", b",Signed,")
    (tmp_path / "participants.csv").write_bytes(data)
    the_resource(package)["path"] = "participants.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package))

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert {tuple(error[1:]) for error in report.flatten(["rowNumber", "fieldName", "type"])} == {
        ("Status", "constraint-error")
    }


def test_the_dictionary_lists_exactly_the_csv_columns_in_order(client):
    fields = the_resource(descriptor(client))["schema"]["fields"]
    header = list(csv_rows(body(download(client, "csv", "q=namibia&status=none")))[0])
    assert [field["name"] for field in fields] == header


def test_every_column_has_a_type_and_a_description(client):
    fields = the_resource(descriptor(client))["schema"]["fields"]
    assert len(fields) == len(COLUMNS)
    for field in fields:
        assert field["type"] in TABLE_SCHEMA_TYPES, field
        assert len(field["description"]) > 20, field
    by_name = {field["name"]: field for field in fields}
    assert by_name["Endorsed on"]["type"] == by_name["Withdrawn on"]["type"] == "date"
    assert by_name["Status"]["constraints"] == {
        "required": True,
        "enum": ["Endorsed", "Disputed", "Withdrawn", "Not endorsed"],
    }


def test_the_package_names_its_resource_licence_sources_and_missing_values(client):
    package = descriptor(client)
    resource = the_resource(package)
    assert resource["path"] == "http://testserver/participants/export.csv"
    assert resource["format"] == "csv" and resource["encoding"] == "utf-8"
    assert resource["schema"]["missingValues"] == [""]
    assert resource["schema"]["primaryKey"] == ["Page"]
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert "http://testserver/methods/" in [source["path"] for source in package["sources"]]
    assert package["homepage"] == "http://testserver/participants/"
    description = package["description"]
    assert "“NA” in “ISO alpha-2” is Namibia's code, not a missing value" in description
    assert 'keep_default_na=False, na_values=[""]' in description


def test_the_list_and_the_methods_page_link_the_data_dictionary(client):
    listing = client.get(reverse("signatories:participant-list")).content.decode()
    assert f'<a href="{PACKAGE}" type="application/json">Data dictionary' in listing
    methods = client.get(reverse("signatories:methods")).content.decode()
    assert f'href="{PACKAGE}"' in methods
    assert 'keep_default_na=False, na_values=[""]' in methods.replace("&quot;", '"')
