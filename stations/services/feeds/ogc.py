"""OGC API - Features Part 1 documents for the one collection, `stations` (live stations only).

Paging is keyset on id: the `next` link carries `after=<last id>`, so deep pages cost the same as the
first and a page never repeats or skips a station when others are added meanwhile (offset paging would).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy.orm import Session

from stations.db.statements import StatementReads
from stations.db.sync_queries import COLLECTION_EXTENT, ITEMS_COUNT, ITEMS_PAGE, ITEMS_TOTAL, LISTINGS_OF, LIVE_ITEM
from stations.errors import NotFound
from stations.services.feeds.ogc_params import ItemsQuery
from stations.services.feeds.writing import written
from stations.services.registry.public import row_to_json

Doc = dict[str, Any]
JSON, GEOJSON = "application/json", "application/geo+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
COLLECTION_ID = "stations"
MATCH_CAP = 10_000
"""numberMatched is counted up to this many; a page matching more leaves it out (OGC API Features allows that)."""


def _link(href: str, rel: str, media: str = JSON, title: str | None = None) -> Doc:
    return {"href": href, "rel": rel, "type": media, **({"title": title} if title else {})}


def landing(*, base: str) -> Doc:
    """The landing page: where the API description, conformance and collections are."""
    return {
        "title": "Stations · 工会服务阵地地图",
        "description": "China's trade-union service points (工会驿站, 爱心妈妈小屋, 职工书屋), WGS-84.",
        "links": [
            _link(f"{base}/ogc", "self", title="this document"),
            _link(f"{base}/openapi.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0"),
            _link(f"{base}/docs", "service-doc", "text/html"),
            _link(f"{base}/ogc/conformance", "conformance"),
            _link(f"{base}/ogc/collections", "data"),
        ],
    }


def conformance() -> Doc:
    """The conformance classes we implement."""
    return {"conformsTo": CONFORMANCE}


def collection(*, session: Session, base: str) -> Doc:
    """The stations collection with its extent computed from the live stations."""
    url = f"{base}/ogc/collections/{COLLECTION_ID}"
    west, south, east, north, first, last = session.execute(COLLECTION_EXTENT).one()
    extent: Doc = {}
    if west is not None:
        extent["spatial"] = {"bbox": [[west, south, east, north]], "crs": CRS84}
        extent["temporal"] = {"interval": [[_iso(first), _iso(last)]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    return {
        "id": COLLECTION_ID,
        "title": "Union service stations",
        "description": "Outdoor worker stations, mothers' rooms and reading rooms; datetime filters the last change.",
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "links": [_link(url, "self"), _link(f"{url}/items", "items", GEOJSON, "the stations")],
    }


def collections(*, session: Session, base: str) -> Doc:
    """The list of collections (just one)."""
    return {
        "links": [_link(f"{base}/ogc/collections", "self")],
        "collections": [collection(session=session, base=base)],
    }


async def items(*, reads: StatementReads, base: str, query: ItemsQuery, params: dict[str, str]) -> Doc:
    """One page of features matching the query, with numberMatched and a keyset `next` link."""
    bound = _bind(query)
    rows = await reads(ITEMS_PAGE, {**bound, "after": query.after, "limit": query.limit})
    filtered = query.bbox is not None or query.kinds or query.start is not None or query.end is not None
    counted = await (reads(ITEMS_COUNT, {**bound, "cap": MATCH_CAP + 1}) if filtered else reads(ITEMS_TOTAL, {}))
    matched: int | None = int(counted[0]["matched"])
    if filtered and matched is not None and matched > MATCH_CAP:
        matched = None
    listings = await _listings(reads, rows)
    features = await written(len(rows), _features, rows, listings, base)
    url = f"{base}/ogc/collections/{COLLECTION_ID}/items"
    links = [_link(_with(url, params), "self", GEOJSON), _link(f"{base}/ogc/collections/{COLLECTION_ID}", "collection")]
    if len(rows) == query.limit:
        links.append(_link(_with(url, {**params, "after": str(rows[-1]["id"])}), "next", GEOJSON, "next page"))
    page: Doc = {"type": "FeatureCollection", "features": features}
    if matched is not None:
        page["numberMatched"] = matched
    return page | {"numberReturned": len(features), "timeStamp": _iso(datetime.now(UTC)), "links": links}


async def item(*, reads: StatementReads, base: str, feature_id: str) -> orjson.Fragment:
    """One live station as a Feature (written as JSON), or NotFound."""
    numeric = feature_id.isascii() and feature_id.isdigit() and len(feature_id) < 19  # "²" is a digit to isdigit
    found = await reads(LIVE_ITEM, {"id": int(feature_id)}) if numeric else []
    if not found:
        raise NotFound(f"no station with id {feature_id} in collection {COLLECTION_ID}")
    return _features(found, await _listings(reads, found), base)[0]


async def _listings(reads: StatementReads, rows: Sequence[Mapping[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Each station's listings (in `Station.listings` order, by provider), read in one statement."""
    listings: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    if rows:
        for listing in await reads(LISTINGS_OF, {"ids": list(listings)}):
            listings[listing["station_id"]].append(dict(listing))
    return listings


def _features(rows: Sequence[Mapping[str, Any]], listings: dict[int, list[dict[str, Any]]],
              base: str) -> list[orjson.Fragment]:
    """These stations' Features (`to_public`'s JSON, written from the rows: `row_to_json`), each with its links, for
    the page's orjson to embed."""
    url = f"{base}/ogc/collections/{COLLECTION_ID}"
    return [orjson.Fragment(row_to_json(row, listings[row["id"]], tail=b',"links":' + orjson.dumps(
        [_link(f"{url}/items/{row['id']}", "self", GEOJSON), _link(url, "collection")]))) for row in rows]


def _bind(query: ItemsQuery) -> dict[str, Any]:
    west, south, east, north = query.bbox or (None, None, None, None)
    return {"west": west, "south": south, "east": east, "north": north, "kinds": query.kinds,
            "start": query.start, "end": query.end}


def _with(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None
