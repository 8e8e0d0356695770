"""What importing a file would do, row by row, and doing it: every row through the services.

``plan_import`` compares every row of a file (read by ``reading.read_table``) with the record
and says what importing it would do: new, changed, unchanged or error, with the row number, the
column and a message in plain words for each error. ``apply_import`` has the services write a
plan that has no errors, in one transaction, each history row naming the import. Nothing is
written before that, so a preview (a dry run) never changes the database.

Why not django-import-export: its preview and error reporting are generic (field names and
exception texts), and most of the checks here are about the file as a whole (encoding, columns,
duplicate rows, Excel's mangled dates), which would have meant overriding most of its hooks.
"""

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext_lazy

from data.columns import FORMULA_PREFIXES
from signatories import cldr, services
from signatories.history import field_value
from signatories.models import (
    STATUS_ACTION,
    Action,
    Endorsement,
    ImportBatch,
    Participant,
    Status,
)
from signatories.names import NameIndex

from .reading import HEADING, MAX_BYTES, FileRejected, read_table

EXCEL_EPOCH = datetime.date(1899, 12, 30)
NAME, ALPHA2, ALPHA3 = HEADING["name"], HEADING["iso_alpha2"], HEADING["iso_alpha3"]
STATUS, ENDORSED_ON = HEADING["status"], HEADING["endorsed_on"]
PRECISION, WITHDRAWN_ON = HEADING["date_precision"], HEADING["withdrawn_on"]
EVENT, SOURCES, NOTE = HEADING["event"], HEADING["sources"], HEADING["note"]
DISPUTED_ON, STATUS_SOURCES = HEADING["disputed_on"], HEADING["status_sources"]
MODEL_FIELD_COLUMNS = {
    "endorsed_on": ENDORSED_ON,
    "withdrawn_on": WITHDRAWN_ON,
    "disputed_on": DISPUTED_ON,
    "dispute_resolved_on": STATUS,
    "actions": STATUS,
    "status": STATUS,
    "date_precision": PRECISION,
    "note": NOTE,
    "event": EVENT,
    "participant": NAME,
    "sources": SOURCES,
}

# What an editor reads (marked for translation; gettext() them where they are said). Tests
# assert these words.
UNKNOWN_CODE = gettext_noop("No participant has the ISO code “{code}”.")
CODE_AND_NAME_DISAGREE = gettext_noop(
    "The ISO code {code} is {participant}'s, but the name says “{name}”."
)
NAME_OR_CODE_REQUIRED = gettext_noop("Give the participant's name or its ISO code.")
DUPLICATE_ROW = gettext_noop(
    "{participant} is also on row {other}: a file has one row per participant."
)
BAD_STATUS = gettext_noop(
    "“{value}” is not a status: write Endorsed, Disputed, Withdrawn or Not endorsed."
)
BAD_PRECISION = gettext_noop(
    "“{value}” is not a date precision: write “Exact day” or “On or before”."
)
DATE_REQUIRED = gettext_noop("An endorsement needs the date it was made.")
EXCEL_SERIAL = gettext_noop(
    "“{value}” is a number, not a date: a spreadsheet turned {day} into it. "
    "Format the column as text and write the date as {iso}."
)
BAD_DATE = gettext_noop("“{value}” is not a date: write it as YYYY-MM-DD, e.g. 2022-04-28.")
DAY_FIRST_DATE = gettext_noop(
    "“{value}” is ambiguous (day and month could be swapped): write it as YYYY-MM-DD, "
    "e.g. 2022-04-28."
)
BAD_URL = gettext_noop("“{value}” is not a web address (it must start with https:// or http://).")
UNKNOWN_EVENT = gettext_noop(
    "“{value}” is not an event of the {declaration}: {known}, or leave it empty."
)
NO_EVENT_YET = gettext_noop(
    "“{value}” is not an event of the {declaration}, which has none recorded: leave it empty."
)
FORMULA = gettext_noop(
    "“{value}” starts like a spreadsheet formula ({prefix}), which the tracker never stores. "
    "If it is text, start it with an apostrophe (')."
)
NOT_ENDORSED_BUT_RECORDED = gettext_noop(
    "{participant} has an endorsement of {date}; endorsements are never deleted. "
    "To record a withdrawal, write Withdrawn and the date it was withdrawn."
)
NO_UNDO_WITHDRAWAL = gettext_noop(
    "{participant}'s endorsement was withdrawn on {date}. An import does not undo "
    "a withdrawal: if it was recorded by mistake, correct it in the endorsement's form."
)
NO_RESOLUTION_BY_IMPORT = gettext_noop(
    "{participant}'s endorsement has been disputed since {date}. An import does not "
    "resolve a dispute: record its resolution, with its date and source, in the endorsement's "
    "form."
)
STATUS_SOURCES_WITHOUT_STATUS = gettext_noop(
    "Status sources are the evidence of a dispute or a withdrawal; this row's status is "
    "{status}. Move them to Sources, or leave the column empty."
)
# What a file does, counted: "4 rows: 3 new and 1 unchanged".
SUMMARY = ngettext_lazy("%(count)s row: %(actions)s", "%(count)s rows: %(actions)s", "count")
ACTION_COUNTS = {
    "new": ngettext_lazy("%(count)s new", "%(count)s new", "count"),
    "changed": ngettext_lazy("%(count)s changed", "%(count)s changed", "count"),
    "unchanged": ngettext_lazy("%(count)s unchanged", "%(count)s unchanged", "count"),
    "error": ngettext_lazy("%(count)s with an error", "%(count)s with errors", "count"),
}
NOTHING = gettext_noop("nothing")
RECORD_CHANGED = gettext_noop(
    "The record changed since this preview was made. Here is a new preview: check it and "
    "confirm again."
)


@dataclass
class Problem:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: whole file
    column: str
    message: str


@dataclass
class RowPlan:
    number: int
    name: str
    action: str = "error"  # new, changed, unchanged or error
    participant: Participant | None = None
    endorsement: Endorsement | None = None
    values: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)  # services.SourceInput
    source_kinds: list = field(default_factory=list)  # the actions whose sources they replace
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem(self, column, message):
        self.problems.append(Problem(self.number, column, message))


@dataclass
class ImportPlan:
    declaration: object
    filename: str
    digest: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # about the file as a whole

    @property
    def counts(self):
        counted = Counter(row.action for row in self.rows)
        return {action: counted[action] for action in ("new", "changed", "unchanged", "error")}

    @property
    def all_problems(self):
        return self.problems + [p for row in self.rows for p in row.problems]

    @property
    def has_errors(self):
        return bool(self.problems) or any(row.action == "error" for row in self.rows)

    def summary(self):
        said = [ACTION_COUNTS[action] % {"count": n} for action, n in self.counts.items() if n]
        actions = cldr.join(said) or gettext(NOTHING)
        return SUMMARY % {"count": len(self.rows), "actions": actions}


# Comparing rows with the record -----------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain(value):
    """Text as the export wrote it: the apostrophe that disarmed a formula comes off."""
    text = _text(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:], None
    if text.startswith(FORMULA_PREFIXES):
        return text, gettext(FORMULA).format(value=_short(text), prefix=text[0])
    return text, None


def _short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(value):
    """``(date or None, message or None)`` for a cell."""
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    text = _text(value)
    if not text:
        return None, None
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text) and 20000 < float(text) < 80000:
        day = EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
        return None, gettext(EXCEL_SERIAL).format(
            value=text, day=date_format(day), iso=day.isoformat()
        )
    try:  # as the admin's forms read a date (config/formats: YYYY-MM-DD)
        return forms.DateField().to_python(text), None
    except ValidationError:
        pass
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        return None, gettext(DAY_FIRST_DATE).format(value=text)
    return None, gettext(BAD_DATE).format(value=_short(text))


def _choice(value, choices):
    """The key of the choice a cell names by its key or its English label (a file's words are
    the same in every language, as the exports write them)."""
    text = _text(value).casefold()
    with translation.override("en"):
        for key, label in choices:
            if text in (key.casefold(), str(label).casefold()):
                return key
    return None


def _source_urls(value):
    text = _text(value)
    return [url.strip() for url in re.split(r"\s;\s|;|\n", text) if url.strip()]


STATUS_CHOICES = [*Status.choices, ("none", "None"), ("none", "")]


def plan_import(declaration, filename, content, *, max_bytes=MAX_BYTES, progress=None):
    """What importing the file into the declaration's record would do, row by row.

    ``progress(done, total)``, when given, is called as the rows are checked.
    """
    plan = ImportPlan(declaration, filename, hashlib.sha256(content).hexdigest())
    try:
        _headings, rows = read_table(filename, content, max_bytes=max_bytes)
    except FileRejected as rejected:
        plan.problems.append(Problem(None, "", str(rejected)))
        return plan
    participants = NameIndex()
    existing = {
        e.participant_id: e
        for e in Endorsement.objects.of(declaration)
        .select_related("event", "declaration")
        .prefetch_related("sources", "actions")
    }
    events = {event.name.casefold(): event for event in declaration.events.all()}
    seen = {}
    for done, (number, cells) in enumerate(rows, start=1):
        if progress:
            progress(done, len(rows))
        row = RowPlan(number=number, name=_text(cells.get(NAME)))
        plan.rows.append(row)
        _plan_row(row, cells, declaration, participants, existing, events)
        if row.participant:
            if row.participant.pk in seen:
                row.problem(
                    NAME,
                    gettext(DUPLICATE_ROW).format(
                        participant=row.participant, other=seen[row.participant.pk]
                    ),
                )
            else:
                seen[row.participant.pk] = number
        if row.problems:
            row.action = "error"
    return plan


def _find_participant(row, cells, participants):
    name = row.name
    found = None
    for column in (ALPHA2, ALPHA3):
        code = _text(cells.get(column)).upper()
        if not code:
            continue
        found = participants.by_code.get(code)
        if found is None:
            row.problem(column, gettext(UNKNOWN_CODE).format(code=code))
            return None
        break
    if found and name:
        by_name, _ = participants.find(name)
        if by_name is not None and by_name != found:
            row.problem(
                NAME,
                gettext(CODE_AND_NAME_DISAGREE).format(code=code, participant=found, name=name),
            )
            return None
    if found:
        return found
    if not name:
        row.problem(NAME, gettext(NAME_OR_CODE_REQUIRED))
        return None
    found, message = participants.find(name)
    if message:
        row.problem(NAME, message)
    return found


def _plan_row(row, cells, declaration, participants, existing, events):
    row.participant = participant = _find_participant(row, cells, participants)
    texts = {}
    for column in (STATUS, PRECISION, EVENT, NOTE, SOURCES, STATUS_SOURCES):
        text, message = _plain(cells.get(column))
        texts[column] = text
        if message:
            row.problem(column, message)

    status = _choice(texts[STATUS], STATUS_CHOICES)
    if status is None:
        row.problem(STATUS, gettext(BAD_STATUS).format(value=_short(texts[STATUS])))
    precision = _choice(texts[PRECISION] or "exact", Endorsement.DatePrecision.choices)
    if precision is None:
        row.problem(PRECISION, gettext(BAD_PRECISION).format(value=_short(texts[PRECISION])))
    dates = {}
    for column in (ENDORSED_ON, WITHDRAWN_ON, DISPUTED_ON):
        dates[column], message = _date(cells.get(column))
        if message:
            row.problem(column, message)
    event = None
    if texts[EVENT]:
        event = events.get(texts[EVENT].casefold())
        if event is None:
            known = cldr.join([f"“{e.name}”" for e in events.values()], style="or")
            row.problem(
                EVENT,
                gettext(UNKNOWN_EVENT if known else NO_EVENT_YET).format(
                    value=_short(texts[EVENT]), declaration=declaration.short_name, known=known
                ),
            )
    urls = _source_urls(texts[SOURCES])
    status_urls = _source_urls(texts[STATUS_SOURCES])
    validate_url = URLValidator(schemes=["http", "https"])
    for column, given in ((SOURCES, urls), (STATUS_SOURCES, status_urls)):
        for url in given:
            try:
                validate_url(url)
            except ValidationError:
                row.problem(column, gettext(BAD_URL).format(value=_short(url)))
    if status_urls and status not in STATUS_ACTION and status is not None:
        row.problem(
            STATUS_SOURCES,
            gettext(STATUS_SOURCES_WITHOUT_STATUS).format(status=Status(status).label),
        )

    current = existing.get(participant.pk) if participant else None
    row.endorsement = current
    if row.problems or participant is None:
        return
    if status == Status.NONE:
        if current is not None:
            row.problem(
                STATUS,
                gettext(NOT_ENDORSED_BUT_RECORDED).format(
                    participant=participant, date=date_format(current.endorsed_on)
                ),
            )
        else:
            row.action = "unchanged"
        return
    if dates[ENDORSED_ON] is None:
        row.problem(ENDORSED_ON, gettext(DATE_REQUIRED))
    if row.problems:
        return
    if current and current.status == Status.WITHDRAWN and status != current.status:
        row.problem(
            STATUS,
            gettext(NO_UNDO_WITHDRAWAL).format(
                participant=participant, date=date_format(current.withdrawn_on)
            ),
        )
        return
    if current and current.status == Status.DISPUTED and status == Status.ENDORSED:
        row.problem(
            STATUS,
            gettext(NO_RESOLUTION_BY_IMPORT).format(
                participant=participant, date=date_format(current.disputed_on)
            ),
        )
        return
    row.values = {
        "endorsed_on": dates[ENDORSED_ON],
        "date_precision": precision,
        "status": status,
        "withdrawn_on": dates[WITHDRAWN_ON],
        # An empty "Disputed on" keeps the dispute's date (the export leaves it out once the
        # endorsement is withdrawn); the resolution is recorded in the form only.
        "disputed_on": dates[DISPUTED_ON] or (current.disputed_on if current else None),
        "dispute_resolved_on": current.dispute_resolved_on if current else None,
        "event": event,
        "note": texts[NOTE],
    }
    listed = Action.Kind.ENDORSED
    row.sources = [services.SourceInput(url) for url in dict.fromkeys(urls)]
    row.source_kinds = [listed]
    kind = STATUS_ACTION.get(status)
    if kind and STATUS_SOURCES in cells:  # the column replaces the status's sources
        row.sources += [
            services.SourceInput(url, supports=kind) for url in dict.fromkeys(status_urls)
        ]
        row.source_kinds.append(kind)
    kept = [
        services.SourceInput(s.url, None, s.pk, s.supports)
        for s in (current.sources.all() if current else [])
        if s.supports not in row.source_kinds
    ]
    candidate = Endorsement(
        pk=current.pk if current else None,
        participant=participant,
        declaration=declaration,
        **row.values,
    )
    try:
        services.validate_endorsement(
            candidate,
            row.sources,
            kept_sources=kept,
            existing_actions=current.actions.all() if current else [],
            related_checked=True,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = MODEL_FIELD_COLUMNS.get(name, STATUS)
            if name == "sources":
                column = STATUS_SOURCES if kind and not _listing_problem(messages) else SOURCES
            for message in messages:
                row.problem(column, message)
        return
    after = dict(_described(candidate, [*row.sources, *kept]))
    if current is None:
        row.action = "new"
        row.changes = [f"{label}: {_short(value, 200)}" for label, value in after.items()]
        return
    before = dict(_described(current, current.sources.all()))
    row.changes = [
        f"{label}: {_short(before.get(label, '—'), 200)} → {_short(after[label], 200)}"
        for label in after
        if before.get(label, "—") != after[label]
    ]
    row.action = "changed" if row.changes else "unchanged"


def _listing_problem(messages):
    return gettext(services.SOURCE_REQUIRED) in messages


# The preview's words for each field, named as the file's columns name them.
DESCRIBED_FIELDS = {
    "status": "status",
    "endorsed_on": "endorsed on",
    "date_precision": "date precision",
    "disputed_on": "disputed on",
    "withdrawn_on": "withdrawn on",
    "event_id": "event",
    "note": "note",
}


def _described(endorsement, sources):
    """The endorsement as the preview compares it; ``sources`` have ``url`` and ``supports``."""
    for name, label in DESCRIBED_FIELDS.items():
        yield label, field_value(endorsement, name)
    by_kind = {}
    for source in sources:
        by_kind.setdefault(source.supports, []).append(source.url)
    yield "sources", " ; ".join(by_kind.pop(Action.Kind.ENDORSED, [])) or "—"
    for kind in Action.Kind:
        if kind in by_kind:
            yield f"{kind.label.lower()} sources", " ; ".join(by_kind[kind])


# Writing ----------------------------------------------------------------------------------


class PlanOutdated(Exception):
    """The record changed between the preview and the confirmation."""

    def __init__(self, plan):
        super().__init__(gettext(RECORD_CHANGED))
        self.plan = plan


def apply_import(
    declaration, filename, content, *, user=None, max_bytes=MAX_BYTES, expected=None, progress=None
):
    """Import the file: every row or, if any has an error, none. Returns the ImportBatch.

    The file is compared with the record again inside the transaction. ``expected`` is the
    preview's ``fingerprint``: when the record changed since, ``PlanOutdated`` carries the new
    plan and nothing is written.
    """
    with transaction.atomic():
        # One import at a time: the second waits for the first, then sees its rows.
        list(Endorsement.objects.of(declaration).select_for_update().values_list("pk"))
        plan = plan_import(declaration, filename, content, max_bytes=max_bytes, progress=progress)
        if plan.has_errors or (expected is not None and fingerprint(plan) != expected):
            raise PlanOutdated(plan)
        counts = plan.counts
        batch = ImportBatch.objects.create(
            declaration=declaration,
            filename=filename[:200],
            sha256=plan.digest,
            created_by=user if user and user.is_authenticated else None,
            rows=len(plan.rows),
            new=counts["new"],
            changed=counts["changed"],
            unchanged=counts["unchanged"],
        )
        reason = batch.reason
        for row in plan.rows:
            if row.action in ("new", "changed"):
                _write(row, declaration, user, reason)
        return batch, plan


def _write(row, declaration, user, reason):
    endorsement = row.endorsement or Endorsement(
        participant=row.participant, declaration=declaration
    )
    for name, value in row.values.items():
        setattr(endorsement, name, value)
    services.save_endorsement(
        endorsement=endorsement,
        sources=row.sources,
        source_kinds=row.source_kinds,
        user=user,
        reason=reason,
    )


def fingerprint(plan):
    """What a preview showed: confirming applies it only if the record still gives the same."""
    parts = [plan.digest] + [f"{row.number}:{row.action}:{row.changes}" for row in plan.rows]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
