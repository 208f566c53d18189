"""Station pages and OGC pages write each Feature from its row (`row_to_json`) instead of through the pydantic model:
the bytes must be the ones the model writes (`to_public`, from the ORM object), for every kind of station."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import Station, StationChange
from stations.geo.crs import Crs
from stations.geo.shapes import lonlat
from stations.services.registry.public import live_public_json, row_to_json, to_public
from stations.services.registry.seed import seed_demo
from tests.support import awaited, session_reads
from tests.sync import writes


def _written_both_ways(session: Session, station_id: int, lang: str) -> tuple[bytes, bytes]:
    """What a station page sends, and what pydantic writes for the station's model."""
    ours, _ = awaited(live_public_json(reads=session_reads(session), station_id=station_id, lang=lang))
    model = to_public(session.get_one(Station, station_id), lang=lang)
    return ours, model.__pydantic_serializer__.to_json(model)


def test_a_feature_written_from_its_row_is_the_models_bytes(session: Session) -> None:
    seed_demo(connection=session.connection(), count=300, seed=21)
    ids = list(session.scalars(select(Station.id).where(Station.is_synthetic, Station.deleted_at.is_(None))))
    assert len(ids) == 300
    for station_id in ids:
        for lang in ("zh", "en"):
            ours, model = _written_both_ways(session, station_id, lang)
            assert ours == model, station_id


def test_a_clerks_own_coordinates_and_area_are_written_alike(session: Session) -> None:
    station = writes.create(session, lon=116.4039, lat=39.9151, crs=Crs.GCJ02, area_m2=12.5, self_service_hours="24/7")
    ours, model = _written_both_ways(session, station.id, "zh")
    assert ours == model
    assert b'"source_coordinates":[116.4039,39.9151]' in ours and b'"area_m2":12.5' in ours


def test_a_bulk_writes_snapshot_is_the_models(session: Session) -> None:
    """The bulk writer's change snapshots are written from the drafts' values (`row_to_json`): the model's bytes, for
    demo stations and for a clerk's station with its own coordinates and area."""
    seed_demo(connection=session.connection(), count=50, seed=5)
    gcj = writes.create(session, lon=116.4039, lat=39.9151, crs=Crs.GCJ02, area_m2=7.5)
    seeded = list(session.scalars(select(Station).where(Station.is_synthetic)))
    for station in [*seeded, gcj]:
        model = to_public(station)
        values = {column.key: getattr(station, column.key) for column in Station.__table__.columns}
        listings = [{"provider": ls.provider, "status": ls.status, "poi_id": ls.poi_id,
                     "last_synced_at": ls.last_synced_at} for ls in station.listings]
        lon, lat = lonlat(station.geom)
        assert row_to_json(values | {"lon": lon, "lat": lat}, listings) == model.__pydantic_serializer__.to_json(model)
    stored = dict(session.execute(select(StationChange.station_id, StationChange.after)
                                  .where(StationChange.station_id.in_([s.id for s in seeded]))).all())
    assert stored == {s.id: to_public(s).model_dump(mode="json") for s in seeded}  # written before the insert
