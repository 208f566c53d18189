"""Read replicas for real: a streaming replica of a primary of the tests' own, an app reading from it, the replica
paused, lagging or gone, and the primary stopped while riders keep getting answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from stations.app import create_app
from stations.db.models import Station
from stations.services.feeds.tiles import tile_of
from tests.scale.cluster import Replicated
from tests.scale.conftest import app_settings
from tests.support import free_port
from tests.sync import writes

LON, LAT = 103.8343, 36.0611
BEFORE, AFTER = "城关区复制测试驿站", "城关区复制测试驿站（已改名）"
VIEWPORT = "103.80,36.04,103.86,36.08"


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Poll `condition` until it holds; fail naming `what` if it does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.1)


def committed_station(primary: sessionmaker[Session], pair: Replicated) -> Station:
    """A station committed on the primary and replayed on the replica."""
    with primary() as session, session.begin():
        station = writes.create(session, name=BEFORE)
    pair.caught_up()
    return station


def rename(primary: sessionmaker[Session], station: Station) -> None:
    """Rename the station on the primary (a new version and a change in the feed)."""
    with primary() as session, session.begin():
        writes.update(session, session.get(Station, station.id), name=AFTER)  # type: ignore[arg-type]


def names(client: TestClient, station: Station, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The station's name as each read path a rider or a map client uses answers it (the feed: how many changes)."""
    def ok(path: str, **params: Any) -> Any:
        reply = client.get(path, params=params, headers=headers)
        assert reply.status_code == 200, (path, reply.status_code, reply.text[:300])
        return reply

    def named(content: bytes) -> str | None:
        return AFTER if AFTER.encode() in content else BEFORE if BEFORE.encode() in content else None

    x, y = tile_of(LON, LAT, 15)
    return {
        "nearest": ok("/api/v1/stations/nearest", lon=LON, lat=LAT).json()["features"][0]["properties"]["name"],
        "station": ok(f"/api/v1/stations/{station.id}").json()["properties"]["name"],
        "viewport": next(feature["properties"]["name"] for feature in ok("/api/v1/stations", bbox=VIEWPORT).json()[
            "features"] if feature["id"] == station.id),
        "ogc": ok(f"/ogc/collections/stations/items/{station.id}").json()["properties"]["name"],
        "tile": named(ok(f"/tiles/15/{x}/{y}.mvt").content),
        "export": named(ok("/api/v1/exports/csv").content),
        "feed": ok("/api/v1/feed/changes").json()["count"],
        "sign_page": ok(f"/s/{station.sign_code}").status_code,  # the page names no station: found is 200
    }


def everywhere(name: str, changes: int) -> dict[str, Any]:
    """What `names` answers when every path sees `name` and the feed `changes` changes."""
    return dict.fromkeys(("nearest", "station", "viewport", "ogc", "tile", "export"), name) | {
        "feed": changes, "sign_page": 200}


def replica_states(client: TestClient) -> list[str]:
    """The replicas' states as /readyz reports them."""
    return [replica["state"] for replica in client.get("/readyz").json()["database"]["replicas"]]


def test_riders_read_the_replica_while_staff_read_their_writes_on_the_primary(
    pair: Replicated, primary: sessionmaker[Session]
) -> None:
    station = committed_station(primary, pair)
    with pair.replay_paused():  # the replica holds the old name: whoever answers with it read the replica
        rename(primary, station)
        with primary() as session, session.begin():
            later = writes.create(session, name="回放暂停后登记的驿站", lon=103.8443, lat=36.0611)
        with TestClient(create_app(app_settings(pair, replica_max_lag_seconds=600))) as client:
            assert names(client, station) == everywhere(BEFORE, 1)
            assert client.get(f"/s/{later.sign_code}").status_code == 404
            staff = {"Authorization": "Bearer staff-token"}
            mine = client.get(f"/api/v1/stations/{station.id}", headers=staff)
            assert mine.json()["properties"]["name"] == AFTER and mine.headers["etag"] == '"2"'
            assert client.get(f"/s/{later.sign_code}", headers=staff).status_code == 200
            assert client.get("/readyz").json()["status"] == "ready"
    pair.caught_up()
    with TestClient(create_app(app_settings(pair, replica_max_lag_seconds=600))) as client:
        assert names(client, station) == everywhere(AFTER, 3)
        assert client.get(f"/s/{later.sign_code}").status_code == 200


def test_a_replica_lagging_past_the_bound_is_skipped_until_it_catches_up(
    pair: Replicated, primary: sessionmaker[Session]
) -> None:
    station = committed_station(primary, pair)
    with TestClient(create_app(app_settings(pair, replica_max_lag_seconds=1))) as client:
        wait_for(lambda: replica_states(client) == ["up"], "the replica checked up")
        with pair.replay_paused():
            rename(primary, station)
            wait_for(lambda: replica_states(client) == ["lagging"], "the replica judged lagging")
            assert names(client, station) == everywhere(AFTER, 2)  # the primary answered
            assert client.get("/readyz").json()["status"] == "ready"
        pair.caught_up()
        wait_for(lambda: replica_states(client) == ["up"], "the replica judged up again")
        assert names(client, station) == everywhere(AFTER, 2)


def test_a_replica_that_is_down_is_skipped(pair: Replicated, primary: sessionmaker[Session]) -> None:
    station = committed_station(primary, pair)
    nobody = f"postgresql://postgres:x@127.0.0.1:{free_port()}/stations"
    with TestClient(create_app(app_settings(pair, replicas=[nobody, pair.url(pair.replica)]))) as client:
        for _ in range(3):  # whichever replica's turn it is, every read is answered
            assert names(client, station) == everywhere(BEFORE, 1)
        wait_for(lambda: replica_states(client) == ["down", "up"], "the dead replica judged down")


def test_with_the_primary_down_riders_still_get_answers(pair: Replicated, primary: sessionmaker[Session]) -> None:
    station = committed_station(primary, pair)
    with TestClient(create_app(app_settings(pair))) as running:
        assert names(running, station) == everywhere(BEFORE, 1)
        with pair.primary_down():
            wait_for(lambda: running.get("/readyz").json().get("status") == "degraded", "readyz degraded")
            assert names(running, station) == everywhere(BEFORE, 1)
            staff = running.get(f"/api/v1/stations/{station.id}", headers={"Authorization": "Bearer staff-token"})
            assert staff.status_code == 200  # primary first for staff, then the replica
            report = running.post(f"/api/v1/stations/{station.id}/reports", json={"kind": "no_water"})
            assert report.status_code == 503 and "try again" in report.json()["detail"]  # writes wait
            with TestClient(create_app(app_settings(pair))) as started_during_the_outage:
                assert names(started_during_the_outage, station) == everywhere(BEFORE, 1)
                wait_for(lambda: "primary" in (started_during_the_outage.get("/readyz").json()["detail"] or ""),
                         "readyz naming the primary down")
