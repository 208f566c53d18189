"""Registry service: read and create stations, shape them for the public."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import registry_queries as queries
from stations.db.models import ChangeAction, ProviderListing, Site, Station
from stations.errors import Conflict, InvalidInput, NotFound, StaleVersion
from stations.geo.crs import Crs, to_wgs84
from stations.geo.shapes import lonlat, point_element
from stations.geo.validation import validate_lonlat
from stations.hours import SHANGHAI, parse_hours
from stations.reference import Kind, ListingStatus, Provider, amenity_by_label, amenity_codes
from stations.regions import PROVINCES, province_of, validate_adcode
from stations.schemas.station import StationBase, StationCreate
from stations.schemas.station_write import StationUpdate
from stations.services.registry import changes, signcodes
from stations.services.staff import auth
from stations.services.trust import facts, quality


def get(*, session: Session, station_id: int) -> Station:
    """The live (not deleted) station with this id, or NotFound."""
    station = queries.live_station(session=session, station_id=station_id)
    if station is None:
        raise NotFound(f"no station with id {station_id}")
    return station


def in_region(*, session: Session, prefix: str, kind: str | None = None, limit: int) -> list[Station]:
    """Live stations whose adcode starts with `prefix` (of one kind if given), by sign code, at most `limit`."""
    return queries.in_region(session=session, prefix=prefix, kind=kind, limit=limit)


def search(*, session: Session, prefix: str, words: str = "", kind: str = "", status: str = "",
           limit: int, worst_first: bool = False) -> tuple[int, list[Station]]:
    """Live stations in `prefix` whose name, address or sign code holds `words`, filtered: how many, and the first
    `limit` by sign code or, `worst_first`, by quality score (the staff list)."""
    return queries.search(session=session, prefix=prefix, text_=words, kind=kind, status=status, limit=limit,
                          worst_first=worst_first)


def create(*, session: Session, data: StationCreate, actor: str = "system", reason: str | None = None) -> Station:
    """Validate and insert a station (new sign code unless given) and record the change; never commits."""
    lon, lat = validate_lonlat(data.lon, data.lat, crs=data.crs)
    check_point(adcode=validate_adcode(data.adcode), lon=lon, lat=lat, crs=data.crs)
    parse_hours(data.hours)
    if data.self_service_hours:
        parse_hours(data.self_service_hours)
    data = data.model_copy(update={
        "lon": lon, "lat": lat, "adcode": validate_adcode(data.adcode),
        "amenities": normalise_amenities(kind=data.kind, amenities=data.amenities),
    })
    station = build(data, sign_code=_sign_code(session=session, data=data))
    if data.site_id is not None and session.get(Site, data.site_id) is None:
        raise InvalidInput(f"site {data.site_id} does not exist; leave site_id empty to create a lone station")
    session.add(station)
    session.flush()
    quality.refresh(session=session, now=_now(), ids=[station.id])
    session.refresh(station)
    changes.record(session=session, station=station, action=ChangeAction.CREATE, actor=actor, reason=reason)
    return station


def _now() -> datetime:
    """Now in Beijing (check dates and scores are Beijing dates)."""
    return datetime.now(SHANGHAI)


def build(data: StationCreate, *, sign_code: str) -> Station:
    """A new Station from a validated request: WGS-84 geometry, original coordinates kept, unlisted everywhere.

    Not added to any session: `create` inserts one at a time (the importer drafts `columns` for bulk.draft).
    """
    return Station(**columns(data, sign_code=sign_code),
                   listings=[ProviderListing(provider=p, status=ListingStatus.NOT_LISTED) for p in Provider])


def columns(data: StationCreate, *, sign_code: str) -> dict[str, Any]:
    """The column values `build` gives a new station."""
    wgs84 = data.crs is Crs.WGS84
    return {**data.model_dump(exclude={"lon", "lat", "crs", "sign_code"}),
            "geom": point_element(*to_wgs84(data.lon, data.lat, data.crs)), "source_crs": data.crs,
            "source_lon": None if wgs84 else data.lon, "source_lat": None if wgs84 else data.lat,
            "sign_code": sign_code}


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
    code = signcodes.check(data.sign_code, adcode=data.adcode, kind=data.kind)
    if queries.sign_code_taken(session=session, code=code):
        raise Conflict(f"sign code {code} is already used by another station; sign codes are unique")
    return code


def check_point(*, adcode: str, lon: float, lat: float, crs: Crs = Crs.WGS84) -> None:
    """InvalidInput (in Chinese) if the point lies outside the region its code names (see divisions.point_in)."""
    wgs_lon, wgs_lat = to_wgs84(lon, lat, crs)
    if divisions.point_in(adcode, wgs_lon, wgs_lat):
        return
    where = divisions.locate(wgs_lon, wgs_lat)
    there = f"，而在 {divisions.full_name(where)} ({where})" if where else ""
    km = divisions.distance_outside_m(adcode, wgs_lon, wgs_lat) / 1000
    raise InvalidInput(
        f"坐标 ({lon:.6f}, {lat:.6f}, {crs.value}) 不在 {divisions.full_name(adcode)} ({adcode}) 境内{there}，"
        f"距其边界约 {km:,.1f} 公里：请核对经纬度、坐标系和行政区划代码 (the point lies outside region {adcode})"
    )


# --- staff writes (issue 5): update, delete, restore; each checks the writer's region scope ---

_PROVINCE_SHORT = {code: name.removesuffix("省").removesuffix("市")[:3] for code, name in PROVINCES.items()}
_PROVINCE_SHORT.update(
    {"15": "内蒙古", "45": "广西", "54": "西藏", "64": "宁夏", "65": "新疆", "81": "香港", "82": "澳门"}
)
_STREET_WORDS = "路街道巷大广饭宾酒"  # 北京路, 上海街, 天津大厦... are streets and buildings, not provinces


def _names_province(text: str, code: str) -> bool:
    """True if the text begins with the province's full name, or its short name used as a province."""
    short = _PROVINCE_SHORT[code]
    if text.startswith(PROVINCES[code]):
        return True
    return text.startswith(short) and len(text) > len(short) and text[len(short)] not in _STREET_WORDS


def check_address(*, address: str, adcode: str) -> None:
    """InvalidInput if the address starts with a province other than the region code's."""
    text = address.strip()
    for code in PROVINCES:
        if code != adcode[:2] and _names_province(text, code):
            raise InvalidInput(
                f"address starts with {PROVINCES[code]} but region code {adcode} is in {province_of(adcode)}: "
                "fix the address or the region code"
            )


def check_placement(*, adcode: str, address: str, scope: str, what: str = "the new station") -> str:
    """The normalised region code of a new station; Forbidden outside `scope`, InvalidInput on a mismatched address."""
    adcode = validate_adcode(adcode)
    auth.ensure_in_scope(scope, adcode, what=what)
    check_address(address=address, adcode=adcode)
    return adcode


def register(*, session: Session, data: StationCreate, actor: str, scope: str) -> Station:
    """Create a station on a writer's behalf: inside their region, with an address in its province."""
    check_placement(adcode=data.adcode, address=data.address, scope=scope)
    return create(session=session, data=data, actor=actor)


def get_for_write(*, session: Session, station_id: int, scope: str = "", deleted: bool = False) -> Station:
    """The station row-locked for a write, or NotFound; Forbidden outside the writer's scope."""
    station = queries.station_for_update(session=session, station_id=station_id)
    if station is None or (station.deleted_at is not None and not deleted):
        raise NotFound(f"no station with id {station_id}")
    auth.ensure_in_scope(scope, station.adcode)
    return station


def _check_version(station: Station, expected_version: int | None) -> None:
    if expected_version is not None and station.version != expected_version:
        raise StaleVersion(
            f"station {station.id} was changed by someone else: you edited version {expected_version}, "
            f"the current version is {station.version}; reload, reapply your change and send If-Match again",
            current_version=station.version, current=changes.snapshot(station),
        )


def _apply(*, session: Session, station: Station, values: dict[str, Any], scope: str) -> None:
    """Validate and set changed fields (coordinates in their stated system) on a station."""
    crs = Crs(values.pop("crs", Crs.WGS84))
    lon, lat = values.pop("lon", None), values.pop("lat", None)
    if "adcode" in values:
        values["adcode"] = validate_adcode(values["adcode"])
        auth.ensure_in_scope(scope, values["adcode"], what="the new region")
    for field in ("hours", "self_service_hours"):
        if values.get(field):
            parse_hours(values[field])
    kind = Kind(values.get("kind", station.kind))
    if "amenities" in values or "kind" in values:
        values["amenities"] = normalise_amenities(kind=kind, amenities=values.get("amenities", station.amenities))
    check_address(address=values.get("address", station.address), adcode=values.get("adcode", station.adcode))
    if values.get("site_id") is not None and session.get(Site, values["site_id"]) is None:
        raise InvalidInput(f"site {values['site_id']} does not exist")
    if lon is not None and lat is not None:
        lon, lat = validate_lonlat(lon, lat, crs=crs)
    _check_place(station, adcode=values.get("adcode", station.adcode), given=None if lon is None else (lon, lat, crs))
    if lon is not None and lat is not None:
        station.geom = point_element(*to_wgs84(lon, lat, crs))
        station.source_crs = crs
        station.source_lon, station.source_lat = (None, None) if crs is Crs.WGS84 else (lon, lat)
    for field, value in values.items():
        if getattr(station, field) != value:
            setattr(station, field, value)


def _check_place(station: Station, *, adcode: str, given: tuple[float, float, Crs] | None) -> None:
    """check_point when a write changes the region code or the point (what is stored is not judged again)."""
    before = (station.adcode, lonlat(station.geom))
    lon, lat, crs = given if given is not None else (*before[1], Crs.WGS84)
    if (adcode, to_wgs84(lon, lat, crs)) != before:
        check_point(adcode=adcode, lon=lon, lat=lat, crs=crs)


def update(
    *, session: Session, station_id: int, data: StationUpdate, expected_version: int, actor: str,
    scope: str = "",
) -> Station:
    """Change a station if `expected_version` is current (else StaleVersion) and record the change."""
    station = get_for_write(session=session, station_id=station_id, scope=scope)
    _check_version(station, expected_version)
    before = changes.snapshot(station)
    values = data.model_dump(exclude_unset=True, exclude={"reason"})
    if "lon" in values:
        values["crs"] = data.crs
    _apply(session=session, station=station, values=values, scope=scope)
    if not session.is_modified(station):
        return station
    facts.stamp_edited(station, today=_now().date())  # a fact a clerk changed is a fact checked today
    session.flush()
    quality.refresh(session=session, now=_now(), ids=[station.id])
    session.refresh(station)
    changes.record(
        session=session, station=station, action=ChangeAction.UPDATE, actor=actor, reason=data.reason, before=before
    )
    return station


def delete(
    *, session: Session, station_id: int, reason: str, actor: str, scope: str = "",
    expected_version: int | None = None,
) -> Station:
    """Soft-delete: keep the row, set deleted_at and the reason, record a delete change."""
    station = get_for_write(session=session, station_id=station_id, scope=scope)
    _check_version(station, expected_version)
    before = changes.snapshot(station)
    station.deleted_at, station.deleted_reason = datetime.now(UTC), reason
    session.flush()
    changes.record(
        session=session, station=station, action=ChangeAction.DELETE, actor=actor, reason=reason, before=before
    )
    return station


def restore(
    *, session: Session, station_id: int, version: int, actor: str, scope: str = "", reason: str | None = None
) -> Station:
    """Bring back the fields of a former version (undeleting if needed), recorded as a restore change."""
    station = get_for_write(session=session, station_id=station_id, scope=scope, deleted=True)
    if station.merged_into is not None:  # its id, sign code and QR page redirect to the survivor now
        raise Conflict(f"站点 #{station.id} 已合并到 #{station.merged_into}，不能恢复；请修改 #{station.merged_into} "
                       f"(station {station.id} was merged into {station.merged_into})")
    former = _snapshot_of(session=session, station_id=station_id, version=version)
    before = changes.snapshot(station)
    props = former["properties"]
    values = StationBase.model_validate(props).model_dump()
    source = props.get("source_coordinates")
    lon, lat = source if source else former["geometry"]["coordinates"]
    values |= {"lon": lon, "lat": lat, "crs": props.get("source_crs", "wgs84"), "site_id": props.get("site_id")}
    _apply(session=session, station=station, values=values, scope=scope)
    station.deleted_at, station.deleted_reason = None, None
    if session.is_modified(station):
        session.flush()
    changes.record(
        session=session, station=station, action=ChangeAction.RESTORE, actor=actor, before=before,
        reason=reason or f"restored version {version}",
    )
    return station


def _snapshot_of(*, session: Session, station_id: int, version: int) -> dict[str, Any]:
    """The stored snapshot of a station at `version`, or NotFound."""
    after = queries.snapshot(session=session, station_id=station_id, version=version)
    if after is None:
        raise NotFound(f"station {station_id} has no recorded version {version}: see its history")
    return after
