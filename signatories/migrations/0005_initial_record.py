"""The seed's history rows say they are the initial record (history.INITIAL_RECORD), so that
/changes/ tells the record as first compiled once, not as news of the day it was loaded.

A database seeded before this change has those rows without a reason: the first rows written,
by no user, within ten minutes of the very first one (what `manage.py seed` writes at once).
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import Min

INITIAL_RECORD = "Initial record, compiled from its sources"  # as signatories.history says
MODELS = ("HistoricalParticipant", "HistoricalEndorsement", "HistoricalSource")
MODELS += ("HistoricalForumMembership",)


def mark_the_initial_record(apps, schema_editor):
    for name in MODELS:
        rows = apps.get_model("signatories", name).objects.filter(
            history_type="+", history_user__isnull=True, history_change_reason__isnull=True
        )
        first = rows.aggregate(first=Min("history_date"))["first"]
        if first is not None:
            rows.filter(history_date__lte=first + timedelta(minutes=10)).update(
                history_change_reason=INITIAL_RECORD
            )


class Migration(migrations.Migration):
    dependencies = [("signatories", "0004_participant_aliases")]

    operations = [migrations.RunPython(mark_the_initial_record, migrations.RunPython.noop)]
