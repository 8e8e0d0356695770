"""Build the world map geometry asset (``signatories/geodata/world.json``).

Pure Python, no Django, no third-party geo library: reads the TopoJSON files shipped by
the ``world-atlas`` npm package (Natural Earth, public domain), decodes the arcs, projects
them with the Equal Earth projection and writes a compact JSON asset of SVG path strings
keyed by ISO 3166-1 alpha-2 code.

Build time only, never on a request: ``make worldmap`` (after ``npm ci``) runs::

    python -m tools.build_world_map [--source DIR] [--output FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = BASE_DIR / "node_modules" / "world-atlas"
DEFAULT_OUTPUT = BASE_DIR / "signatories" / "geodata" / "world.json"
DEFAULT_PARTICIPANTS = BASE_DIR / "fixtures" / "source" / "participants.csv"

ASSET_VERSION = 1

#: Target width of the viewBox (user units); the height follows from the projection.
WIDTH = 1000.0
#: Blank margin around the map (user units).
MARGIN = 4.0
#: A participant whose projected 110m shape covers fewer square units than this (or that
#: has no 110m shape at all) also gets a dot. About 8,000 km2 with WIDTH=1000.
DOT_AREA_THRESHOLD = 7.0
#: Dots closer than this (centre to centre) are pushed apart a little so they stay
#: clickable (Lesser Antilles, Europe's micro-states).
DOT_MIN_DISTANCE = 4.6
#: Do not move a dot more than this from its true position.
DOT_MAX_SHIFT = 3.0

#: Features without an ISO numeric id in world-atlas, matched by name.
NAME_TO_ALPHA2 = {"Kosovo": "XK"}
#: Dropped entirely.
DROPPED_IDS = {"010"}  # Antarctica
#: Last-resort dot positions (lon, lat) for participants found in none of the files read.
FALLBACK_LONLAT = {"TV": (179.198, -8.521)}  # Tuvalu (Funafuti)

# Equal Earth projection (Šavrič, Patterson & Jenny, 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to Equal Earth unit coordinates (y grows northwards)."""
    lam = math.radians(lon)
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


# --------------------------------------------------------------------------- TopoJSON


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return the topology's arcs as lists of absolute (lon, lat) positions."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(arc_indexes: Sequence[int], arcs: list[list[tuple[float, float]]]):
    points: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc if not points else arc[1:])
    return points


def _unwrap(ring: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous (a step of more than 180 degrees crosses the antimeridian)."""
    out: list[tuple[float, float]] = []
    offset = 0.0
    for lon, lat in ring:
        if out:
            prev = out[-1][0]
            while lon + offset - prev > 180:
                offset -= 360
            while lon + offset - prev < -180:
                offset += 360
        out.append((lon + offset, lat))
    return out


def _clip(ring: Sequence[tuple[float, float]], cut: float, keep_below: bool):
    """Sutherland-Hodgman clip of a ring against the meridian ``lon == cut``."""

    def inside(point):
        return point[0] <= cut if keep_below else point[0] >= cut

    out: list[tuple[float, float]] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            (x1, y1), (x2, y2) = previous, current
            t = (cut - x1) / (x2 - x1)
            out.append((cut, y1 + t * (y2 - y1)))
        if inside(current):
            out.append(current)
    return out


def split_antimeridian(polygon: list[list[tuple[float, float]]]):
    """Cut a lon/lat polygon whose rings cross the antimeridian into parts within +-180."""
    rings = [_unwrap(ring) for ring in polygon]
    low = min(lon for ring in rings for lon, _ in ring)
    high = max(lon for ring in rings for lon, _ in ring)
    if low >= -180 and high <= 180:
        return [rings]
    cut = 180.0 if high > 180 else -180.0
    shift = -360.0 if cut > 0 else 360.0
    parts = []
    for keep_below in (True, False):
        clipped = [_clip(ring, cut, keep_below) for ring in rings]
        if len(clipped[0]) < 3:
            continue
        beyond = keep_below != (cut > 0)  # the part on the far side of the antimeridian
        parts.append(
            [
                [(lon + shift, lat) for lon, lat in ring] if beyond else ring
                for ring in clipped
                if len(ring) >= 3
            ]
        )
    return parts


def geometry_polygons(geometry: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    """Polygons (each a list of rings, the first the exterior) of a TopoJSON geometry.

    Polygons crossing the antimeridian (Russia's Chukotka, Fiji) are cut in two.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    result = []
    for polygon in polygons:
        result.extend(split_antimeridian([_ring(ring, arcs) for ring in polygon]))
    return result


def read_topology(path: Path) -> tuple[dict, list[dict], list]:
    topology = json.loads(path.read_text(encoding="utf-8"))
    geometries = topology["objects"]["countries"]["geometries"]
    return topology, geometries, decode_arcs(topology)


# --------------------------------------------------------------------------- geometry


class Projector:
    """Equal Earth, scaled into a viewBox WIDTH wide with y pointing down."""

    def __init__(self, lat_north: float, lat_south: float, width: float = WIDTH):
        x_max, _ = equal_earth(180.0, 0.0)
        _, y_top = equal_earth(0.0, lat_north)
        _, y_bottom = equal_earth(0.0, lat_south)
        self.scale = (width - 2 * MARGIN) / (2 * x_max)
        self.x0 = width / 2
        self.y0 = MARGIN + y_top * self.scale
        self.width = width
        self.height = round(MARGIN * 2 + (y_top - y_bottom) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = equal_earth(lon, lat)
        return self.x0 + x * self.scale, self.y0 - y * self.scale


def signed_area(ring: Sequence[tuple[float, float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def polygon_area(polygon) -> float:
    """Area of a projected polygon (exterior minus holes), orientation-independent."""
    if not polygon:
        return 0.0
    return max(0.0, abs(signed_area(polygon[0])) - sum(abs(signed_area(r)) for r in polygon[1:]))


def ring_centroid(ring: Sequence[tuple[float, float]]) -> tuple[float, float]:
    area = signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def _fmt(value: int) -> str:
    """Format a coordinate held in tenths of a unit: 123 -> '12.3', -40 -> '-4', 5 -> '.5'."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _join(numbers: Iterable[str]) -> str:
    out = []
    for number in numbers:
        if out and not number.startswith("-"):
            out.append(" ")
        out.append(number)
    return "".join(out)


def path_data(polygons) -> str:
    """SVG path data for projected polygons: absolute moveto, relative lineto, 0.1 precision.

    Deltas are taken between coordinates already rounded to tenths, so no error accumulates
    and borders shared by two countries come out identical.
    """
    parts = []
    for polygon in polygons:
        for ring in polygon:
            quantised: list[tuple[int, int]] = []
            for x, y in ring:
                point = (round(x * 10), round(y * 10))
                if not quantised or point != quantised[-1]:
                    quantised.append(point)
            while len(quantised) > 1 and quantised[-1] == quantised[0]:
                quantised.pop()
            if len(set(quantised)) < 3:
                continue
            (x0, y0), numbers = quantised[0], []
            px, py = x0, y0
            for x, y in quantised[1:]:
                numbers += [_fmt(x - px), _fmt(y - py)]
                px, py = x, y
            parts.append(f"M{_join([_fmt(x0), _fmt(y0)])}l{_join(numbers)}z")
    return "".join(parts)


def spread_dots(dots: dict[str, list[float]]) -> None:
    """Nudge overlapping dots apart (in place), each by at most DOT_MAX_SHIFT units."""
    origin = {code: tuple(xy) for code, xy in dots.items()}
    codes = sorted(dots)
    for _ in range(60):
        moved = False
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                (ax, ay), (bx, by) = dots[a], dots[b]
                dx, dy = bx - ax, by - ay
                dist = math.hypot(dx, dy)
                if dist >= DOT_MIN_DISTANCE:
                    continue
                if dist < 1e-9:
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (DOT_MIN_DISTANCE - dist) / 2 + 0.01
                ux, uy = dx / dist * push, dy / dist * push
                dots[a] = [ax - ux, ay - uy]
                dots[b] = [bx + ux, by + uy]
                moved = True
        for code in codes:  # clamp to the allowed shift
            ox, oy = origin[code]
            x, y = dots[code]
            shift = math.hypot(x - ox, y - oy)
            if shift > DOT_MAX_SHIFT:
                k = DOT_MAX_SHIFT / shift
                dots[code] = [ox + (x - ox) * k, oy + (y - oy) * k]
        if not moved:
            break
    for code in codes:
        dots[code] = [round(dots[code][0], 1), round(dots[code][1], 1)]


# --------------------------------------------------------------------------- build


def read_participants(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Return ({iso numeric: alpha-2}, {alpha-2: name}) for participants with an alpha-2 code."""
    numeric_to_alpha2, names = {}, {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alpha2 = (row.get("iso_alpha2") or "").strip().upper()
            if not alpha2:
                continue
            names[alpha2] = row["name"].strip()
            numeric = (row.get("iso_numeric") or "").strip()
            if numeric:
                numeric_to_alpha2[numeric.zfill(3)] = alpha2
    return numeric_to_alpha2, names


def _alpha2(geometry: dict, numeric_to_alpha2: dict[str, str]) -> str | None:
    gid = geometry.get("id")
    if gid is not None:
        return numeric_to_alpha2.get(str(gid).zfill(3))
    return NAME_TO_ALPHA2.get((geometry.get("properties") or {}).get("name", ""))


def build_asset(
    source: Path = DEFAULT_SOURCE, participants: Path = DEFAULT_PARTICIPANTS
) -> tuple[dict, list[str]]:
    """Build the asset dict. Returns (asset, log lines)."""
    source = Path(source)
    log: list[str] = []
    numeric_to_alpha2, names = read_participants(Path(participants))
    atlas_version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]

    _, geometries, arcs = read_topology(source / "countries-110m.json")
    features = []  # (alpha2 or None, name, lon/lat polygons)
    for geometry in geometries:
        if str(geometry.get("id", "")).zfill(3) in DROPPED_IDS:
            continue
        name = (geometry.get("properties") or {}).get("name", "")
        features.append(
            (_alpha2(geometry, numeric_to_alpha2), name, geometry_polygons(geometry, arcs))
        )

    lats = [lat for _, _, polys in features for poly in polys for ring in poly for _, lat in ring]
    project = Projector(max(lats), min(lats))

    def project_polygons(polygons):
        return [[[project(lon, lat) for lon, lat in ring] for ring in poly] for poly in polygons]

    shapes: dict[str, str] = {}
    background: list[list[str]] = []
    areas: dict[str, float] = {}
    for alpha2, name, polygons in features:
        projected = project_polygons(polygons)
        d = path_data(projected)
        if not d:
            continue
        if alpha2 is None:
            background.append([name, d])
            continue
        if alpha2 in shapes:  # should not happen in 110m; merge defensively
            shapes[alpha2] += d
            areas[alpha2] += sum(polygon_area(p) for p in projected)
        else:
            shapes[alpha2] = d
            areas[alpha2] = sum(polygon_area(p) for p in projected)

    need_dot = sorted(
        code for code in names if code not in shapes or areas[code] < DOT_AREA_THRESHOLD
    )

    dots: dict[str, list[float]] = {}
    for filename in ("countries-50m.json", "countries-10m.json"):
        missing = [code for code in need_dot if code not in dots]
        if not missing or not (source / filename).exists():
            continue
        _, detail_geometries, detail_arcs = read_topology(source / filename)
        largest: dict[str, tuple[float, list]] = {}
        for geometry in detail_geometries:
            alpha2 = _alpha2(geometry, numeric_to_alpha2)
            if alpha2 not in missing:
                continue
            for polygon in project_polygons(geometry_polygons(geometry, detail_arcs)):
                area = polygon_area(polygon)
                if alpha2 not in largest or area > largest[alpha2][0]:
                    largest[alpha2] = (area, polygon)
        for alpha2, (_, polygon) in largest.items():
            dots[alpha2] = list(ring_centroid(polygon[0]))
            log.append(f"dot {alpha2} ({names[alpha2]}) from {filename}")
    for code in need_dot:
        if code not in dots and code in FALLBACK_LONLAT:
            dots[code] = list(project(*FALLBACK_LONLAT[code]))
            log.append(f"dot {code} ({names[code]}) from the fallback table")
    spread_dots(dots)

    for code in sorted(names):
        if code not in shapes and code not in dots:
            log.append(f"WARNING: no geometry for {code} ({names[code]})")

    asset = {
        "version": ASSET_VERSION,
        "source": {
            "data": "Natural Earth Admin 0 countries, 1:110m (shapes) and 1:50m (dot positions)",
            "natural_earth_version": "4.1.0",
            "licence": "Natural Earth data is in the public domain (naturalearthdata.com)",
            "via": f"world-atlas {atlas_version} (npm; TopoJSON by Mike Bostock, ISC licence)",
            "projection": "Equal Earth (EPSG:8857), central meridian 0; Antarctica omitted",
            "notes": "Coordinates rounded to 0.1 unit. Boundaries as drawn by Natural Earth;"
            " they imply no position on any territorial dispute.",
        },
        "viewBox": [0, 0, project.width, project.height],
        "shapes": dict(sorted(shapes.items())),
        "dots": dict(sorted(dots.items())),
        "background": sorted(background),
    }
    log.append(
        f"{len(shapes)} shapes, {len(dots)} dots, {len(background)} background shapes,"
        f" viewBox 0 0 {project.width:g} {project.height:g}"
    )
    return asset, log


def write_asset(asset: dict, output: Path) -> int:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asset, ensure_ascii=False, separators=(",", ":"))
    # One entry per line keeps diffs of the committed asset readable.
    text = text.replace(',"', ',\n"').replace('],["', '],\n["') + "\n"
    output.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build_world_map(
    source: Path | str = DEFAULT_SOURCE,
    output: Path | str = DEFAULT_OUTPUT,
    participants: Path | str = DEFAULT_PARTICIPANTS,
) -> list[str]:
    """Build and write the asset; return log lines (the last one gives the size)."""
    source = Path(source)
    if not (source / "countries-110m.json").exists():
        raise FileNotFoundError(
            f"{source / 'countries-110m.json'} not found: run `npm install` first"
        )
    asset, log = build_asset(source, Path(participants))
    size = write_asset(asset, Path(output))
    log.append(f"wrote {output} ({size:,} bytes)")
    return log


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(DEFAULT_SOURCE))
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--participants", default=str(DEFAULT_PARTICIPANTS))
    args = parser.parse_args(argv)
    for line in build_world_map(args.source, args.output, args.participants):
        print(line)


if __name__ == "__main__":
    main()
