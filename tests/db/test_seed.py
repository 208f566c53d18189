"""Bulk demo seeding with COPY and the hand-made sample loader, on real PostGIS."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, ProviderListing, Site, Station, StationChange
from stations.errors import InvalidInput, InvalidRegion
from stations.geo.geodesy import distance_m
from stations.geo.validation import in_china
from stations.reference import SIGN_KIND_LETTER, DemonstrationLevel, Kind, ListingStatus, Provider
from stations.services.registry import bulk, bulk_rows, changes, signcodes
from stations.services.registry import seed as seeding
from stations.services.registry.demo import generate, load_cities
from stations.services.registry.public import to_public

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_stations.csv"
SIGN_CODE = re.compile(r"^[1-9]\d{5}-[YMS]-\d{5}$")
N = 500

_ROWS = text(
    """
    SELECT id, site_id, kind, name, adcode, sign_code, ST_X(geom) AS lon, ST_Y(geom) AS lat, ST_SRID(geom) AS srid,
           source_crs, source_lon, is_synthetic
    FROM stations ORDER BY id
    """
)


def test_seeding_loads_exactly_count_synthetic_stations_in_china(connection: Connection) -> None:
    calls: list[int] = []
    assert seeding.seed_demo(connection=connection, count=N, seed=1, progress=calls.append) == N
    rows = connection.execute(_ROWS).all()
    assert len(rows) == N and sum(calls) == N
    assert [r.name for r in rows] == [s.name for s in generate(count=N, seed=1)]
    cities = load_cities()
    for row in rows:
        assert "示例" in row.name and row.is_synthetic and row.srid == 4326
        assert row.source_crs == "wgs84" and row.source_lon is None
        assert in_china(row.lon, row.lat)
        assert min(distance_m(row.lon, row.lat, c.lon, c.lat) for c in cities) < 50_000


def test_sign_codes_are_unique_well_formed_and_never_reused(connection: Connection) -> None:
    seeding.seed_demo(connection=connection, count=N, seed=1)
    seeding.seed_demo(connection=connection, count=N, seed=1)
    rows = connection.execute(_ROWS).all()
    codes = [r.sign_code for r in rows]
    assert len(rows) == 2 * N and len(set(codes)) == 2 * N
    for row in rows:
        assert SIGN_CODE.match(row.sign_code), row.sign_code
        assert row.sign_code.startswith(f"{row.adcode}-{SIGN_KIND_LETTER[Kind(row.kind)]}-")
    serials = connection.execute(text("SELECT sum(last_serial) FROM sign_serials")).scalar_one()
    assert serials == 2 * N


def test_kind_mix_is_roughly_right(connection: Connection) -> None:
    seeding.seed_demo(connection=connection, count=N, seed=2)
    kinds = Counter(connection.execute(text("SELECT kind FROM stations")).scalars())
    assert 0.65 < kinds["outdoor_station"] / N < 0.85
    assert 0.07 < kinds["mothers_room"] / N < 0.23
    assert 0.04 < kinds["reading_room"] / N < 0.17


def test_every_station_has_one_listing_per_provider(connection: Connection, session: Session) -> None:
    seeding.seed_demo(connection=connection, count=N, seed=3)
    per_provider = Counter(session.scalars(select(ProviderListing.provider)))
    assert per_provider == {provider: N for provider in Provider}
    listed_without_poi = session.scalar(
        select(func.count()).where(ProviderListing.status == ListingStatus.LISTED, ProviderListing.poi_id.is_(None))
    )
    assert listed_without_poi == 0


def test_co_located_functions_share_a_site(connection: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seeding, "BATCH_SIZE", 37)  # many batches: a site must never be split across two
    seeding.seed_demo(connection=connection, count=N, seed=4)
    shared = connection.execute(
        text(
            """
            SELECT s.site_id, count(*) AS n, count(DISTINCT s.kind) AS kinds,
                   count(DISTINCT ST_AsEWKB(s.geom)) AS points, count(DISTINCT s.address) AS addresses,
                   min(t.address) = min(s.address) AS same_address
            FROM stations s JOIN sites t ON t.id = s.site_id
            GROUP BY s.site_id HAVING count(*) > 1
            """
        )
    ).all()
    assert shared, "about 5% of sites host two or three functions"
    assert all(r.n == r.kinds and r.points == 1 and r.addresses == 1 and r.same_address for r in shared)
    sites = connection.execute(text("SELECT count(*) FROM sites")).scalar_one()
    orphans = connection.execute(text("SELECT count(*) FROM stations WHERE site_id IS NULL")).scalar_one()
    assert sites == N - sum(r.n - 1 for r in shared) and orphans == 0


def test_a_failing_seed_leaves_nothing_behind(connection: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(count: int) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(seeding, "BATCH_SIZE", 100)
    monkeypatch.setattr(bulk, "BUILDERS_FROM", 1)  # rows built by builder processes, batches still in flight
    savepoint = connection.begin_nested()
    with pytest.raises(RuntimeError):
        seeding.seed_demo(connection=connection, count=N, seed=5, progress=stop)
    savepoint.rollback()
    for table in ("stations", "sites", "provider_listings", "station_changes", "sign_serials"):
        assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table


_SEEDED = text(
    """
    SELECT (SELECT array_agg((to_jsonb(s) - 'id' - 'site_id' - 'created_at' - 'updated_at')::text ORDER BY name)
            FROM stations s),
           (SELECT array_agg((to_jsonb(l) - 'station_id')::text ORDER BY s.name, l.provider)
            FROM provider_listings l JOIN stations s ON s.id = l.station_id),
           (SELECT array_agg((c.after #- '{id}' #- '{properties,id}' #- '{properties,site_id}'
                              #- '{properties,updated_at}')::text ORDER BY c.after -> 'properties' ->> 'name')
            FROM station_changes c)
    """
)


def test_builder_processes_build_the_rows_this_process_builds(
    connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seeding, "BATCH_SIZE", 70)
    seen = []
    for builders_from in (10**9, 1):  # here, then in two builder processes
        monkeypatch.setattr(bulk, "BUILDERS_FROM", builders_from)
        savepoint = connection.begin_nested()
        seeding.seed_demo(connection=connection, count=300, seed=6)
        seen.append(connection.execute(_SEEDED).one())
        savepoint.rollback()
    assert seen[0] == seen[1] and len(seen[0][0]) == 300 and len(seen[0][1]) == 900


def test_sample_file_loads_through_the_registry(session: Session) -> None:
    loaded = seeding.load_sample(session=session, path=SAMPLE)
    stations = session.scalars(select(Station).order_by(Station.id)).all()
    assert loaded == len(stations) >= 12
    assert all("示例" in s.name and s.is_synthetic and SIGN_CODE.match(s.sign_code) for s in stations)
    assert {s.kind for s in stations} == set(Kind)
    shared = [site for site in session.scalars(select(Site)) if len(site.stations) == 3]
    assert len(shared) == 1 and {s.kind for s in shared[0].stations} == set(Kind)
    assert any(s.demonstration_level is DemonstrationLevel.PROVINCIAL for s in stations)
    bank = next(s for s in stations if "银行" in s.name)
    assert bank.adcode == "620102" and {"drinking_water", "microwave", "phone_charging"} <= set(bank.amenities)
    assert bank.source_crs == "gcj02" and bank.source_lon is not None
    assert {listing.provider: listing.status for listing in bank.listings}[Provider.AMAP] is ListingStatus.LISTED
    history = session.scalars(select(StationChange).where(StationChange.station_id == bank.id).order_by("id")).all()
    assert [c.action for c in history] == [ChangeAction.CREATE, ChangeAction.UPDATE]
    assert history[-1].after == changes.snapshot(bank), "the history ends with the station as stored"


@pytest.mark.parametrize(
    ("column", "value", "error", "message"),
    [
        ("adcode", "990102", InvalidRegion, "line 3: region code 990102"),
        ("amenities", "drinking_water;按摩椅", InvalidInput, "line 3: unknown amenity"),
        ("kind", "teahouse", InvalidInput, "line 3: "),
    ],
)
def test_a_bad_sample_row_is_reported_with_its_line(
    session: Session, tmp_path: Path, column: str, value: str, error: type[Exception], message: str
) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, first = list(csv.reader(handle))[:2]
    broken = first.copy()
    broken[header.index(column)] = value
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first, broken])
    with pytest.raises(error, match=message):
        seeding.load_sample(session=session, path=path)


def test_seeded_stations_render_as_public_features(connection: Connection, session: Session) -> None:
    seeding.seed_demo(connection=connection, count=60, seed=6)
    for station in session.scalars(select(Station)):
        feature = to_public(station)
        assert feature.properties.sign_code == station.sign_code and len(feature.properties.listings) == 3


def test_sample_then_demo_in_one_transaction_share_sign_serials(session: Session) -> None:
    sample = seeding.load_sample(session=session, path=SAMPLE)
    seeding.seed_demo(connection=session.connection(), count=N, seed=7)
    codes = session.scalars(select(Station.sign_code)).all()
    assert len(codes) == len(set(codes)) == sample + N


def test_seeded_stations_are_in_the_change_feed_source(connection: Connection) -> None:
    seeding.seed_demo(connection=connection, count=120, seed=11)
    rows = connection.execute(text(
        "SELECT s.id, s.sign_code, c.action, c.after FROM stations s JOIN station_changes c ON c.station_id = s.id"
    )).all()
    assert len(rows) == 120
    assert {row.action for row in rows} == {"create"}
    assert all(row.after["properties"]["sign_code"] == row.sign_code for row in rows)


@pytest.mark.parametrize("items", [
    [], ["open_door"], ['a "quoted", b', "back\\slash", "{braces}", "tab\tline\nNULL", ""]])
def test_bulk_rows_write_text_arrays_postgresql_reads_back(connection: Connection, items: list[str]) -> None:
    literal = bulk_rows._cell(items)
    assert connection.execute(text("SELECT CAST(:a AS text[])"), {"a": literal}).scalar_one() == items


def test_a_write_of_many_batches_numbers_each_region_and_kind_without_gaps(session: Session) -> None:
    """Sign serials over many batches of one write: every (region, kind) is numbered 1..n, its counter ends at n, and
    the next sign code after the write is n + 1."""
    connection = session.connection()
    items = [seeding._new_station(s) for s in generate(count=400, seed=8)]
    bulk.insert(connection=connection, items=items, actor="test", reason="test", batch_size=5, builders=0)
    numbered: dict[tuple[str, str], list[int]] = {}
    for adcode, kind, code in connection.execute(text("SELECT adcode, kind, sign_code FROM stations")):
        numbered.setdefault((adcode, kind), []).append(int(code.rsplit("-", 1)[1]))
    assert max(len(n) for n in numbered.values()) > 5  # a pair over several batches (of 5; sites can stretch one)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbered.values())
    counters = {(a, k): last for a, k, last in connection.execute(text("SELECT adcode, kind, last_serial "
                                                                       "FROM sign_serials"))}
    assert counters == {pair: len(n) for pair, n in numbered.items()}
    (adcode, kind), serials = max(numbered.items(), key=lambda item: len(item[1]))
    assert signcodes.allocate(session=session, adcode=adcode, kind=Kind(kind)) == [
        signcodes.format_sign_code(adcode=adcode, kind=Kind(kind), serial=len(serials) + 1)]
