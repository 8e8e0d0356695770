"""The figures of a view (the map and the timeline), bare for the pages or captioned for a report.

A captioned figure is one SVG that carries, in its own text, what a reader of a report needs
when the figure is all they have: its title, the day of the record, the selection in words, the
legend and the citation. The figure itself is nested inside it unchanged, so the PNG made from
it and the pages show the same drawing.
"""

import datetime
import re
import textwrap
from dataclasses import dataclass, field
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from . import records
from .charts import render_timeline
from .models import Participant, Status
from .worldmap import render_world_map

#: The font the captions name first: installed with Debian's fonts-dejavu-core, so the PNG
#: made on the server looks the same everywhere; the others are for a browser without it.
CAPTION_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
CAPTION_FILL = "#1f1f1f"
CAPTION_MUTED = "#4d4d4d"
TIMELINE_LEGEND = gettext_lazy(
    "Line: the number of endorsers (endorsed or disputed) by the end of each day. "
    "Dashed lines: events."
)
MAP_LEGEND = gettext_lazy(
    "Each participant coloured by its status; those outside the selection are drawn pale, "
    "other territories grey; small states as dots."
)
ALL_PARTICIPANTS = gettext_lazy("all participants")
OFF_MAP_LINES = 10  # participants without a place on the map (no ISO code), named below it


def selection_words(filterset):
    """The selection in words, as the list says it: "in Europe; member of G7"."""
    return "; ".join(filterset.describe()) or str(ALL_PARTICIPANTS)


def world_map(filterset, *, stylesheet=""):
    """The SVG map of every participant's status, muting those the filters leave out and
    framing those they keep; ``stylesheet``, linked from the SVG (the pages' map.css)."""
    declaration = filterset.selected_declaration
    everyone = Participant.objects.with_record(declaration, on=filterset.on_date)
    selected = set(filterset.selection().values_list("pk", flat=True))
    entries = records.map_entries(everyone, selected, link_query=filterset.as_of_query)
    off_map = [
        gettext("%(name)s: %(status)s (not on the map)")
        % {"name": e.name, "status": str(Status(e.status).label).lower()}
        for e in entries
        if not e.code and not e.muted
    ]
    if len(off_map) > OFF_MAP_LINES:  # a line each would make the figure as long as a table
        more = len(off_map) - OFF_MAP_LINES + 1
        off_map[OFF_MAP_LINES - 1 :] = [
            gettext("… and %(count)s more not on the map (the table lists them)") % {"count": more}
        ]
    return render_world_map(
        entries,
        title=map_title(filterset),
        description=gettext(
            "Each country coloured by its status; selection: %(selection)s. The table lists "
            "the same participants."
        )
        % {"selection": selection_words(filterset)},
        legend_extra=off_map,
        stylesheet=stylesheet,
    )


def map_title(filterset):
    declaration = filterset.selected_declaration
    return gettext("Map of %(declaration)s endorsements on %(day)s") % {
        "declaration": declaration.short_name,
        "day": date_format(filterset.on_date),
    }


def timeline(filterset, *, layouts=(False,)):
    """The step chart of the number of endorsers of the selection over time, in each of its
    ``layouts`` (``True``: the narrow one, with larger text for a phone), read once."""
    declaration = filterset.selected_declaration
    points = records.timeline(filterset.selection(), on=filterset.on_date)
    events = [(event.held_on, event.name) for event in declaration.events.all()]
    return "".join(
        render_timeline(
            points,
            events=events,
            title=timeline_title(filterset),
            description=gettext(
                "Cumulative number of endorsers by date for the current selection."
            ),
            end=filterset.on_date,
            narrow=narrow,
        )
        for narrow in layouts
    )


def timeline_title(filterset):
    return gettext("Endorsers of the %(declaration)s over time") % {
        "declaration": filterset.selected_declaration.short_name
    }


@dataclass(frozen=True)
class Caption:
    """What a captioned figure says around its drawing, in words."""

    title: str
    on: datetime.date  # the day of the record
    selection: str
    citation: str
    legend: list[str] = field(default_factory=list)

    def lines(self):
        """The caption below the drawing, in reading order."""
        return [
            gettext("Record as of %(day)s (end of day). Selection: %(selection)s.")
            % {"day": date_format(self.on), "selection": self.selection},
            *(str(line) for line in self.legend),
            gettext("Cite as: %(citation)s") % {"citation": self.citation},
        ]


#: Each figure: how it is drawn, its title and the legend its caption adds.
FIGURES = {
    "map": (world_map, map_title, MAP_LEGEND),
    "timeline": (timeline, timeline_title, TIMELINE_LEGEND),
}


def captioned_figure(name, filterset, *, citation, width=None):
    """The figure ``name`` ("map" or "timeline") of a view with its caption, as one SVG: the
    one its PNG is made from. ``citation``: how to cite it (signatories.citation)."""
    draw, title, legend = FIGURES[name]
    caption = Caption(
        title=title(filterset),
        on=filterset.on_date,
        selection=selection_words(filterset),
        citation=str(citation),
        legend=[legend],
    )
    return captioned(draw(filterset), caption, width=width or DEFAULT_WIDTH)


DEFAULT_WIDTH = 1200
ROOT_TAG = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?<svg\b([^>]*)>", re.S)
VIEWBOX = re.compile(r'\sviewBox="([^"]*)"')
SIZE_ATTRS = re.compile(r'\s(?:x|y|width|height)="[^"]*"')


def captioned(figure_svg, caption, *, width=DEFAULT_WIDTH):
    """``figure_svg`` nested in an SVG ``width`` pixels wide, with the caption's title above it
    and its lines below, in text of a size readable at that width (13 px at least)."""
    opening = ROOT_TAG.match(figure_svg)
    box = VIEWBOX.search(opening.group(1))
    _, _, fig_w, fig_h = (float(n) for n in box.group(1).replace(",", " ").split())
    font = max(13.0, width * 0.0135)
    pad = round(font * 1.2)
    inner = width - 2 * pad
    title_size = round(font * 1.45)
    line = font * 1.35
    per_line = max(20, int(inner / (font * 0.57)))  # DejaVu Sans: about 0.55 em a character

    heading, below, y = [], [], pad + title_size
    for text in textwrap.wrap(caption.title, max(12, int(inner / (title_size * 0.62)))):
        heading.append(_text(pad, y, text, title_size, CAPTION_FILL, "caption-title", bold=True))
        y += title_size * 1.25
    fig_top = y - title_size * 0.25 + font * 0.5
    fig_height = inner * fig_h / fig_w
    attrs = SIZE_ATTRS.sub("", opening.group(1))
    nested = (
        f'<svg x="{pad}" y="{fig_top:.1f}" width="{inner}" height="{fig_height:.1f}"{attrs}>'
        + figure_svg[opening.end() :]
    )
    y = fig_top + fig_height + font * 1.6
    paragraphs = caption.lines()
    for number, paragraph in enumerate(paragraphs, start=1):
        kind = "caption-citation" if number == len(paragraphs) else "caption-line"
        for text in textwrap.wrap(paragraph, per_line, break_long_words=True):
            below.append(_text(pad, y, text, font, CAPTION_MUTED, kind))
            y += line
        y += font * 0.4
    height = round(y + pad - line)
    description = " ".join(paragraphs)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
            f' viewBox="0 0 {width} {height}" role="img"'
            ' aria-labelledby="captioned-title captioned-desc"'
            f' font-family="{CAPTION_FONT}" class="captioned-figure">',
            f'<title id="captioned-title">{escape(caption.title)}</title>',
            f'<desc id="captioned-desc">{escape(description)}</desc>',
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            *heading,
            nested.rstrip(),
            *below,
            "</svg>",
            "",
        ]
    )


def _text(x, y, text, size, fill, kind, *, bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x}" y="{y:.1f}" font-size="{size:.1f}" fill="{fill}"{weight}'
        f' class="{kind}">{escape(text)}</text>'
    )
