"""Registry service: read and create stations, shape them for the public."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stations.db.models import ChangeAction, ProviderListing, Site, Station
from stations.errors import Conflict, InvalidInput, NotFound
from stations.geo.crs import Crs, to_wgs84
from stations.geo.shapes import point_element
from stations.geo.validation import validate_lonlat
from stations.hours import parse_hours
from stations.reference import Kind, Provider, amenity_by_label, amenity_codes
from stations.regions import validate_adcode
from stations.schemas.station import StationCreate
from stations.services import changes, signcodes


def get(*, session: Session, station_id: int) -> Station:
    """The live (not deleted) station with this id, or NotFound."""
    station = session.scalars(
        select(Station)
        .where(Station.id == station_id, Station.deleted_at.is_(None))
        .options(selectinload(Station.listings))
    ).one_or_none()
    if station is None:
        raise NotFound(f"no station with id {station_id}")
    return station


def create(*, session: Session, data: StationCreate, actor: str = "system", reason: str | None = None) -> Station:
    """Validate and insert a station (new sign code unless given) and record the change; never commits."""
    lon, lat = validate_lonlat(data.lon, data.lat, crs=data.crs)
    wgs_lon, wgs_lat = to_wgs84(lon, lat, data.crs)
    parse_hours(data.hours)
    if data.self_service_hours:
        parse_hours(data.self_service_hours)
    values = data.model_dump(exclude={"lon", "lat", "crs", "sign_code", "amenities", "adcode"})
    station = Station(
        **values,
        adcode=validate_adcode(data.adcode),
        amenities=normalise_amenities(kind=data.kind, amenities=data.amenities),
        geom=point_element(wgs_lon, wgs_lat),
        source_crs=data.crs,
        source_lon=None if data.crs is Crs.WGS84 else lon,
        source_lat=None if data.crs is Crs.WGS84 else lat,
        sign_code=_sign_code(session=session, data=data),
        listings=[ProviderListing(provider=p) for p in Provider],
    )
    if data.site_id is not None and session.get(Site, data.site_id) is None:
        raise InvalidInput(f"site {data.site_id} does not exist; leave site_id empty to create a lone station")
    session.add(station)
    session.flush()
    changes.record(session=session, station=station, action=ChangeAction.CREATE, actor=actor, reason=reason)
    return station


def normalise_amenities(*, kind: Kind, amenities: list[str]) -> list[str]:
    """Amenity codes for the kind from codes or labels; InvalidInput lists the valid ones."""
    codes: list[str] = []
    for given in amenities:
        term = amenity_by_label(kind, given)
        if term is None:
            valid = ", ".join(sorted(amenity_codes(kind)))
            raise InvalidInput(f"unknown amenity {given!r} for {kind.value}; valid amenities: {valid}")
        if term.code not in codes:
            codes.append(term.code)
    return codes


def _sign_code(*, session: Session, data: StationCreate) -> str:
    if data.sign_code is None:
        return signcodes.allocate(session=session, adcode=validate_adcode(data.adcode), kind=data.kind)[0]
    if session.scalar(select(Station.id).where(Station.sign_code == data.sign_code)) is not None:
        raise Conflict(f"sign code {data.sign_code} is already used by another station; sign codes are unique")
    return data.sign_code
