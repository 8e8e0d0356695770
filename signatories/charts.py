"""Small server-side SVG charts (pure Python, no database).

Both renderers return an inline-embeddable ``<svg>`` element with ``role="img"`` (``"group"``
for the region bars, whose bars are links that an image would hide), a ``<title>`` and a
``<desc>``; all text is XML-escaped and styling uses presentation
attributes only (no ``<style>``), so they work under a strict Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext

from signatories.worldmap import FONT, PALETTE, TEXT_FILL, Mirror, _attr, _num, _svg_id

AXIS = "#6b6b6b"
GRID = "#e4e4e4"
EVENT = "#8a5a00"  # dark amber: readable on white, distinct from the line colour
LINE = PALETTE["endorsed"]
BAR_ENDORSED = PALETTE["endorsed"]
BAR_REST = PALETTE["none"]

# Each chart comes in two layouts, and the page shows the one that fits (site.css): the wide one
# (720 units, text at 12) where the chart is at least 720 pixels wide, so its text is at least 12
# pixels; the narrow one (NARROW_WIDTH units, text at NARROW_FONT) below that, from a 360-pixel
# phone (a chart 328 pixels wide: 13.5-pixel text) up.
NARROW_WIDTH = 340.0
NARROW_FONT = 14
CHAR_WIDTH = 0.6  # of the font size, generous: what a label is given to fit in


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(text: str, size: float, room: float) -> list[str]:
    """Words into lines of about ``room`` units (a word longer than that keeps a line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _svg_open(
    kind: str,
    title: str,
    description: str,
    width: float,
    height: float,
    role: str = "img",
    *,
    narrow: bool = False,
    direction: str = "ltr",
) -> list[str]:
    variant = " narrow" if narrow else ""
    svg_id = _svg_id(kind + variant, title, description)
    font_size = NARROW_FONT if narrow else 12
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}"'
        f' role="{role}" aria-labelledby="{svg_id}-title {svg_id}-desc"'
        f' font-family="{_attr(FONT)}" font-size="{font_size}" direction="{direction}"'
        f' class="{kind}{variant}">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _nice_step(maximum: float, target_ticks: int = 5) -> int:
    """A 1/2/5 x 10^k integer step giving about ``target_ticks`` ticks up to ``maximum``."""
    if maximum <= target_ticks:
        return 1
    raw = maximum / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return int(multiple * magnitude)
    return int(10 * magnitude)  # pragma: no cover


def _endorsers(count: int) -> str:
    return ngettext("%(count)s endorser", "%(count)s endorsers", count) % {"count": count}


# --------------------------------------------------------------------------- timeline


def render_timeline(
    points: Sequence[tuple[Any, int]],
    *,
    events: Iterable[tuple[Any, str]] = (),
    title: str,
    description: str,
    end: Any = None,
    narrow: bool = False,
) -> str:
    """Step chart of the cumulative number of endorsers over time.

    ``points``: ``(date, cumulative_count)`` pairs sorted by date (``date``, ``datetime``
    or ISO string). The line runs from the first point to ``end`` (default: the last
    point or the latest event, whichever is later). ``events``: ``(date, label)`` pairs
    drawn as labelled vertical markers. Each point is a ``<circle>`` carrying
    ``data-date`` (ISO) and ``data-count``; the last value is labelled.

    ``narrow``: the phone layout, NARROW_WIDTH units wide with larger text; its event markers
    are numbered and their names listed under the chart. In a language read from the right,
    time runs from the right and the counts stand on the right (``Mirror``).
    """
    pts = sorted(((_as_date(d), int(c)) for d, c in points), key=lambda p: p[0])
    evs = sorted(((_as_date(d), str(label)) for d, label in events), key=lambda e: e[0])
    end_date = _as_date(end) if end is not None else None

    if narrow:
        font = NARROW_FONT
        width, plot_h = NARROW_WIDTH, 170.0
        left, right, top, bottom = 34.0, 34.0, 26.0 if evs else 10.0, 30.0
        key = [
            (i + 1, line_no, line)
            for i, (_, label) in enumerate(evs)
            for line_no, line in enumerate(_wrap(label, font, width - 26))
        ]
        height = top + plot_h + bottom + 20 * len(key)
    else:
        font = 12
        width, height = 720.0, 300.0
        left, right, top, bottom = 46.0, 64.0, 44.0, 30.0
        plot_h = height - top - bottom
        key = []
    plot_w = width - left - right
    x_end, y_base = left + plot_w, top + plot_h
    mirror = Mirror.for_language(0, width)
    X = mirror.x  # noqa: N806 (every x is laid out left to right, then drawn through this)

    dates = [d for d, _ in pts] + [d for d, _ in evs] + ([end_date] if end_date else [])
    if dates:
        start, stop = min(dates), max(dates)
        if pts and end_date is None:
            stop = max(stop, pts[-1][0])
        if (stop - start).days < 1:
            stop = start + dt.timedelta(days=30)
    else:  # nothing to place in time: an undated, empty frame
        start, stop = dt.date(2000, 1, 1), dt.date(2001, 1, 1)
    span = (stop - start).days

    def x_of(day: dt.date) -> float:
        return left + (day - start).days / span * plot_w

    max_count = max((c for _, c in pts), default=0)
    step = _nice_step(max(max_count, 1))
    y_max = max(step, math.ceil(max(max_count, 1) / step) * step)

    def y_of(count: float) -> float:
        return y_base - count / y_max * plot_h

    out = _svg_open(
        "timeline", title, description, width, height, narrow=narrow, direction=mirror.direction
    )

    # Grid and y-axis ticks.
    out.append(f'<g class="y-axis" fill="{AXIS}" text-anchor="end">')
    for value in range(0, y_max + 1, step):
        y = y_of(value)
        out.append(
            f'<line x1="{_num(X(left))}" x2="{_num(X(x_end))}" y1="{_num(y)}" y2="{_num(y)}"'
            f' stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_num(X(left - 6))}" y="{_num(y + 4)}" data-tick="{value}">{value}</text>'
        )
    out.append("</g>")

    # x-axis with a label per year (at 1 January; the start year if none falls inside), every
    # other year (or fewer) where the years are too close for their labels.
    out.append(
        f'<g class="x-axis" fill="{AXIS}" text-anchor="middle">'
        f'<line x1="{_num(X(left))}" x2="{_num(X(x_end))}" y1="{_num(y_base)}"'
        f' y2="{_num(y_base)}" stroke="{AXIS}" stroke-width="1"/>'
    )
    years = [y for y in range(start.year, stop.year + 1) if start <= dt.date(y, 1, 1) <= stop]
    if not dates:
        years = []
    label_room = _text_width("2000", font) + 8
    year_w = 365.25 / span * plot_w
    years = years[:: max(1, math.ceil(label_room / year_w))]
    for year in years:
        x = X(x_of(dt.date(year, 1, 1)))
        out.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(y_base)}" y2="{_num(y_base + 5)}"'
            f' stroke="{AXIS}" stroke-width="1"/>'
            f'<text x="{_num(x)}" y="{_num(y_base + 6 + font)}" data-year="{year}">{year}</text>'
        )
    first_tick = x_of(dt.date(years[0], 1, 1)) if years else x_end
    if dates and start.year not in years and first_tick - left > label_room * 1.5:
        out.append(
            f'<text x="{_num(X(left))}" y="{_num(y_base + 6 + font)}" text-anchor="start"'
            f' data-year="{start.year}">{start.year}</text>'
        )
    out.append("</g>")

    # Event markers: labels staggered over two rows so neighbours do not collide, or (narrow)
    # numbers, the names listed under the chart.
    if evs:
        out.append(f'<g class="events" fill="{EVENT}">')
        for i, (day, label) in enumerate(evs):
            x = X(x_of(day))
            if narrow:
                label_y = top - 8
                text = f'<text x="{_num(x)}" y="{_num(label_y)}" text-anchor="middle"'
                text += f' font-weight="bold">{i + 1}<title>{escape(label)}</title></text>'
            else:
                label_y = top - 8 - (i % 2) * 15
                text_x = _num(X(x_of(day) + 3))
                text = f'<text x="{text_x}" y="{_num(label_y)}">{escape(label)}</text>'
            out.append(
                f'<g data-date="{day.isoformat()}">'
                f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(label_y + 3)}" y2="{_num(y_base)}"'
                f' stroke="{EVENT}" stroke-width="1" stroke-dasharray="4 3"/>{text}</g>'
            )
        key_top = y_base + bottom + 14
        for row, (number, line_no, line) in enumerate(key):
            y = _num(key_top + 20 * row)
            if line_no == 0:
                out.append(f'<text x="{_num(X(4))}" y="{y}" font-weight="bold">{number}</text>')
            out.append(f'<text x="{_num(X(22))}" y="{y}" class="event-key">{escape(line)}</text>')
        out.append("</g>")

    if not pts:
        out.append(
            f'<text x="{_num(X(left + plot_w / 2))}" y="{_num(top + plot_h / 2)}"'
            f' text-anchor="middle" font-size="{font + 3}" fill="{AXIS}"'
            f' class="empty">{escape(gettext("No endorsements"))}</text>'
        )
        out.append("</svg>")
        return "\n".join(out) + "\n"

    # The step line (and a light area below it), extended to the end of the x-range.
    line_end = x_of(end_date) if end_date else x_end
    first_x, first_y = X(x_of(pts[0][0])), y_of(pts[0][1])
    d = [f"M{_num(first_x)} {_num(first_y)}"]
    for day, count in pts[1:]:
        d.append(f"H{_num(X(x_of(day)))}V{_num(y_of(count))}")
    d.append(f"H{_num(X(max(line_end, x_of(pts[-1][0]))))}")
    line_d = "".join(d)
    area_d = f"{line_d}V{_num(y_base)}H{_num(first_x)}Z"
    out.append(
        f'<path d="{area_d}" fill="{LINE}" fill-opacity=".12" stroke="none" aria-hidden="true"/>'
    )
    out.append(
        f'<path d="{line_d}" fill="none" stroke="{LINE}" stroke-width="2"'
        ' stroke-linejoin="round" class="step-line"/>'
    )

    out.append(f'<g class="points" fill="{LINE}" stroke="#ffffff" stroke-width="1">')
    for day, count in pts:
        out.append(
            f'<circle cx="{_num(X(x_of(day)))}" cy="{_num(y_of(count))}" r="3"'
            f' data-date="{day.isoformat()}" data-count="{count}">'
            f"<title>{day.isoformat()}: {escape(_endorsers(count))}</title></circle>"
        )
    out.append("</g>")

    last_day, last_count = pts[-1]
    label_x = max(line_end, x_of(last_day)) + 6
    out.append(
        f'<text x="{_num(X(label_x))}" y="{_num(y_of(last_count) + 4)}" font-size="{font + 2}"'
        f' font-weight="bold" fill="{TEXT_FILL}" class="last-value"'
        f' data-count="{last_count}">{last_count}</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- region bars


def _row_fields(row: Any) -> tuple[str, int, int, str]:
    if isinstance(row, Mapping):
        label, endorsed, total = row["label"], row["endorsed"], row["total"]
        url = row.get("url", "")
    elif isinstance(row, Sequence) and not isinstance(row, str):
        label, endorsed, total, *rest = row
        url = rest[0] if rest else ""
    else:
        label, endorsed, total = row.label, row.endorsed, row.total
        url = getattr(row, "url", "")
    return str(label), int(endorsed), int(total), str(url or "")


def render_region_bars(
    rows: Iterable[Any], *, title: str, description: str, narrow: bool = False
) -> str:
    """Horizontal 100 % stacked bars: endorsed vs not endorsed per region.

    ``rows``: ``(label, endorsed, total, url)`` tuples or objects with those attributes.
    Each bar is wrapped in ``<a href=url>`` (when url is non-empty), carries
    ``data-endorsed`` / ``data-total`` and shows the text "12 of 54".

    ``narrow``: the phone layout, NARROW_WIDTH units wide with larger text: each region's name
    and figures above its bar. In a language read from the right, the bars grow from the right
    and the names stand on the right (``Mirror``).
    """
    items = [_row_fields(row) for row in rows]

    if narrow:
        width, font = NARROW_WIDTH, NARROW_FONT
        bar_x, bar_w, row_h, bar_h, top = 4.0, NARROW_WIDTH - 8, 46.0, 14.0, 34.0
    else:
        width, font = 720.0, 12
        bar_x, bar_w, row_h, bar_h, top = 236.0, 380.0, 30.0, 18.0, 34.0
    height = top + row_h * max(len(items), 1) + 8
    swatch, gap = font, font * 0.4
    mirror = Mirror.for_language(0, width)
    X, box = mirror.x, mirror.box  # noqa: N806 (laid out left to right, drawn through these)

    out = _svg_open(
        "region-bars",
        title,
        description,
        width,
        height,
        role="group",
        narrow=narrow,
        direction=mirror.direction,
    )

    # Legend.
    endorsed_said, not_endorsed_said = (
        pgettext("status", "Endorsed"),
        pgettext("status", "Not endorsed"),
    )
    second = bar_x + swatch + gap + _text_width(endorsed_said, font) + 16
    out.append(
        f'<g class="legend" fill="{TEXT_FILL}">'
        f'<rect x="{_num(box(bar_x, swatch))}" y="8" width="{swatch}" height="{swatch}" rx="2"'
        f' fill="{BAR_ENDORSED}"/>'
        f'<text x="{_num(X(bar_x + swatch + gap))}" y="{_num(6 + font)}">'
        f"{escape(endorsed_said)}</text>"
        f'<rect x="{_num(box(second, swatch))}" y="8" width="{swatch}" height="{swatch}" rx="2"'
        f' fill="{BAR_REST}"/>'
        f'<text x="{_num(X(second + swatch + gap))}" y="{_num(6 + font)}">'
        f"{escape(not_endorsed_said)}</text></g>"
    )

    if not items:
        out.append(
            f'<text x="{_num(X(width / 2))}" y="{_num(top + 20)}" text-anchor="middle"'
            f' fill="{AXIS}" class="empty">{escape(gettext("No regions"))}</text>'
        )

    for i, (label, endorsed, total, url) in enumerate(items):
        y = top + i * row_h
        if narrow:  # the name and the figures on a line, the bar under them
            bar_y = y + font + 6
            text_y = value_y = y + font
            label_x, label_anchor = bar_x, "start"
            value_x, value_anchor = bar_x + bar_w, "end"
        else:  # the name, the bar and the figures side by side
            bar_y = y + (row_h - bar_h) / 2
            text_y = value_y = bar_y + bar_h / 2 + 4
            label_x, label_anchor = bar_x - 10, "end"
            value_x, value_anchor = bar_x + bar_w + 8, "start"
        share = min(max(endorsed, 0), total) / total if total > 0 else 0.0
        filled = bar_w * share
        summary = gettext("%(endorsed)s of %(total)s") % {"endorsed": endorsed, "total": total}
        percent = f" ({round(share * 100)} %)" if total > 0 else ""
        said = gettext("%(region)s: %(summary)s endorsed%(percent)s") % {
            "region": label,
            "summary": summary,
            "percent": percent,
        }
        # An empty region gets a dashed outline instead of a bar.
        rest = (
            f'fill="{BAR_REST}"'
            if total > 0
            else f'fill="none" stroke="{AXIS}" stroke-width="1" stroke-dasharray="3 3"'
        )
        parts = [
            f'<g class="region-bar" data-endorsed="{endorsed}" data-total="{total}">',
            f"<title>{escape(said)}</title>",
            f'<text x="{_num(X(label_x))}" y="{_num(text_y)}" text-anchor="{label_anchor}"'
            f' fill="{TEXT_FILL}">{escape(label)}</text>',
            f'<rect x="{_num(box(bar_x, bar_w))}" y="{_num(bar_y)}" width="{_num(bar_w)}"'
            f' height="{_num(bar_h)}" {rest}/>',
        ]
        if filled > 0:
            parts.append(
                f'<rect x="{_num(box(bar_x, filled))}" y="{_num(bar_y)}" width="{_num(filled)}"'
                f' height="{_num(bar_h)}" fill="{BAR_ENDORSED}"/>'
            )
        anchor = "" if value_anchor == "start" else f' text-anchor="{value_anchor}"'
        parts.append(
            f'<text x="{_num(X(value_x))}" y="{_num(value_y)}"{anchor} fill="{TEXT_FILL}"'
            f' class="bar-value">{escape(summary)}</text></g>'
        )
        inner = "".join(parts)
        out.append(f'<a href="{_attr(url)}">{inner}</a>' if url else inner)

    out.append("</svg>")
    return "\n".join(out) + "\n"
