"""Server-side SVG world map of endorsement status (no database).

The geometry comes from ``signatories/geodata/world.json`` (built by
``manage.py build_world_map``; Natural Earth, public domain) and is loaded once per
process. The renderer draws only what it is given: which participant has which status is
entirely up to the caller. A ``Key`` says what the colours mean: the statuses on a day
(``STATUS_KEY``), or what changed between two days (``CHANGE_KEY``, signatories/comparison.py).

Styling uses presentation attributes only (no ``<style>`` element, no ``style=""``), so
the SVG works under a Content-Security-Policy that forbids inline styles.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .models import Action, Status

ASSET_PATH = Path(__file__).resolve().parent / "geodata" / "world.json"

STATUSES = tuple(Status.values)

#: Words used in tooltips ("Norway: endorsed") and, capitalised, in the legend.
STATUS_WORDS = {status.value: status.label.lower() for status in Status}

#: Colour-blind-safe fills, each with a clearly different relative luminance so the
#: statuses survive greyscale printing (luminance in comments, WCAG definition).
PALETTE = {
    Status.WITHDRAWN: "#5e1d4c",  # dark plum              L = 0.038
    Status.ENDORSED: "#2166ac",  # dark blue               L = 0.128
    Status.DISPUTED: "#e69f00",  # orange (Okabe-Ito)      L = 0.416
    Status.NONE: "#c6d4e1",  # light grey-blue             L = 0.645
}
MUTED_FILL = "#f1f3f6"  # very light, low contrast    L = 0.895
BACKGROUND_FILL = "#e3e3e3"  # neutral light grey     L = 0.768 (non-participants)
BORDER = "#ffffff"
DOT_RADIUS = 2.4
DOT_STROKE = "#3d3d3d"
TEXT_FILL = "#1f1f1f"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

LEGEND_LABEL_MUTED = "Outside selection"

#: The comparison map: each participant by its latest action between two days, or none.
UNCHANGED = "unchanged"
CHANGE_WORDS = {
    Action.Kind.ENDORSED: "endorsed",
    Action.Kind.DISPUTED: "came under dispute",
    Action.Kind.DISPUTE_RESOLVED: "dispute resolved",
    Action.Kind.WITHDRAWN: "withdrew",
    UNCHANGED: "no change",
}
#: The statuses' colours for the actions that lead to them; a resolution gets a colour of
#: its own, between them in luminance; no change is drawn muted, as the map asks.
CHANGE_PALETTE = {
    Action.Kind.ENDORSED: PALETTE[Status.ENDORSED],  # L = 0.128
    Action.Kind.DISPUTED: PALETTE[Status.DISPUTED],  # L = 0.416
    Action.Kind.DISPUTE_RESOLVED: "#009e73",  # bluish green (Okabe-Ito)  L = 0.257
    Action.Kind.WITHDRAWN: PALETTE[Status.WITHDRAWN],  # L = 0.038
    UNCHANGED: MUTED_FILL,
}


@dataclass(frozen=True)
class Key:
    """What the map's colours mean: each value an entry's ``status`` may take, its fill and
    its word (in tooltips; capitalised in the legend), in the legend's order."""

    fills: dict
    words: dict

    def __post_init__(self):
        if set(self.fills) != set(self.words):
            raise ValueError("every value of a key needs a fill and a word")


STATUS_KEY = Key({status: PALETTE[status] for status in STATUSES}, STATUS_WORDS)
CHANGE_KEY = Key(CHANGE_PALETTE, CHANGE_WORDS)
KNOWN = frozenset(STATUSES) | frozenset(CHANGE_PALETTE)


@dataclass(frozen=True)
class MapEntry:
    """One participant as the caller wants it drawn.

    ``code`` is the ISO 3166-1 alpha-2 code ("" when the participant has none, e.g. the
    European Commission: such an entry is counted in the legend but not drawn).
    ``status`` is one of :data:`STATUSES`, or of the comparison map's values
    (``CHANGE_KEY``). ``muted`` draws the shape very light (e.g. outside the current filter)
    and leaves it out of the legend counts.
    """

    code: str
    name: str
    status: str
    url: str = ""
    muted: bool = False

    def __post_init__(self):
        if self.status not in KNOWN:
            raise ValueError(f"unknown status {self.status!r} (expected one of {STATUSES})")


@functools.cache
def load_geometry(path: str | Path = ASSET_PATH) -> dict:
    """The world geometry asset (parsed once per process per path)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_id(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def _label(entry: MapEntry, key: Key) -> str:
    return f"{entry.name}: {key.words[entry.status]}"


def _marks(entry: MapEntry, key: Key) -> tuple[str, str]:
    """(attributes identifying the entry, fill colour)."""
    classes = f"status-{entry.status}" + (" muted" if entry.muted else "")
    attrs = (
        f' data-code="{_attr(entry.code)}" data-status="{_attr(entry.status)}" class="{classes}"'
    )
    return attrs, MUTED_FILL if entry.muted else key.fills[entry.status]


def _link(entry: MapEntry, inner: str) -> str:
    if not entry.url:
        return inner
    # _top: the map is often embedded with <object>; a click opens the participant's page.
    return f'<a href="{_attr(entry.url)}" target="_top">{inner}</a>'


def render_world_map(
    entries: Iterable[MapEntry],
    *,
    title: str,
    description: str,
    legend_extra: Sequence[str] = (),
    key: Key = STATUS_KEY,
) -> str:
    """Return a standalone SVG document (string) of the world coloured by status (or by
    the values of another ``key``, each entry's ``status`` one of them).

    Each entry whose code has geometry is drawn exactly once: a ``<path>`` (or, for
    states too small to see, a ``<circle>``) carrying ``data-code``, ``data-status``,
    ``class="status-…"`` and a ``<title>``, wrapped in ``<a href=url>``. Entries without
    geometry are not drawn (list them through ``legend_extra``). When a code appears more
    than once, the first entry wins. Countries with geometry that are not passed, and
    non-participant territories, are drawn as plain grey background.
    """
    geo = load_geometry()
    shapes: dict[str, str] = geo["shapes"]
    dots: dict[str, list[float]] = geo["dots"]
    _, _, width, map_height = geo["viewBox"]

    unique: list[MapEntry] = []
    seen: set[str] = set()
    for entry in entries:
        if entry.status not in key.fills:
            raise ValueError(f"{entry.status!r} is not in the map's key {tuple(key.fills)}")
        code = entry.code.strip().upper()
        if code:
            if code in seen:
                continue
            seen.add(code)
        unique.append(entry)

    counts = dict.fromkeys(key.fills, 0)
    muted_count = 0
    for entry in unique:
        if entry.muted:
            muted_count += 1
        else:
            counts[entry.status] += 1

    by_code = {e.code.strip().upper(): e for e in unique if e.code.strip()}

    # Layout: map on top, legend (one row, more if it needs them) and the extra lines below.
    items = [(key.fills[s], key.words[s].capitalize(), counts[s], s) for s in key.fills]
    if muted_count:
        items.append((MUTED_FILL, LEGEND_LABEL_MUTED, muted_count, "muted"))
    legend_top = map_height + 10
    line = 20
    placed, x, row = [], 8.0, 0
    for item in items:
        text = f"{item[1]} ({item[2]})"
        step = 19 + len(text) * 7.2 + 18
        if x > 8 and x + step - 18 > width - 8:
            x, row = 8.0, row + 1
        placed.append((x, legend_top + line * row, text, item))
        x += step
    legend_rows = row + 1
    height = legend_top + line * legend_rows + 6 + line * len(legend_extra) + 18

    svg_id = _svg_id("worldmap", title, description)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}"'
        # A group, not an image: its countries are links, which an image would hide.
        f' role="group" aria-labelledby="{svg_id}-title {svg_id}-desc"'
        f' font-family="{_attr(FONT)}" class="world-map">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]

    # Background: non-participant territories and participants not passed in.
    out.append(
        f'<g fill="{BACKGROUND_FILL}" stroke="{BORDER}" stroke-width=".5"'
        ' stroke-linejoin="round" aria-hidden="true">'
    )
    for _name, d in geo["background"]:
        out.append(f'<path d="{d}"/>')
    for code, d in shapes.items():
        if code not in by_code:
            out.append(f'<path d="{d}"/>')
    out.append("</g>")

    # Countries with a visible shape.
    out.append('<g stroke="#ffffff" stroke-width=".5" stroke-linejoin="round">')
    for code, d in shapes.items():
        entry = by_code.get(code)
        if entry is None or code in dots:
            continue
        attrs, fill = _marks(entry, key)
        title = escape(_label(entry, key))
        path = f'<path d="{d}"{attrs} fill="{fill}"><title>{title}</title></path>'
        out.append(_link(entry, path))
    out.append("</g>")

    # Small states: a dot (plus the tiny shape, if there is one, in the same link).
    out.append(f'<g stroke="{DOT_STROKE}" stroke-width=".6">')
    for code, (cx, cy) in dots.items():
        entry = by_code.get(code)
        if entry is None:
            continue
        attrs, fill = _marks(entry, key)
        inner = ""
        if code in shapes:
            inner = f'<path d="{shapes[code]}" fill="{fill}" stroke="{BORDER}" stroke-width=".5"/>'
        inner += (
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{DOT_RADIUS}"{attrs} fill="{fill}">'
            f"<title>{escape(_label(entry, key))}</title></circle>"
        )
        out.append(_link(entry, inner))
    out.append("</g>")

    # Legend.
    out.append(f'<g class="legend" font-size="13" fill="{TEXT_FILL}">')
    for x, top, text, (fill, _, count, value) in placed:
        out.append(
            f'<rect x="{_num(x)}" y="{_num(top)}" width="14" height="14" rx="2"'
            f' fill="{fill}" stroke="#8a8a8a" stroke-width=".5"/>'
            f'<text x="{_num(x + 19)}" y="{_num(top + 12)}" data-legend="{value}"'
            f' data-count="{count}">{escape(text)}</text>'
        )
    y = legend_top + line * legend_rows + 12
    for extra in legend_extra:
        out.append(f'<text x="8" y="{_num(y)}" class="legend-extra">{escape(str(extra))}</text>')
        y += line
    out.append("</g>")
    out.append(
        f'<text x="{_num(width - 6)}" y="{_num(height - 5)}" text-anchor="end" font-size="9"'
        f' fill="#6b6b6b">Boundaries: Natural Earth (public domain)</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
