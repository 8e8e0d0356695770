"""The build-time tool that makes the world map asset from Natural Earth (no Django)."""

from pathlib import Path

import pytest

from signatories.worldmap import ASSET_PATH
from tools import build_world_map

ROOT = Path(__file__).resolve().parents[2]


def test_equal_earth_projection():
    assert build_world_map.equal_earth(0, 0) == (0, 0)
    x, y = build_world_map.equal_earth(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-3)
    _, y_pole = build_world_map.equal_earth(0, 90)
    assert y_pole == pytest.approx(1.3173, abs=1e-3)
    assert build_world_map.equal_earth(-30, -40) == pytest.approx(
        tuple(-v for v in build_world_map.equal_earth(30, 40))
    )


def test_decode_arcs_and_rings():
    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    }
    arcs = build_world_map.decode_arcs(topology)
    assert arcs[0] == [(10, 20), (12, 20), (12, 22)]
    polygons = build_world_map.geometry_polygons({"type": "Polygon", "arcs": [[0, 1]]}, arcs)
    assert polygons == [[[(10, 20), (12, 20), (12, 22), (10, 22), (10, 20)]]]
    reversed_ring = build_world_map.geometry_polygons({"type": "Polygon", "arcs": [[~1, ~0]]}, arcs)
    assert reversed_ring[0][0] == [(10, 20), (10, 22), (12, 22), (12, 20), (10, 20)]


def test_polygon_across_antimeridian_is_cut():
    ring = [(178, 0), (-178, 0), (-178, 2), (178, 2), (178, 0)]
    parts = build_world_map.split_antimeridian([ring])
    assert len(parts) == 2
    for part in parts:
        lons = [lon for lon, _ in part[0]]
        assert max(lons) - min(lons) <= 2.0 + 1e-9
        assert -180 <= min(lons) and max(lons) <= 180


def test_path_data_is_closed_and_relative():
    d = build_world_map.path_data([[[(0, 0), (10, 0), (10, 10.04), (0, 10)]]])
    assert d == "M0 0l10 0 0 10-10 0z"


@pytest.mark.skipif(
    not (ROOT / "node_modules" / "world-atlas" / "countries-110m.json").exists(),
    reason="world-atlas not installed (npm install)",
)
def test_committed_asset_matches_a_fresh_build(tmp_path):
    output = tmp_path / "world.json"
    build_world_map.build_world_map(output=output)
    assert output.read_text(encoding="utf-8") == ASSET_PATH.read_text(encoding="utf-8")
