"""The public history of the record: what changed and when, never who."""

from dataclasses import dataclass, field
from datetime import datetime

from .models import Endorsement

TRACKED_FIELDS = {
    "status": "status",
    "endorsed_on": "endorsement date",
    "date_precision": "date precision",
    "withdrawn_on": "withdrawal date",
    "event_id": "event",
    "note": "note",
}


@dataclass
class Change:
    when: datetime
    participant: str
    participant_url: str
    declaration: str
    summary: str
    details: list[str] = field(default_factory=list)


def _value(record, name):
    if name == "event_id":
        return record.event.name if record.event_id else "—"
    value = getattr(record, name)
    if name == "status" and value:
        return Endorsement.Status(value).label.lower()
    if name == "date_precision" and value:
        return Endorsement.DatePrecision(value).label.lower()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "—" if value in (None, "") else str(value)


def endorsement_changes(history_rows):
    """Turn historical endorsement rows into public changes, newest first.

    ``history_rows`` must be ordered by endorsement id then history date, with
    ``participant`` and ``declaration`` selected; consecutive rows are compared in memory.
    """
    changes, previous = [], {}
    for row in history_rows:
        before = previous.get(row.id)
        previous[row.id] = row
        base = dict(
            when=row.history_date,
            participant=row.participant.name,
            participant_url=row.participant.get_absolute_url(),
            declaration=row.declaration.short_name,
        )
        if row.history_type == "+" or before is None:
            summary = f"Endorsement of {row.endorsed_on:%-d %B %Y} recorded"
            changes.append(Change(summary=summary, **base))
        elif row.history_type == "-":
            changes.append(Change(summary="Endorsement removed", **base))
        else:
            details = [
                f"{label}: {_value(before, name)} → {_value(row, name)}"
                for name, label in TRACKED_FIELDS.items()
                if getattr(before, name) != getattr(row, name)
            ]
            if details:
                changes.append(Change(summary="Record changed", details=details, **base))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def endorsement_history(**filters):
    """Historical endorsement rows ready for ``endorsement_changes``."""
    return (
        Endorsement.history.filter(**filters)
        .select_related("participant", "declaration", "event")
        .order_by("id", "history_date", "history_id")
    )
