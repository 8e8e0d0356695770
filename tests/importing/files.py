"""Files an editor might upload, and a fingerprint of everything an import could write."""

import csv
import io

import openpyxl
from django.contrib.auth.models import Group

from signatories.models import (
    Action,
    Endorsement,
    ForumMembership,
    ImportBatch,
    Participant,
    Source,
)

HEADER = [
    "Name",
    "ISO alpha-2",
    "Status",
    "Endorsed on",
    "Date precision",
    "Withdrawn on",
    "Event",
    "Sources",
    "Note",
]
SOURCE = "https://www.gov.br/mre/en/dfi-endorsement"


def row(name="Brazil", code="", status="Endorsed", on="2023-05-04", **extra):
    values = {
        "Name": name,
        "ISO alpha-2": code,
        "Status": status,
        "Endorsed on": on,
        "Date precision": extra.pop("precision", "Exact day"),
        "Withdrawn on": extra.pop("withdrawn", ""),
        "Event": extra.pop("event", ""),
        "Sources": extra.pop("sources", SOURCE),
        "Note": extra.pop("note", ""),
    }
    values.update(extra)
    return values


def csv_bytes(rows, header=None, encoding="utf-8"):
    header = header or HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=None):
    header = header or HEADER
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot():
    """Everything an import could change, to compare before and after."""
    return {
        "endorsements": sorted(
            Endorsement.objects.values_list(
                "pk",
                "participant_id",
                "status",
                "endorsed_on",
                "withdrawn_on",
                "disputed_on",
                "dispute_resolved_on",
                "note",
                "event_id",
                "date_precision",
                "updated_at",
            )
        ),
        "sources": sorted(
            Source.objects.values_list(
                "pk", "endorsement_id", "supports", "url", "position", "kind", "publisher"
            )
        ),
        "actions": sorted(
            Action.objects.values_list(
                "pk", "endorsement_id", "kind", "taken_on", "date_precision", "event_id", "note"
            )
        ),
        "participants": Participant.objects.count(),
        "memberships": ForumMembership.objects.count(),
        "history": (
            Endorsement.history.count(),
            Source.history.count(),
            Action.history.count(),
            Participant.history.count(),
        ),
        "imports": ImportBatch.objects.count(),
    }


def make_editor(django_user_model, username="editor", password="a-long-editor-passphrase"):
    user = django_user_model.objects.create_user(
        username=username, password=password, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user
