"""OGC API - Features Part 1 at /ogc: documents, filters, keyset paging, 400s as the standard asks."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import Station
from stations.reference import Kind
from stations.services.feeds import ogc
from stations.services.registry.public import to_public
from tests.sync import writes

ITEMS = "/ogc/collections/stations/items"


def test_landing_conformance_and_collection(client: TestClient, session: Session) -> None:
    writes.create(session)
    writes.create(session, lon=103.9, lat=36.1)
    rels = {link["rel"] for link in client.get("/ogc").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert any(c.endswith("/conf/geojson") for c in classes) and any(c.endswith("/conf/oas30") for c in classes)
    collection = client.get("/ogc/collections").json()["collections"][0]
    assert collection["id"] == "stations"
    assert collection["extent"]["spatial"]["bbox"] == [[103.8343, 36.0611, 103.9, 36.1]]
    assert collection["extent"]["spatial"]["crs"].endswith("CRS84")


def test_items_are_geojson_with_counts_and_next_links(client: TestClient, session: Session) -> None:
    ids = [writes.create(session).id for _ in range(5)]
    reply = client.get(ITEMS, params={"limit": 2})
    assert reply.headers["content-type"].startswith("application/geo+json")
    page = reply.json()
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    seen = [f["id"] for f in page["features"]]
    while next_link := next((lk["href"] for lk in page["links"] if lk["rel"] == "next"), None):
        page = client.get(next_link).json()
        seen += [f["id"] for f in page["features"]]
    assert seen == ids


def test_a_filtered_count_beyond_the_cap_leaves_number_matched_out(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        writes.create(session)
    monkeypatch.setattr(ogc, "MATCH_CAP", 2)
    assert "numberMatched" not in client.get(ITEMS, params={"bbox": "103,35,105,37"}).json()
    assert client.get(ITEMS, params={"bbox": "103,35,105,37", "limit": 1}).json()["numberReturned"] == 1
    assert client.get(ITEMS).json()["numberMatched"] == 3  # unfiltered: the aggregates' exact total


def test_deleted_stations_are_not_served(client: TestClient, session: Session) -> None:
    gone = writes.delete(session, writes.create(session), reason="撤站")
    assert client.get(ITEMS).json()["numberMatched"] == 0
    assert client.get(f"{ITEMS}/{gone.id}").status_code == 404


def test_bbox_kind_and_datetime_filters(client: TestClient, session: Session) -> None:
    near = writes.create(session)
    writes.create(session, lon=104.5, lat=36.5, kind=Kind.READING_ROOM, amenities=[])
    in_box = client.get(ITEMS, params={"bbox": "103.8,36.0,103.9,36.1"}).json()
    assert [f["id"] for f in in_box["features"]] == [near.id]
    rooms = client.get(ITEMS, params={"kind": "reading_room"}).json()
    assert rooms["numberMatched"] == 1 and rooms["features"][0]["properties"]["kind"] == "reading_room"
    assert client.get(ITEMS, params={"datetime": "2000-01-01T00:00:00Z/2001-01-01T00:00:00Z"}).json()[
        "numberMatched"] == 0
    assert client.get(ITEMS, params={"datetime": "2000-01-01T00:00:00Z/.."}).json()["numberMatched"] == 2


def test_one_item_with_links(client: TestClient, session: Session) -> None:
    station = writes.create(session)
    feature = client.get(f"{ITEMS}/{station.id}").json()
    assert feature["id"] == station.id and feature["geometry"]["coordinates"] == [103.8343, 36.0611]
    assert {link["rel"] for link in feature["links"]} == {"self", "collection"}
    assert client.get(f"{ITEMS}/abc").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "unknown parameter(s) colour"),
        ({"limit": "0"}, "limit must be between 1 and 10000"),
        ({"limit": "10001"}, "limit must be between 1 and 10000"),
        ({"limit": "ten"}, "whole number"),
        ({"bbox": "1,2,3"}, "4 numbers"),
        ({"bbox": "104,37,103,36"}, "south above north"),
        ({"bbox": "104,36,103,37"}, "antimeridian"),
        ({"kind": "toilet"}, "valid kinds"),
        ({"datetime": "yesterday"}, "RFC 3339"),
        ({"datetime": "2026-11-25T08:00:00"}, "time zone"),
        ({"datetime": "../.."}, "at least one bound"),
        ({"f": "html"}, "only GeoJSON"),
    ],
)
def test_bad_parameters_are_400_with_a_reason(client: TestClient, params: dict[str, str], message: str) -> None:
    reply = client.get(ITEMS, params=params)
    assert reply.status_code == 400
    assert message in reply.json()["detail"]


def test_a_page_holds_each_station_as_its_own_page_shows_it(client: TestClient, session: Session) -> None:
    """Items and station pages are shaped from rows, writes and the feed's snapshots from ORM objects
    (`to_public`): the same Feature every way (plus links on items)."""
    plain = writes.create(session)
    bare = writes.create(session, lon=103.85, lat=36.08)
    for listing in list(bare.listings):
        session.delete(listing)
    session.flush()
    shifted = writes.create(session, lon=103.84, lat=36.07, crs="gcj02", area_m2=12.5, capacity=8, phone="0931-1",
                            self_service_hours="Mo-Su 00:00-24:00", access_methods=["qr_scan"], photos=["a.jpg"])
    writes.update(session, shifted, status_reason="装修中", hours="Mo-Fr 09:00-17:00")
    page = client.get(ITEMS, params={"limit": 10}).json()
    assert [f["id"] for f in page["features"]] == [plain.id, bare.id, shifted.id]
    for feature in page["features"]:
        links = feature.pop("links")
        assert {link["rel"] for link in links} == {"self", "collection"}
        station = session.get(Station, feature["id"])
        assert station is not None
        session.refresh(station)
        assert feature == to_public(station).model_dump(mode="json")
        assert feature == client.get(f"/api/v1/stations/{feature['id']}").json()
        assert client.get(f"{ITEMS}/{feature['id']}").json() == feature | {"links": links}
        english = client.get(f"/api/v1/stations/{feature['id']}", params={"lang": "en"}).json()
        assert english == to_public(station, lang="en").model_dump(mode="json")
    assert [bool(f["properties"]["listings"]) for f in page["features"]] == [True, False, True]
    assert page["features"][2]["properties"]["source_coordinates"] is not None
