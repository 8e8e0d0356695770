"""The participants list as a PDF report: its selection, figures, map, rows, methods, sources
and citation, from a Django template and a print stylesheet, laid out by WeasyPrint.

The rows are the list's (``records.table_rows`` of the ParticipantFilter's ``qs``) and the
figures come from ``counting``, so the report says what the page says. WeasyPrint holds a
whole document in memory while it lays it out, so the table stops at ``MAX_ROWS`` rows (the
report says how many more the CSV has); the seed's 198 participants are far below that.
"""

from django import forms
from django.contrib.staticfiles import finders
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from config.languages import document_language
from signatories import counting, figures, records
from signatories.models import Participant, Source

MAX_ROWS = 500
TOP_SOURCES = 10
PAPERS = {"a4": "A4", "letter": "letter"}
BAD_PAPER = gettext_lazy("Choose the paper: a4 or letter.")
STYLESHEET = "css/report.css"


class ReportOptions(forms.Form):
    """``paper``: a4 (the default) or letter; validated like the filters."""

    paper = forms.ChoiceField(
        required=False,
        choices=[("a4", "A4"), ("letter", "US Letter")],
        error_messages={"invalid_choice": BAD_PAPER},
    )

    @property
    def page_size(self):
        return PAPERS[self.cleaned_data.get("paper") or "a4"]


def context(export):
    """What the report shows, for a ParticipantsExport (data/exports.py) of a valid filter."""
    filterset = export.filterset
    rows = records.table_rows(
        filterset.qs[: MAX_ROWS + 1], on=filterset.on_date, link_query=filterset.as_of_query
    )
    rows = filterset.in_language_order(rows)
    total = len(rows) if len(rows) <= MAX_ROWS else filterset.qs.count()
    by_kind, headline = counting.kind_tallies(counting.status_counts(filterset.selection()))
    return {
        **document_language(),
        "declaration": export.declaration,
        "on": filterset.on_date,
        "selection": export.filters_in_words(),
        "generated_at": export.generated_at,
        "headline": headline,
        "by_kind": [(label, by_kind[kind]) for kind, label in Participant.EntityType.choices],
        "map_svg": figures.world_map(filterset),
        "rows": rows[:MAX_ROWS],
        "total": total,
        "left_out": max(total - MAX_ROWS, 0),
        "rules": counting.RULES,
        "sources": _sources(filterset),
        "list_url": export.list_url(),
        "citation": export.citation,
    }


def _sources(filterset):
    """The sources the view's endorsements rest on, most cited first (the first few)."""
    return list(
        Source.objects.filter(endorsement_id__in=filterset.qs.values("endorsement_id"))
        .values("url", "title", "publisher")
        .annotate(endorsements=Count("endorsement", distinct=True))
        .order_by("-endorsements", "title", "url")[:TOP_SOURCES]
    )


def write_pdf(export, *, page_size="A4"):
    """The report as the bytes of a tagged PDF with its fonts embedded (DejaVu Sans)."""
    # Imported here, not with the site: without Debian's Pango only the PDF fails (OSError).
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("data/participants_report.html", context(export))
    with open(finders.find(STYLESHEET), encoding="utf-8") as file:
        stylesheet = file.read()
    document = HTML(
        string=html,
        # Nothing is fetched: the map is inline, the fonts are the system's.
        url_fetcher=URLFetcher(allowed_protocols=("data",)),
    )
    return document.write_pdf(
        stylesheets=[CSS(string=stylesheet), CSS(string=f"@page {{ size: {page_size}; }}")],
        pdf_tags=True,  # the structure a screen reader follows: headings, tables, lists
    )
