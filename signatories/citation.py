"""How to cite the record: one sentence, written here once, for every page and download.

A citation names the day of the record and an address that shows it again: the page's (or
the download's) own address with its parameters and that day as ``as_of``, so the same rows
come back on any later day.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

LICENCE = "CC BY 4.0"
LICENCE_ID = "CC-BY-4.0"  # its SPDX identifier, as data packages name licences
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CITATION = gettext_lazy(
    "Declaration tracker, “{subject}”, record as of {day}, {permalink}. "
    "Licence: {licence} ({licence_url})."
)


@dataclass(frozen=True)
class Citation:
    """The citation of what a page or download shows: ``str()`` as text, ``as_html()`` with
    its addresses as links (the same words)."""

    subject: str
    on: datetime.date
    permalink: str

    def __str__(self):
        return str(CITATION).format(
            subject=self.subject,
            day=date_format(self.on),
            permalink=self.permalink,
            licence=LICENCE,
            licence_url=LICENCE_URL,
        )

    def as_html(self):
        return format_html(
            str(CITATION),
            subject=self.subject,
            day=date_format(self.on),
            permalink=format_html('<a href="{}">{}</a>', self.permalink, self.permalink),
            licence=LICENCE,
            licence_url=format_html('<a href="{}" rel="license">{}</a>', LICENCE_URL, LICENCE_URL),
        )


def cite_list(filterset, url):
    """The citation of a list (the page or one of its downloads at ``url``, absolute) for the
    filters of ``filterset``, with the day of the record made explicit."""
    return Citation(
        subject=gettext("Endorsements of the %(declaration)s")
        % {"declaration": filterset.selected_declaration.title},
        on=filterset.on_date,
        permalink=f"{url}?{filterset.dated_query()}",
    )


def cite_participant(participant, declarations, *, on, url):
    """The citation of a participant's page (at ``url``, absolute) on the day ``on``; it
    names the declaration when the page is about one (``declarations``: those it shows)."""
    only = declarations[0] if len(declarations) == 1 else None
    name = participant.local_name
    return Citation(
        subject=(
            gettext("%(participant)s and the %(declaration)s")
            % {"participant": name, "declaration": only.title}
            if only
            else name
        ),
        on=on,
        permalink=f"{url}?{urlencode({'as_of': on.isoformat()})}",
    )


def cite_comparison(filterset, url):
    """The citation of a comparison between two days (the page or a download at ``url``,
    absolute), with both days made explicit; the record is that of the second day."""
    return Citation(
        subject=gettext(
            "Changes to the endorsements of the %(declaration)s between %(start)s and %(end)s"
        )
        % {
            "declaration": filterset.selected_declaration.title,
            "start": date_format(filterset.start),
            "end": date_format(filterset.end),
        },
        on=filterset.end,
        permalink=f"{url}?{filterset.permalink_query()}",
    )
