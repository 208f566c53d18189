"""Listing status per provider: recorded in the feed, resync flags, POI-id import, 双上图 coverage."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.reference import ListingStatus, Provider
from stations.services.feeds import feed, listings
from tests.sync import writes


def _list(session: Session, station_id: int, provider: Provider) -> bool:
    station = listings.get_station(session=session, station_id=station_id)
    return listings.set_listing(session=session, station=station, provider=provider, status=ListingStatus.LISTED,
                                poi_id=f"B0{provider.value}{station_id}", synced=True, actor="test")


def test_listing_change_reaches_the_feed_without_touching_the_station(session: Session) -> None:
    station = writes.create(session)
    version, updated = station.version, station.updated_at
    start = feed.head(session=session)
    assert _list(session, station.id, Provider.AMAP)
    assert not _list(session, station.id, Provider.AMAP)  # same again and fresh: nothing recorded
    (entry,) = feed.page(session=session, since=start).data
    assert entry.feature is not None
    amap = next(x for x in entry.feature["properties"]["listings"] if x["provider"] == "amap")
    assert (amap["status"], amap["poi_id"]) == ("listed", f"B0amap{station.id}")
    assert (station.version, station.updated_at) == (version, updated)


def test_station_changed_after_sync_needs_resync(session: Session) -> None:
    station = writes.create(session)
    _list(session, station.id, Provider.BAIDU)
    assert listings.needs_resync(session=session) == []
    # now() is frozen inside the test's one transaction: move the sync an hour back, as if done earlier
    session.execute(text("UPDATE provider_listings SET last_synced_at = last_synced_at - interval '1 hour'"))
    writes.update(session, station, name="新名字")
    session.refresh(station)
    (item,) = listings.needs_resync(session=session)
    assert (item.station_id, item.provider) == (station.id, Provider.BAIDU)
    assert listings.stats(session=session, region="620102").providers[1].needs_resync == 1


def test_coverage_counts_both_amap_and_baidu(session: Session) -> None:
    both, amap_only = writes.create(session), writes.create(session)
    writes.create(session, adcode="110101", address="北京市东城区示例路1号", lon=116.4, lat=39.9)
    for station_id, provider in ((both.id, Provider.AMAP), (both.id, Provider.BAIDU), (amap_only.id, Provider.AMAP)):
        _list(session, station_id, provider)
    stats = listings.stats(session=session, region="620000")
    assert (stats.stations, stats.both_amap_baidu, stats.both_amap_baidu_ratio) == (2, 1, 0.5)
    amap = next(p for p in stats.providers if p.provider is Provider.AMAP)
    assert (amap.listed, amap.not_listed) == (2, 0)
    assert listings.stats(session=session).stations == 3


def test_poi_import_is_all_or_nothing_with_row_errors(session: Session) -> None:
    station = writes.create(session)
    bad = f"sign_code,provider,poi_id,status\n{station.sign_code},amap,B0001,listed\nNOPE,baidu,X,listed\n"
    report = listings.import_poi_ids(session=session, text=bad, actor="test")
    assert report.updated == 0 and report.errors == ["line 3: no live station has sign code 'NOPE'"]
    good = f"\ufeffsign_code,provider,poi_id\n{station.sign_code},amap,B0001\n{station.sign_code},baidu,9876\n"
    assert listings.import_poi_ids(session=session, text=good, actor="test").updated == 2
    assert listings.import_poi_ids(session=session, text=good, actor="test").unchanged == 2
    assert listings.stats(session=session).both_amap_baidu == 1
