"""Creating stations: validation before anything is written, sign codes, co-located sites."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from stations.db.models import ChangeAction, Site, Station, StationChange
from stations.errors import Conflict, InvalidCoordinates, InvalidHours, InvalidInput, InvalidRegion
from stations.reference import Kind
from stations.services.registry import stations as service
from tests.factories import station_create


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Station)) or 0


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"lon": math.nan}, InvalidCoordinates, "not a number"),
        ({"lon": 36.0611, "lat": 103.8343}, InvalidCoordinates, "swapped"),
        ({"lon": -74.006, "lat": 40.7128}, InvalidCoordinates, "outside China"),
        ({"hours": "早8点到晚6点"}, InvalidHours, "Mo-Su 08:00-18:00"),
        ({"adcode": "999999"}, InvalidRegion, "not a known adcode"),
        ({"amenities": ["按摩椅"]}, InvalidInput, "valid amenities: "),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(
    session: Session, overrides: dict[str, object], error: type[Exception], message: str
) -> None:
    before = _count(session)
    with pytest.raises(error, match=message):
        service.create(session=session, data=station_create(**overrides))
    assert _count(session) == before


def test_amenities_accept_chinese_labels(session: Session) -> None:
    station = service.create(session=session, data=station_create(amenities=["饮水", "手机充电", "饮水"]))
    assert station.amenities == ["drinking_water", "phone_charging"]


def test_sign_codes_are_serial_per_region_and_kind(session: Session) -> None:
    first = service.create(session=session, data=station_create())
    second = service.create(session=session, data=station_create())
    room = service.create(session=session, data=station_create(kind=Kind.MOTHERS_ROOM, amenities=[]))
    assert (first.sign_code, second.sign_code) == ("620102-Y-00001", "620102-Y-00002")
    assert room.sign_code == "620102-M-00001"


def test_given_sign_code_must_be_unique(session: Session) -> None:
    service.create(session=session, data=station_create(sign_code="620102-Y-90000"))
    with pytest.raises(Conflict, match="already used"):
        service.create(session=session, data=station_create(sign_code="620102-Y-90000"))


def test_colocated_functions_share_a_site(session: Session) -> None:
    site = Site(name="示例综合服务点", address="甘肃省兰州市城关区示例路1号", adcode="620102")
    session.add(site)
    session.flush()
    for kind in Kind:
        service.create(session=session, data=station_create(kind=kind, amenities=[], site_id=site.id))
    session.refresh(site)
    assert sorted(s.kind for s in site.stations) == sorted(Kind)


def test_unknown_site_is_rejected(session: Session) -> None:
    with pytest.raises(InvalidInput, match="site 424242 does not exist"):
        service.create(session=session, data=station_create(site_id=424242))


def test_database_refuses_a_malformed_adcode_even_past_the_service(session: Session) -> None:
    station = service.create(session=session, data=station_create())
    station.adcode = "12345X"
    with pytest.raises(IntegrityError, match="adcode_format"):
        session.flush()


def test_stale_version_write_is_detected(session: Session) -> None:
    station = service.create(session=session, data=station_create())
    session.execute(Station.__table__.update().where(Station.id == station.id).values(version=7))
    station.name = "改名"
    with pytest.raises(StaleDataError):
        session.flush()


def test_creation_is_recorded_with_actor_and_public_snapshot(session: Session) -> None:
    station = service.create(session=session, data=station_create(), actor="clerk:620102", reason="新建")
    change = session.scalars(select(StationChange).where(StationChange.station_id == station.id)).one()
    assert (change.action, change.actor, change.reason) == (ChangeAction.CREATE, "clerk:620102", "新建")
    assert change.before is None
    assert change.after is not None
    assert change.after["properties"]["sign_code"] == station.sign_code
    assert change.after["geometry"]["coordinates"] == [103.8343, 36.0611]
