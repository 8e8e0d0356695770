"""A participant's row of the list as data, and as spreadsheet columns.

``participant_record`` is what the exports and the API give for each participant; ``COLUMNS``
show it in a spreadsheet (CSV and XLSX), and the importer reads files with these columns back.
"""

from collections.abc import Callable
from dataclasses import dataclass

from signatories.models import Endorsement, Participant, Status

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make text that a spreadsheet would run as a formula plain text, as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def page_urls(absolute):
    """A function giving a participant's page address; ``absolute`` makes a path a full URL.

    The address is reversed once and the slug put in its place, since an export may have
    100,000 rows (and reversing is a third of the time spent on each).
    """
    marker = "slug-of-the-participant"
    prefix, suffix = absolute(Participant(slug=marker).get_absolute_url()).split(marker)
    return lambda participant: f"{prefix}{participant.slug}{suffix}"


def participant_record(participant, *, page_url):
    """A row of the list as data: what the exports and the API give for each participant.

    ``page_url`` comes from ``page_urls``. Details of an endorsement made after the ``as_of``
    day are left out, as the list page leaves them out.
    """
    shown = participant.status_on != Status.NONE
    region, subregion = participant.top_region, participant.subregion
    return {
        "name": participant.name,
        "slug": participant.slug,
        "url": page_url(participant),
        "iso_alpha2": participant.iso_alpha2 or None,
        "iso_alpha3": participant.iso_alpha3 or None,
        "entity_type": participant.entity_type,
        "region_code": region.code if region else None,
        "region": region.name if region else None,
        "subregion_code": subregion.code if subregion else None,
        "subregion": subregion.name if subregion else None,
        "status": participant.status_on,
        "endorsed_on": participant.endorsed_on if shown else None,
        "date_precision": participant.date_precision if shown else None,
        "withdrawn_on": (
            participant.withdrawn_on if participant.status_on == Status.WITHDRAWN else None
        ),
        "disputed_on": (
            participant.disputed_on if participant.status_on == Status.DISPUTED else None
        ),
        "event": (participant.event_name or None) if shown else None,
        "sources": participant.sources if shown else [],
        "support": participant.support if shown else None,
        "status_sources": participant.status_sources if shown else [],
        "note": (participant.note or None) if shown else None,
        "forums": participant.forums,
    }


def _as_is(value):
    return value


def _label(choices):
    return dict(choices.choices).get


def _joined(separator):
    return lambda values: separator.join(values)


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: which field of the record, its heading, width and display."""

    key: str
    heading: str
    width: int
    display: Callable = _as_is


COLUMNS = (
    Column("name", "Name", 30),
    Column("iso_alpha2", "ISO alpha-2", 11),
    Column("iso_alpha3", "ISO alpha-3", 11),
    Column("entity_type", "Entity type", 26, _label(Participant.EntityType)),
    Column("region", "Region", 11),
    Column("subregion", "Sub-region", 28),
    Column("status", "Status", 13, _label(Status)),
    Column("endorsed_on", "Endorsed on", 12),
    Column("date_precision", "Date precision", 14, _label(Endorsement.DatePrecision)),
    Column("withdrawn_on", "Withdrawn on", 13),
    Column("disputed_on", "Disputed on", 12),
    Column("event", "Event", 28),
    Column("sources", "Sources", 60, _joined(" ; ")),
    Column("support", "Support", 22),
    Column("status_sources", "Status sources", 60, _joined(" ; ")),
    Column("note", "Note", 50),
    Column("forums", "Forums", 22, _joined(", ")),
    Column("url", "Page", 45),
)
HEADINGS = [column.heading for column in COLUMNS]


def spreadsheet_row(record):
    """The record's cells, in column order, safe to open in a spreadsheet."""
    return [neutralise(column.display(record[column.key])) for column in COLUMNS]
