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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from django.utils.translation import get_language_bidi, gettext_lazy, pgettext_lazy

from .models import Action, Status

ASSET_PATH = Path(__file__).resolve().parent / "geodata" / "world.json"

STATUSES = tuple(Status.values)

#: Words used in tooltips ("Norway: endorsed") and, capitalised, in the legend.
STATUS_WORDS = {status.value: status.label for status in Status}  # lazy: lower-cased in use

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

LEGEND_LABEL_MUTED = gettext_lazy("Faint: outside the selection")
CREDIT = gettext_lazy("Boundaries: Natural Earth (public domain)")
LEGEND_LABEL_BACKGROUND = gettext_lazy(
    "Grey: not a participant here or no data (e.g. Greenland, Western Sahara)"
)

# Legend text, in units of the whole world's width (1000): at least 12 CSS pixels wherever the
# legend shows, i.e. wherever the map is 640 pixels wide or more (static/css/map.css hides it
# below that, where the page gives the legend in HTML). A framed map scales it with the frame.
LEGEND_FONT = 19
LEGEND_ROW = 28
LEGEND_SWATCH = 17
CHAR_WIDTH = 0.6  # of the font size: a generous average, so a row never runs off the map

# Framing a selection: a margin around its shapes, a smallest frame (a single small state still
# shows its neighbours), and what counts as a far-flung part of a country (French Guiana).
FRAME_MARGIN = 0.08
FRAME_MIN_MARGIN = 8.0
FRAME_MIN_WIDTH = 160.0
NEAR = 30.0
GIANT_WIDTH = 160.0  # a sixth of the world: Russia, Canada, the United States

#: The comparison map: each participant by its latest action between two days, or none.
UNCHANGED = "unchanged"
CHANGE_WORDS = {
    Action.Kind.ENDORSED: pgettext_lazy("change", "endorsed"),
    Action.Kind.DISPUTED: pgettext_lazy("change", "came under dispute"),
    Action.Kind.DISPUTE_RESOLVED: pgettext_lazy("change", "dispute resolved"),
    Action.Kind.WITHDRAWN: pgettext_lazy("change", "withdrew"),
    UNCHANGED: pgettext_lazy("change", "no change"),
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


Box = tuple[float, float, float, float]  # x0, y0, x1, y1

_RING = re.compile(r"M([^l]*)l([^z]*)z")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _rings(d: str) -> list[tuple[float, Box]]:
    """(area, bounding box) of each ring of a path of the asset (absolute M, relative l, z)."""
    rings = []
    for start, steps in _RING.findall(d):
        x, y = (float(n) for n in _NUMBER.findall(start))
        deltas = [float(n) for n in _NUMBER.findall(steps)]
        xs, ys, twice_area = [x], [y], 0.0
        for dx, dy in zip(deltas[::2], deltas[1::2], strict=True):
            twice_area += x * (y + dy) - (x + dx) * y
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
        twice_area += x * ys[0] - xs[0] * y
        rings.append((abs(twice_area) / 2, (min(xs), min(ys), max(xs), max(ys))))
    return rings


def _union(boxes: Iterable[Box]) -> Box | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _near(a: Box, b: Box, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


@functools.cache
def code_box(code: str) -> Box | None:
    """Where a participant lies on the world map: its dot, or its largest ring with the rings
    near it (France without French Guiana, Russia without its part east of 180°). None when the
    asset has no geometry for the code."""
    geo = load_geometry()
    if code in geo["dots"]:
        x, y = geo["dots"][code]
        return (x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS)
    if code not in geo["shapes"]:
        return None
    rings = sorted(_rings(geo["shapes"][code]), reverse=True)
    box = rings[0][1]
    grown = True
    while grown:  # rings near the body, and rings near those (an archipelago)
        grown = False
        for _, ring in rings:
            if _near(box, ring, NEAR) and _union([box, ring]) != box:
                box, grown = _union([box, ring]), True
    return box


def frame_for(codes: Iterable[str]) -> Box | None:
    """The part of the world map that frames these participants: their boxes, a margin, at least
    FRAME_MIN_WIDTH wide, in the map's proportions and inside it. None for the whole world (no
    geometry, or a selection that spans it).

    A giant among several others (wider than GIANT_WIDTH) that overlaps their frame and would
    more than double it is framed only where it meets them: Europe shows western Russia, not
    Siberia.
    """
    boxes = {code: box for code in dict.fromkeys(codes) if (box := code_box(code))}
    if not boxes:
        return None
    if len(boxes) > 3:
        largest = max(boxes, key=lambda code: _area(boxes[code]))
        giant = boxes[largest]
        others = _union(box for code, box in boxes.items() if code != largest)
        if (
            giant[2] - giant[0] > GIANT_WIDTH
            and _near(giant, others, 0)
            and _area(_union(boxes.values())) > 2 * _area(others)
        ):
            del boxes[largest]
    x0, y0, x1, y1 = _union(boxes.values())
    _, _, map_width, map_height = load_geometry()["viewBox"]
    width, height = x1 - x0, y1 - y0
    width += 2 * max(FRAME_MIN_MARGIN, FRAME_MARGIN * width)
    height += 2 * max(FRAME_MIN_MARGIN, FRAME_MARGIN * height)
    width = max(width, FRAME_MIN_WIDTH, height * map_width / map_height)
    height = width * map_height / map_width
    if width >= map_width * 0.9:
        return None
    centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
    left = min(max(centre_x - width / 2, 0), map_width - width)
    top = min(max(centre_y - height / 2, 0), map_height - height)
    return (left, top, left + width, top + height)


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _length(value: float) -> str:
    """A length to two decimals (a framed map's text and borders are small numbers)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text


def _svg_id(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def _label(entry: MapEntry, key: Key) -> str:
    return f"{entry.name}: {str(key.words[entry.status]).lower()}"


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


@dataclass(frozen=True)
class Mirror:
    """A drawing's x coordinates as designed, left to right, or, in a language read from the
    right (Arabic), mirrored between ``left`` and ``right``: a time axis runs from the right, a
    bar grows from the right, a legend starts on the right. Text anchors need no swapping: the
    drawing says its ``direction``, and in a right-to-left one "start" is the right-hand end.
    """

    left: float
    right: float
    on: bool

    @classmethod
    def for_language(cls, left: float, right: float) -> Mirror:
        return cls(left, right, get_language_bidi())

    @property
    def direction(self) -> str:
        """The drawing's ``direction`` attribute: its text anchors follow it."""
        return "rtl" if self.on else "ltr"

    def x(self, x: float) -> float:
        return self.left + self.right - x if self.on else x

    def box(self, x: float, width: float) -> float:
        """The left edge of a box drawn from ``x`` to ``x + width`` as designed."""
        return self.left + self.right - x - width if self.on else x


def _legend_rows(items: Sequence[tuple[str, str, str]], room: float) -> list[list[tuple]]:
    """Lay the legend's items (fill, text, attributes) in rows no wider than ``room`` (world
    units), each with its x offset."""
    rows: list[list[tuple]] = [[]]
    x = 0.0
    for fill, text, attrs in items:
        width = LEGEND_SWATCH + 6 + len(text) * LEGEND_FONT * CHAR_WIDTH
        if rows[-1] and x + width > room:
            rows.append([])
            x = 0.0
        rows[-1].append((x, fill, text, attrs))
        x += width + 22
    return rows


def render_world_map(
    entries: Iterable[MapEntry],
    *,
    title: str,
    description: str,
    legend_extra: Sequence[str] = (),
    key: Key = STATUS_KEY,
    fit_selection: bool = True,
    stylesheet: str = "",
) -> str:
    """Return a standalone SVG document (string) of the world coloured by status (or by
    the values of another ``key``, each entry's ``status`` one of them).

    Each entry whose code has geometry is drawn exactly once: a ``<path>`` (or, for
    states too small to see, a ``<circle>``) carrying ``data-code``, ``data-status``,
    ``class="status-…"`` and a ``<title>``, wrapped in ``<a href=url>``. Entries without
    geometry are not drawn (list them through ``legend_extra``). When a code appears more
    than once, the first entry wins. Countries with geometry that are not passed, and
    non-participant territories, are drawn as plain grey background.

    When some entries are muted (outside a selection) and ``fit_selection`` is true, the
    viewBox frames the others (:func:`frame_for`); the rest stays drawn, faint, for context.
    The legend, the borders and the dots scale with the frame, so they look the same on screen
    at any zoom. ``stylesheet``: the address of ``map.css``, linked with an ``xml-stylesheet``
    instruction (it hides the legend where the map is too small for it to be read).
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

    frame = None
    if fit_selection and muted_count:
        frame = frame_for(code for code, entry in by_code.items() if not entry.muted)
    left, top, right, bottom = frame or (0, 0, width, map_height)
    scale = (right - left) / width  # 1 for the whole world, less when framed
    dot_scale = scale**0.5  # a framed map shows its small states a little larger

    def n(value: float) -> str:  # a length in world units, scaled to the frame
        return _length(value * scale)

    # Legend: the statuses, what faint and grey mean, then the extra lines and the credit.
    items = [
        (
            key.fills[s],
            f"{str(key.words[s]).lower().capitalize()} ({counts[s]})",
            f'data-legend="{s}" data-count="{counts[s]}"',
        )
        for s in key.fills
    ]
    if muted_count:
        items.append(
            (
                MUTED_FILL,
                f"{LEGEND_LABEL_MUTED} ({muted_count})",
                f'data-legend="muted" data-count="{muted_count}"',
            )
        )
    items.append((BACKGROUND_FILL, str(LEGEND_LABEL_BACKGROUND), 'data-key="background"'))
    rows = _legend_rows(items, width - 16)
    legend_height = 10 + LEGEND_ROW * (len(rows) + len(legend_extra) + 1) + 4
    height = (bottom - top) + legend_height * scale
    legend_top = bottom + 10 * scale

    svg_id = _svg_id("worldmap", title, description)
    mirror = Mirror.for_language(left, right)  # the map stays; its legend reads from the right
    out = []
    if stylesheet:
        out.append(f'<?xml-stylesheet href="{_attr(stylesheet)}" type="text/css"?>')
    out += [
        f'<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="{_num(left)} {_num(top)} {_num(right - left)} {_num(height)}"'
        # A group, not an image: its countries are links, which an image would hide.
        f' role="group" aria-labelledby="{svg_id}-title {svg_id}-desc"'
        f' font-family="{_attr(FONT)}" direction="{mirror.direction}"'
        f' class="world-map{" framed" if frame else ""}">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]
    if frame:  # the world beyond the frame stays out of the legend's strip
        out.append(
            f'<clipPath id="{svg_id}-frame"><rect x="{_num(left)}" y="{_num(top)}"'
            f' width="{_num(right - left)}" height="{_num(bottom - top)}"/></clipPath>'
            f'<g clip-path="url(#{svg_id}-frame)">'
        )

    # Background: non-participant territories and participants not passed in.
    out.append(
        f'<g fill="{BACKGROUND_FILL}" stroke="{BORDER}" stroke-width="{n(0.5)}"'
        ' stroke-linejoin="round" aria-hidden="true">'
    )
    for _name, d in geo["background"]:
        out.append(f'<path d="{d}"/>')
    for code, d in shapes.items():
        if code not in by_code:
            out.append(f'<path d="{d}"/>')
    out.append("</g>")

    # Countries with a visible shape.
    out.append(f'<g stroke="#ffffff" stroke-width="{n(0.5)}" stroke-linejoin="round">')
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
    out.append(f'<g stroke="{DOT_STROKE}" stroke-width="{_length(0.6 * dot_scale)}">')
    radius = _length(DOT_RADIUS * dot_scale)
    for code, (cx, cy) in dots.items():
        entry = by_code.get(code)
        if entry is None:
            continue
        attrs, fill = _marks(entry, key)
        inner = ""
        if code in shapes:
            inner = (
                f'<path d="{shapes[code]}" fill="{fill}" stroke="{BORDER}"'
                f' stroke-width="{n(0.5)}"/>'
            )
        inner += (
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{radius}"{attrs} fill="{fill}">'
            f"<title>{escape(_label(entry, key))}</title></circle>"
        )
        out.append(_link(entry, inner))
    out.append("</g>")
    if frame:
        out.append("</g>")

    # Legend.
    out.append(f'<g class="legend" font-size="{n(LEGEND_FONT)}" fill="{TEXT_FILL}">')
    y = legend_top
    for row in rows:
        for x, fill, text, attrs in row:
            swatch_x = mirror.box(left + (8 + x) * scale, LEGEND_SWATCH * scale)
            text_x = mirror.x(left + (8 + x + LEGEND_SWATCH + 6) * scale)
            out.append(
                f'<rect x="{_num(swatch_x)}" y="{_num(y)}" width="{n(LEGEND_SWATCH)}"'
                f' height="{n(LEGEND_SWATCH)}" rx="{n(2)}" fill="{fill}" stroke="#8a8a8a"'
                f' stroke-width="{n(0.5)}"/>'
                f'<text x="{_num(text_x)}" y="{_num(y + 14 * scale)}" {attrs}>{escape(text)}</text>'
            )
        y += LEGEND_ROW * scale
    for extra in legend_extra:
        out.append(
            f'<text x="{_num(mirror.x(left + 8 * scale))}" y="{_num(y + 14 * scale)}"'
            f' class="legend-extra">{escape(str(extra))}</text>'
        )
        y += LEGEND_ROW * scale
    out.append(
        f'<text x="{_num(mirror.x(right - 6 * scale))}" y="{_num(y + 14 * scale)}"'
        f' text-anchor="end" fill="#595959" class="credit">{escape(str(CREDIT))}</text>'
    )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
