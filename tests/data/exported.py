"""Download the exports and read them back as a report writer's tools would."""

import csv
import io
import json
import re

import openpyxl
from django.urls import reverse

LIST = reverse("signatories:participant-list")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, fmt, params=""):
    response = client.get(f"{reverse(f'data:export-{fmt}')}?{params}")
    assert response.status_code == 200, body(response)
    return response


def html_slugs(client, params=""):
    """The participants /participants/ shows for these parameters, in order."""
    response = client.get(f"{LIST}?{params}")
    assert response.status_code == 200
    return re.findall(r'<tr data-slug="([^"]+)"', response.content.decode())


def slug_of(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def xlsx_rows(data):
    sheet = workbook(data)["Participants"]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def about(data):
    """The "About" sheet as {label: value}."""
    return {label: value for label, value in workbook(data)["About"].iter_rows(values_only=True)}


def records(fmt, data):
    """The rows of an export, as dicts, whatever the format."""
    if fmt == "csv":
        return csv_rows(data)
    if fmt == "xlsx":
        return xlsx_rows(data)
    return json.loads(data)["results"]


def slugs(fmt, data):
    key = "url" if fmt == "json" else "Page"
    return [slug_of(row[key]) for row in records(fmt, data)]
