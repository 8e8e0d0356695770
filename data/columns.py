"""A participant's row of the list as data, and as spreadsheet columns.

``participant_record`` is what the exports and the API give for each participant; ``COLUMNS``
show it in a spreadsheet (CSV and XLSX), and the importer reads files with these columns back.

A column's ``heading`` and its cells are the same in every language (programs and the importer
read them); its ``label``, the heading translated, is for people: the XLSX header row and the PDF.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

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


class _Labels(dict):
    """Shows a choice by its English label, in every language (the importer reads it back);
    the labels are all the column can hold (its ``enum``)."""

    def __init__(self, choices):
        super().__init__(choices.choices)
        self._english = None

    def english(self):
        if self._english is None:
            with translation.override("en"):
                self._english = {key: str(label) for key, label in self.items()}
        return self._english

    def __call__(self, value):
        return self.english().get(value)


def _label(choices):
    return _Labels(choices)


def _joined(separator):
    return lambda values: separator.join(values)


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: which field of the record, its heading, width and display; and,
    for the data dictionary (data/datapackage.py), the Table Schema type of its cells as the
    CSV writes them, what it means, and whether every row has a value."""

    key: str
    heading: str
    width: int
    display: Callable = _as_is
    type: str = "string"
    description: str = ""
    required: bool = False

    @property
    def enum(self):
        """The only values the column holds, for a column of choices; else None."""
        return list(self.display.english().values()) if isinstance(self.display, _Labels) else None

    @property
    def label(self):
        """The heading in the language of the request, for people (XLSX, PDF)."""
        return LABELS.get(self.key, self.heading)


AS_OF = "on the day the record is shown as of (the export's as_of, today by default)"
COLUMNS = (
    Column(
        "name", "Name", 30, required=True,
        description="The participant's name, as the tracker writes it (short English name).",
    ),
    Column(
        "iso_alpha2", "ISO alpha-2", 11,
        description="ISO 3166-1 alpha-2 code (XK for Kosovo: in common use, not assigned by "
        "ISO); empty for a participant without one (the European Commission). “NA” is "
        "Namibia's code, not a missing value.",
    ),
    Column(
        "iso_alpha3", "ISO alpha-3", 11,
        description="ISO 3166-1 alpha-3 code (XKX for Kosovo); empty for a participant "
        "without one.",
    ),
    Column(
        "entity_type", "Entity type", 26, _label(Participant.EntityType), required=True,
        description="What kind of participant it is.",
    ),
    Column(
        "region", "Region", 11,
        description="Its UN M49 region (Africa, Americas, Asia, Europe, Oceania); empty for "
        "a participant outside the M49 standard (the European Commission).",
    ),
    Column(
        "subregion", "Sub-region", 28,
        description="Its most specific UN M49 region below the region (e.g. Western Africa); "
        "empty when there is none.",
    ),
    Column(
        "status", "Status", 13, _label(Status), required=True,
        description=f"Where it stands with the declaration {AS_OF}.",
    ),
    Column(
        "endorsed_on", "Endorsed on", 12, type="date",
        description="The day it endorsed the declaration (YYYY-MM-DD); empty if it had not "
        f"endorsed {AS_OF}.",
    ),
    Column(
        "date_precision", "Date precision", 14, _label(Endorsement.DatePrecision),
        description="How exact “Endorsed on” is: the day itself, or a day by which it had "
        "endorsed at the latest. Empty when “Endorsed on” is.",
    ),
    Column(
        "withdrawn_on", "Withdrawn on", 13, type="date",
        description="The day it withdrew its endorsement (YYYY-MM-DD), for the status "
        "Withdrawn; else empty.",
    ),
    Column(
        "disputed_on", "Disputed on", 12, type="date",
        description="The day the dispute over the endorsement began (YYYY-MM-DD), for the "
        "status Disputed; else empty. A disputed endorser is still on the official list.",
    ),
    Column(
        "event", "Event", 28,
        description="The event at which the endorsement was announced; empty if none.",
    ),
    Column(
        "sources", "Sources", 60, _joined(" ; "),
        description="The addresses of the endorsement's own sources (its listing), separated "
        "by “ ; ”; empty without an endorsement.",
    ),
    Column(
        "support", "Support", 22,
        description="How well the endorsement is supported: “single source” or “N independent "
        "sources” (sources by different publishers); empty without an endorsement.",
    ),
    Column(
        "status_sources", "Status sources", 60, _joined(" ; "),
        description="The addresses of the sources of the dispute or the withdrawal that the "
        "status rests on, separated by “ ; ”; else empty.",
    ),
    Column(
        "note", "Note", 50,
        description="The editors' note on the endorsement; empty if none.",
    ),
    Column(
        "forums", "Forums", 22, _joined(", "),
        description=f"The forums it was a member of {AS_OF}, by acronym, separated by “, ”.",
    ),
    Column(
        "url", "Page", 45, required=True,
        description="The address of its page on the tracker.",
    ),
)  # fmt: skip
HEADINGS = [column.heading for column in COLUMNS]
# The headings, translated (the English ones are the same words as ``heading``).
LABELS = {
    "name": _("Name"),
    "iso_alpha2": _("ISO alpha-2"),
    "iso_alpha3": _("ISO alpha-3"),
    "entity_type": _("Entity type"),
    "region": _("Region"),
    "subregion": _("Sub-region"),
    "status": _("Status"),
    "endorsed_on": _("Endorsed on"),
    "date_precision": _("Date precision"),
    "withdrawn_on": _("Withdrawn on"),
    "disputed_on": _("Disputed on"),
    "event": _("Event"),
    "sources": _("Sources"),
    "support": _("Support"),
    "status_sources": _("Status sources"),
    "note": _("Note"),
    "forums": _("Forums"),
    "url": _("Page"),
}


def spreadsheet_row(record):
    """The record's cells, in column order, safe to open in a spreadsheet."""
    return [neutralise(column.display(record[column.key])) for column in COLUMNS]
