"""Each process reuses a tile it made for `tile_server_cache_seconds`: a map full of phones asks for the same tiles,
and the tile already tells every cache downstream it may be held for `tile_cache_seconds`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.app import create_app
from stations.services.feeds.tile_cache import TileCache
from stations.services.feeds.tiles import tile_of
from stations.settings import Settings

BEIJING = (116.4, 39.9)


def test_a_tile_is_reused_until_it_is_older_than_the_setting() -> None:
    now = [0.0]
    cache, made = TileCache(seconds=5, clock=lambda: now[0]), []

    def make() -> tuple[bytes, str]:
        made.append(1)
        return b"tile %d" % len(made), f"etag {len(made)}"

    assert cache.get_or_make((4, 1, 2), make) == (b"tile 1", "etag 1")
    now[0] = 4.9
    assert cache.get_or_make((4, 1, 2), make) == (b"tile 1", "etag 1")  # reused
    assert cache.get_or_make((4, 1, 3), make) == (b"tile 2", "etag 2")  # another tile is its own
    now[0] = 5.0
    assert cache.get_or_make((4, 1, 2), make) == (b"tile 3", "etag 3")  # made again once as old as the setting


def test_at_most_size_tiles_are_held_the_least_recently_used_dropped_first() -> None:
    cache = TileCache(seconds=60, size=2, clock=lambda: 0.0)
    cache.get_or_make((1, 0, 0), lambda: (b"a", "a"))
    cache.get_or_make((1, 0, 1), lambda: (b"b", "b"))
    cache.get_or_make((1, 0, 0), lambda: (b"never made", ""))  # used: now the most recent
    cache.get_or_make((1, 1, 0), lambda: (b"c", "c"))  # drops (1, 0, 1)
    assert cache.get_or_make((1, 0, 0), lambda: (b"made again", "")) == (b"a", "a")
    assert cache.get_or_make((1, 0, 1), lambda: (b"made again", "")) == (b"made again", "")


def test_zero_seconds_makes_every_tile_fresh() -> None:
    cache, made = TileCache(seconds=0), iter(((b"1", "1"), (b"2", "2")))
    assert cache.get_or_make((3, 0, 0), lambda: next(made)) == (b"1", "1")
    assert cache.get_or_make((3, 0, 0), lambda: next(made)) == (b"2", "2")


def test_the_served_tile_is_reused_within_the_setting_and_never_beyond_the_cache_headers(
    app_settings: Settings, session: Session, client: TestClient,
) -> None:
    """Through the app: a station added after a tile was made shows once the tile is made again; a server setting
    longer than the tiles' own max-age is cut to it."""
    app = create_app(app_settings.model_copy(update={"tile_server_cache_seconds": 60.0}))
    app.dependency_overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    now = [0.0]
    app.state.tile_cache = TileCache(seconds=app.state.tile_cache.seconds, clock=lambda: now[0])
    x, y = tile_of(*BEIJING, 14)
    with TestClient(app) as cached:
        assert cached.get(f"/tiles/14/{x}/{y}.mvt").status_code == 204  # nothing there yet
        session.execute(text(
            "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) VALUES ('outdoor_station', '示例站', "
            "'示例', '110101', ST_SetSRID(ST_MakePoint(116.4, 39.9), 4326), 'TILE-CACHE-1')"))
        assert cached.get(f"/tiles/14/{x}/{y}.mvt").status_code == 204  # the held tile
        assert client.get(f"/tiles/14/{x}/{y}.mvt").status_code == 200  # a process without reuse sees it
        now[0] = 59.9
        assert cached.get(f"/tiles/14/{x}/{y}.mvt").status_code == 204  # still within the setting
        now[0] = 60.0
        assert cached.get(f"/tiles/14/{x}/{y}.mvt").status_code == 200  # made again
    short = create_app(app_settings.model_copy(update={"tile_server_cache_seconds": 600.0, "tile_cache_seconds": 2}))
    assert short.state.tile_cache.seconds == 2
