"""The public history of the record: what changed and when, never who."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from .models import Action, Endorsement, Source, Status

RECENT = 100
# The change reason of the history rows the seed writes: the record as first compiled from its
# sources is not news, so it is told once rather than as one change per row, dated the day it
# was loaded.
INITIAL_RECORD = "Initial record, compiled from its sources"
# A source saved this soon after its endorsement was created came with it.
SAME_RECORDING = timedelta(minutes=1)

TRACKED_FIELDS = {
    "status": gettext_lazy("status"),
    "endorsed_on": gettext_lazy("endorsement date"),
    "date_precision": gettext_lazy("date precision"),
    "disputed_on": gettext_lazy("dispute date"),
    "dispute_resolved_on": gettext_lazy("dispute resolution date"),
    "withdrawn_on": gettext_lazy("withdrawal date"),
    "event_id": gettext_lazy("event"),
    "note": gettext_lazy("note"),
}
# A date set where there was none records an action in the world; every other change to the
# record (a date moved, a note, an event, a source) corrects it.
NEW_ACTIONS = {
    "disputed_on": gettext_lazy("Dispute of %(day)s recorded"),
    "dispute_resolved_on": gettext_lazy("Resolution of the dispute of %(day)s recorded"),
    "withdrawn_on": gettext_lazy("Withdrawal of %(day)s recorded"),
}


@dataclass
class Change:
    when: datetime
    participant: str
    participant_url: str
    declaration: str
    summary: str
    details: list[str] = field(default_factory=list)
    history_id: int | None = None
    initial: bool = False  # part of the initial record: no date of its own to show
    correction: bool = False  # of the record, not an action in the world

    @property
    def kind(self):
        return str(CORRECTION if self.correction else IN_THE_WORLD)


CORRECTION = pgettext_lazy("kind of change", "Correction")
IN_THE_WORLD = pgettext_lazy("kind of change", "In the world")


def field_value(record, name):
    """A field of an endorsement (or of a history row) as the public reads it."""
    if name == "event_id":
        return record.event.name if record.event_id else "—"
    value = getattr(record, name)
    if name == "status" and value:
        return str(Status(value).label).lower()
    if name == "date_precision" and value:
        return str(Endorsement.DatePrecision(value).label).lower()
    if hasattr(value, "isoformat"):
        return formats.date_format(value)  # 29 April 2022, as in the summaries
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
            participant=row.participant.local_name,
            participant_url=row.participant.get_absolute_url(),
            declaration=row.declaration.short_name,
            history_id=row.history_id,
        )
        if row.history_type == "+" or before is None:
            if row.history_change_reason == INITIAL_RECORD:
                summary = gettext("In the initial record: endorsement of %(day)s") % {
                    "day": formats.date_format(row.endorsed_on)
                }
                changes.append(Change(summary=summary, initial=True, **base))
            else:
                summary = gettext("Endorsement of %(day)s recorded") % {
                    "day": formats.date_format(row.endorsed_on)
                }
                changes.append(Change(summary=summary, **base))
        elif row.history_type == "-":
            changes.append(Change(summary=gettext("Endorsement removed"), correction=True, **base))
        else:
            changed = [n for n in TRACKED_FIELDS if getattr(before, n) != getattr(row, n)]
            new = [n for n in NEW_ACTIONS if n in changed and getattr(before, n) is None]
            world = set(new) | ({"status"} if new else set())

            if new:
                summary = "; ".join(
                    str(NEW_ACTIONS[n]) % {"day": formats.date_format(getattr(row, n))} for n in new
                )
                world_lines = _lines(before, row, [n for n in changed if n in world])
                changes.append(Change(summary=summary, details=world_lines, **base))
            if rest := [n for n in changed if n not in world]:
                changes.append(
                    Change(
                        summary=gettext("Record corrected"),
                        details=_lines(before, row, rest),
                        correction=True,
                        **base,
                    )
                )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _lines(before, row, names):
    """ "withdrawal date: — → 1 March 2024": what each field was and became."""
    return [f"{TRACKED_FIELDS[n]}: {field_value(before, n)} → {field_value(row, n)}" for n in names]


def endorsement_history(**filters):
    """Historical endorsement rows ready for ``endorsement_changes``."""
    return (
        Endorsement.history.filter(**filters)
        .select_related("participant", "declaration", "event")
        .order_by("id", "history_date", "history_id")
    )


def source_changes(history_rows):
    """Sources added to, removed from or changed in an existing endorsement, newest first:
    corrections of the record.

    Sources recorded together with their endorsement, or with the action they are evidence of
    (a withdrawal and its statement), are part of that recording, not changes.
    """
    history_rows = list(history_rows)
    added = {row.endorsement_id for row in history_rows if row.history_type == "+"}
    recorded = defaultdict(list)
    for endorsement_id, created in (
        Endorsement.history.filter(id__in=added, history_type="+")
        .exclude(history_change_reason=INITIAL_RECORD)
        .values_list("id", "history_date")
    ):
        recorded[endorsement_id].append(created)
    for endorsement_id, kind, created in (
        Action.history.filter(endorsement_id__in=added, history_type="+")
        .exclude(history_change_reason=INITIAL_RECORD)
        .values_list("endorsement_id", "kind", "history_date")
    ):
        recorded[endorsement_id, kind].append(created)
    changes = []
    for row in history_rows:
        endorsement = row.endorsement
        if endorsement is None or row.history_change_reason == INITIAL_RECORD:
            continue
        if row.history_type == "+" and any(
            abs(row.history_date - created) < SAME_RECORDING
            for created in [
                *recorded.get(row.endorsement_id, []),
                *recorded.get((row.endorsement_id, row.supports), []),
            ]
        ):
            continue
        summary = {"+": gettext("Source added"), "-": gettext("Source removed")}.get(
            row.history_type, gettext("Source changed")
        )
        changes.append(
            Change(
                when=row.history_date,
                participant=endorsement.participant.local_name,
                participant_url=endorsement.participant.get_absolute_url(),
                declaration=endorsement.declaration.short_name,
                summary=summary,
                details=[row.url],
                correction=True,
            )
        )
    return changes


def recent_changes(*, before=None, limit=RECENT):
    """The latest public changes to the record, all declarations, newest first.

    ``before`` (a datetime) gives the changes older than it, for the next page.
    """
    window = Endorsement.history.exclude(history_change_reason=INITIAL_RECORD).order_by(
        "-history_date", "-history_id"
    )
    sources = Source.history.exclude(history_change_reason=INITIAL_RECORD).order_by(
        "-history_date", "-history_id"
    )
    if before is not None:
        window = window.filter(history_date__lt=before)
        sources = sources.filter(history_date__lt=before)
    latest = list(window.values_list("history_id", "id", "history_date")[:limit])
    changes = []
    if latest:
        keep = {history_id for history_id, _, _ in latest}
        oldest = latest[-1][2]
        ids = {endorsement_id for _, endorsement_id, _ in latest}
        rows = endorsement_history(id__in=ids, history_date__lte=latest[0][2])
        changes = [c for c in endorsement_changes(rows) if c.history_id in keep]
    else:
        oldest = None
    source_rows = sources.select_related("endorsement__participant", "endorsement__declaration")
    if oldest is not None and len(latest) == limit:
        source_rows = source_rows.filter(history_date__gte=oldest)
    changes += source_changes(source_rows[:limit])
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def initial_record():
    """What the initial record held, per declaration: ``[(short name, endorsements, first day,
    last day)]``, for the one line that tells it."""
    rows = (
        Endorsement.history.filter(history_change_reason=INITIAL_RECORD, history_type="+")
        .values("declaration__short_name")
        .annotate(
            count=Count("id", distinct=True), first=Min("endorsed_on"), last=Max("endorsed_on")
        )
        .order_by("declaration__short_name")
    )
    return [
        (row["declaration__short_name"], row["count"], row["first"], row["last"]) for row in rows
    ]


def participant_changes(participant):
    """A participant's whole public history: its endorsements and their sources."""
    changes = endorsement_changes(endorsement_history(participant=participant))
    sources = Source.history.filter(endorsement__participant=participant).select_related(
        "endorsement__participant", "endorsement__declaration"
    )
    changes += source_changes(sources.order_by("history_date", "history_id"))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes
