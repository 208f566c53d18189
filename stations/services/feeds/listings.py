"""Per-provider listing status (not listed / submitted / listed / rejected), resync flags, 双上图 coverage.

A listing change is public (it is in the station's Feature), so it is recorded as an `update` change
and reaches the feed and webhooks; it does not touch the station's updated_at or version, so marking
a listing synced never makes the station look changed again.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from stations.db import registry_queries
from stations.db.models import ChangeAction, ProviderListing, Station
from stations.db.sync_queries import LISTING_COUNTS, LISTING_TOTALS, NEEDS_RESYNC
from stations.errors import InvalidInput, NotFound
from stations.reference import ListingStatus, Provider
from stations.regions import region_prefix
from stations.schemas.listings import ImportReport, ListingStats, ProviderCoverage, ResyncItem
from stations.services.registry import changes
from stations.services.staff import auth

IMPORT_COLUMNS = ("sign_code", "provider", "poi_id", "status")


def set_listing(
    *, session: Session, station: Station, provider: Provider, status: ListingStatus, poi_id: str | None,
    synced: bool, actor: str, scope: str = "",
) -> bool:
    """Set one listing and record the change; False (nothing written) when it is already so and fresh."""
    auth.ensure_in_scope(scope, station.adcode)
    listing = next((item for item in station.listings if item.provider == provider), None)
    if listing is None:
        listing = ProviderListing(provider=provider, status=ListingStatus.NOT_LISTED)
        station.listings.append(listing)
    new_poi = poi_id if poi_id is not None else listing.poi_id
    changed = (listing.status, listing.poi_id) != (status, new_poi)
    stale = listing.last_synced_at is None or station.updated_at > listing.last_synced_at
    stamp = synced and status in (ListingStatus.LISTED, ListingStatus.SUBMITTED) and (changed or stale)
    if not changed and not stamp:
        return False
    before = changes.snapshot(station)
    listing.status, listing.poi_id = status, new_poi
    if stamp:
        listing.last_synced_at = datetime.now(UTC)
    session.flush()
    changes.record(
        session=session, station=station, action=ChangeAction.UPDATE, actor=actor, before=before,
        reason=f"listing on {provider.value}: {status.value}",
    )
    return True


def import_poi_ids(*, session: Session, text: str, actor: str, scope: str = "") -> ImportReport:
    """Apply a CSV of sign_code, provider, poi_id[, status]; all or nothing, every bad row reported."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in IMPORT_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            f"the CSV needs a header row with {', '.join(IMPORT_COLUMNS)}; missing: {', '.join(missing)}"
        )
    rows = list(reader)
    codes = {row["sign_code"].strip() for row in rows if row.get("sign_code")}
    stations = registry_queries.live_by_sign_codes(session=session, codes=sorted(codes))
    errors, planned = _plan(rows, stations, scope)
    if errors:
        return ImportReport(rows=len(rows), updated=0, unchanged=0, errors=errors)
    updated = sum(
        set_listing(session=session, station=station, provider=provider, status=status, poi_id=poi_id,
                    synced=True, actor=actor, scope=scope)
        for station, provider, status, poi_id in planned
    )
    return ImportReport(rows=len(rows), updated=updated, unchanged=len(rows) - updated, errors=[])


Planned = list[tuple[Station, Provider, ListingStatus, str]]


def _plan(rows: list[dict[str, str]], stations: dict[str, Station], scope: str) -> tuple[list[str], Planned]:
    errors: list[str] = []
    planned: Planned = []
    for line, row in enumerate(rows, start=2):
        code, poi_id = (row.get("sign_code") or "").strip(), (row.get("poi_id") or "").strip()
        try:
            provider = Provider((row.get("provider") or "").strip().lower())
            status = ListingStatus((row.get("status") or "listed").strip().lower())
        except ValueError:
            errors.append(f"line {line}: provider must be one of amap, baidu, tencent and status one of "
                          f"{', '.join(s.value for s in ListingStatus)}")
            continue
        station = stations.get(code)
        if station is None:
            errors.append(f"line {line}: no live station has sign code {code!r}")
        elif not poi_id:
            errors.append(f"line {line}: poi_id is empty")
        elif not station.adcode.startswith(scope):
            errors.append(f"line {line}: station {code} is outside your region {scope}")
        else:
            planned.append((station, provider, status, poi_id))
    return errors, planned


def get_station(*, session: Session, station_id: int) -> Station:
    """A live station for a listing change, or NotFound."""
    station = session.get(Station, station_id)
    if station is None or station.deleted_at is not None:
        raise NotFound(f"no station with id {station_id}")
    return station


def stats(*, session: Session, region: str | None = None) -> ListingStats:
    """Coverage of a region: counts per provider and status, stale listings, and 双上图."""
    prefix = region_prefix(region)
    coverage = {p: ProviderCoverage(provider=p) for p in Provider}
    for row in session.execute(LISTING_COUNTS, {"region": prefix}):
        entry = coverage[Provider(row.provider)]
        setattr(entry, row.status, row.n)
        entry.needs_resync += row.stale
    total, both = session.execute(LISTING_TOTALS, {"region": prefix}).one()
    return ListingStats(region=region, stations=total, both_amap_baidu=both,
                        both_amap_baidu_ratio=round(both / total, 4) if total else 0.0,
                        providers=list(coverage.values()))


def needs_resync(
    *, session: Session, region: str | None = None, provider: Provider | None = None, after: int = 0, limit: int = 100
) -> list[ResyncItem]:
    """Listings whose station changed after the provider last got it (keyset by station id)."""
    params = {"region": region_prefix(region), "provider": provider.value if provider else None,
              "after": after, "limit": limit}
    return [ResyncItem(station_id=r.id, **{k: v for k, v in r._mapping.items() if k != "id"})
            for r in session.execute(NEEDS_RESYNC, params)]
