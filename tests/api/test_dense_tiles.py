"""Tiles from z10 on over their budget (tiles.MAX_STATIONS): dense cells as clusters, sparse ones as stations, the
tile under 100 KB, and every station in the tile a feature or in exactly one cluster's count; tiles within the budget
carry every station as before."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.db.tile_sql import TILE_CELL_BOUNDS
from stations.services.feeds import tiles
from stations.services.feeds.tiles import tile_of
from tests.api.mvt import Layer, decode

# The middle of one z12 tile in 兰州: a z12 tile is ~0.088 degrees wide and ~0.071 high here, so everything placed
# within +-0.03 / +-0.025 of it lies inside that tile and its z10 and z11 parents, away from their edges.
Z12 = tile_of(103.8343, 36.0611, 12)

INSERT = text(
    """
    INSERT INTO stations (kind, name, address, adcode, geom, sign_code, status)
    SELECT CASE WHEN i % 3 = 0 THEN 'outdoor_station' ELSE 'reading_room' END, '城关区示例户外劳动者驿站' || i, '示例',
           '620102', ST_SetSRID(ST_MakePoint(:lon + (i % 50) * :step, :lat + (i / 50) * :step), 4326),
           :prefix || i, CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'active' END
    FROM generate_series(0, :n - 1) AS i
    RETURNING id
    """
)


def _centre(z: int, x: int, y: int) -> tuple[float, float]:
    n = 2**z
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / n))))
    return (x + 0.5) / n * 360 - 180, lat


def _place(session: Session, *, lon: float, lat: float, n: int, step: float, prefix: str) -> list[int]:
    """n stations on a grid of 50 columns `step` degrees apart from (lon, lat), a tenth of them closed."""
    params = {"lon": lon, "lat": lat, "n": n, "step": step, "prefix": prefix}
    return [int(r) for r in session.execute(INSERT, params).scalars()]


def _tile(client: TestClient, z: int, lon: float, lat: float) -> tuple[bytes, dict[str, Layer]]:
    x, y = tile_of(lon, lat, z)
    reply = client.get(f"/tiles/{z}/{x}/{y}.mvt")
    assert reply.status_code == 200
    return reply.content, decode(reply.content)


@pytest.fixture
def dense(session: Session) -> dict[str, list[int]]:
    """3,000 stations packed into ~0.006 degrees (a city centre at a million stations) and 8 lone ones around it."""
    lon, lat = _centre(12, *Z12)
    core = _place(session, lon=lon - 0.003, lat=lat - 0.003, n=3000, step=0.00012, prefix="D-")
    lone = [sid for i, (dx, dy) in enumerate((dx, dy) for dx in (-0.03, -0.018, 0.018, 0.03) for dy in (-0.022, 0.022))
            for sid in _place(session, lon=lon + dx, lat=lat + dy, n=1, step=0, prefix=f"L{i}-")]
    return {"core": core, "lone": lone}


@pytest.mark.parametrize("z", [10, 11, 12])
def test_a_dense_tile_carries_clusters_and_stays_small_with_exact_counts(
    client: TestClient, dense: dict[str, list[int]], z: int
) -> None:
    data, layers = _tile(client, z, *_centre(12, *Z12))
    assert len(data) < 100 * 1024
    clusters, stations = layers["clusters"].features, layers["stations"].features
    assert clusters and all(set(c.properties) == {"count"} and c.properties["count"] > 0 for c in clusters)
    ids = [f.id for f in stations]
    assert len(ids) == len(set(ids)) <= tiles.DENSE_KEEP
    assert sum(c.properties["count"] for c in clusters) + len(ids) == len(dense["core"]) + len(dense["lone"])
    assert set(dense["lone"]) <= set(ids)  # sparse places keep their stations
    assert set(ids) <= set(dense["core"]) | set(dense["lone"])
    assert all(set(f.properties) == {"kind", "name", "sign_code", "status"} for f in stations)


def test_counts_follow_deletions_in_a_dense_tile(client: TestClient, session: Session,
                                                 dense: dict[str, list[int]]) -> None:
    session.execute(text("UPDATE stations SET deleted_at = now() WHERE id = ANY(:ids)"), {"ids": dense["core"][:500]})
    _, layers = _tile(client, 11, *_centre(12, *Z12))
    total = sum(c.properties["count"] for c in layers["clusters"].features) + len(layers["stations"].features)
    assert total == len(dense["core"]) - 500 + len(dense["lone"])


@pytest.mark.parametrize("z", [11, 14])
def test_a_tile_at_its_budget_carries_every_station_and_one_more_makes_it_clusters(
    client: TestClient, session: Session, z: int
) -> None:
    lon, lat = _centre(z, *tile_of(103.8343, 36.0611, z))
    quarter = 360 / 2**z / 4  # of the tile's width
    ids = _place(session, lon=lon - quarter, lat=lat - quarter / 2, n=tiles.MAX_STATIONS, step=quarter / 50,
                 prefix="B-")
    _, layers = _tile(client, z, lon, lat)
    assert set(layers) == {"stations"}
    assert sorted(f.id for f in layers["stations"].features) == sorted(ids)
    assert {f.properties["status"] for f in layers["stations"].features} == {"active", "closed"}
    extra = _place(session, lon=lon + quarter * 1.5, lat=lat + quarter, n=1, step=0, prefix="E-")
    _, layers = _tile(client, z, lon, lat)
    clusters, stations = layers["clusters"].features, layers["stations"].features
    assert sum(c.properties["count"] for c in clusters) + len(stations) == tiles.MAX_STATIONS + 1
    assert extra[0] in {f.id for f in stations}


def test_stations_beyond_the_edge_of_a_tile_do_not_push_it_over_its_budget(
    client: TestClient, session: Session
) -> None:
    """Cells straddling the tile's buffered edge count stations outside it: such a tile is counted exactly."""
    z, (x, y) = 12, Z12
    lon, lat = _centre(z, x, y)
    inside = _place(session, lon=lon - 0.01, lat=lat - 0.01, n=tiles.MAX_STATIONS - 10, step=0.0004, prefix="I-")
    n, margin = 2**z, tiles.BUFFER / tiles.EXTENT
    east = (x + 1 + margin) / n * 360 - 180
    cells = tiles.dense_cells(z, x, y)
    beyond = (east + (cells["x1"] + 1) / cells["per_degree"]) / 2  # in the edge cell, outside the buffer
    assert (beyond - east) * cells["per_degree"] > 0.05
    _place(session, lon=beyond, lat=lat, n=40, step=1e-7, prefix="O-")
    bounds = session.execute(TILE_CELL_BOUNDS, cells).one()
    assert bounds.upper > tiles.MAX_STATIONS >= bounds.lower  # the case only an exact count decides
    _, layers = _tile(client, z, lon, lat)
    assert set(layers) == {"stations"}
    assert sorted(f.id for f in layers["stations"].features) == sorted(inside)


def test_a_sparse_tile_is_every_station_as_before(client: TestClient, session: Session) -> None:
    lon, lat = _centre(12, *Z12)
    ids = _place(session, lon=lon + 0.004, lat=lat + 0.004, n=60, step=0.0001, prefix="S-")
    for z in (10, 12, 14):
        _, layers = _tile(client, z, lon + 0.006, lat + 0.006)
        assert set(layers) == {"stations"}
        assert {f.id for f in layers["stations"].features} == set(ids)
        names = {f.properties["name"] for f in layers["stations"].features}
        assert names == {f"城关区示例户外劳动者驿站{i}" for i in range(60)}


@pytest.mark.parametrize("z", [13, 14, 16])  # z13 from the aggregates, then grouped live
def test_dense_tiles_from_z13_have_exact_counts(client: TestClient, session: Session, z: int) -> None:
    lon, lat = _centre(z, *tile_of(103.8343, 36.0611, z))
    width = 360 / 2**z
    core = _place(session, lon=lon - 0.0005, lat=lat - 0.0002, n=1200, step=0.00002, prefix="Z-")
    lone = [sid for i, dx in enumerate((-0.3, 0.3))  # in cells of their own at z13's 4 and z14's 32 to a tile
            for sid in _place(session, lon=lon + dx * width, lat=lat + 0.1 * width, n=1, step=0, prefix=f"Y{i}-")]
    data, layers = _tile(client, z, lon, lat)
    assert len(data) < 100 * 1024
    clusters, stations = layers["clusters"].features, layers["stations"].features
    assert clusters and sum(c.properties["count"] for c in clusters) + len(stations) == len(core) + len(lone)
    assert set(lone) <= {f.id for f in stations}
    assert len({c.id for c in clusters}) == len(clusters)


@pytest.mark.parametrize("z", [10, 14])  # from the aggregates, grouped live
def test_the_densest_tile_there_can_be_stays_under_100_kb(client: TestClient, session: Session, z: int) -> None:
    """Every grid cell of the tile crowded (5 stations) but for 200 that hold 2 each: the most clusters and the most
    kept stations a tile can carry at once."""
    x, y = tile_of(103.8343, 36.0611, z)
    cells = tiles.dense_cells(z, x, y)
    per_degree, n = cells["per_degree"], 2**z
    columns = range(math.floor(x / n * 360 * per_degree - 180 * per_degree) - 1,
                    math.ceil((x + 1) / n * 360 * per_degree - 180 * per_degree) + 1)
    lat_top, lat_bottom = _centre(z, x, y - 0.5)[1], _centre(z, x, y + 0.5)[1]
    rows = range(math.floor(lat_bottom * per_degree) - 1, math.ceil(lat_top * per_degree) + 1)
    session.execute(text(
        "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
        "SELECT 'outdoor_station', '城关区示例户外劳动者驿站' || cx || '-' || cy || '-' || k, '示例', '620102', "
        "ST_SetSRID(ST_MakePoint((cx + 0.2 + k * 0.1) / :pd, (cy + 0.2 + k * 0.1) / :pd), 4326), "
        "'W-' || cx || '-' || cy || '-' || k "
        "FROM generate_series(CAST(:c0 AS int), :c1) AS cx, generate_series(CAST(:r0 AS int), :r1) AS cy, "
        "generate_series(0, 4) AS k "
        "WHERE k < 2 OR (cx * 7 + cy * 13) % 6 <> 0"
    ), {"pd": per_degree, "c0": columns[0], "c1": columns[-1], "r0": rows[0], "r1": rows[-1]})
    data, layers = _tile(client, z, *_centre(z, x, y))
    assert len(layers["clusters"].features) > 600
    assert 250 < len(layers["stations"].features) <= tiles.DENSE_KEEP  # kept cells beyond the edge buffer are cut
    assert len(data) < 100 * 1024, len(data)
