"""The registry's bulk writes at scale (issue 21): demo seeding and import apply, timed on a scratch database.

Seeding `count` demo stations (target: 1,000,000 in <= 3 min, so >= 5,556 stations/s) and applying an import of
min(count, 100,000) clerk rows (target: 100,000 in <= 20 s, so >= 5,000 rows/s) into
`stations_bench_writes`, emptied first: never the bench databases the reads are measured on.
"""

from __future__ import annotations

import random
import time
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench import db
from stations import divisions
from stations.db import migrate
from stations.geo.crs import Crs
from stations.services import importer
from stations.services.registry.seed import seed_demo

DBNAME = "stations_bench_writes"
SEED_TARGET = (1_000_000, 180.0)
IMPORT_TARGET = (100_000, 20.0)
COUNTIES = [("620102", 103.83, 36.06), ("620103", 103.78, 36.07), ("130102", 114.52, 38.05), ("131002", 116.70, 39.51)]
AMENITIES = ["饮水", "微波炉", "手机充电", "药箱", "座椅", "卫生间"]


def make_csv(n: int, seed: int = 1) -> bytes:
    """N distinct outdoor stations scattered around four counties, written as a clerk's GB18030 CSV."""
    rng = random.Random(seed)
    lines = ["站点名称,类型,地址,经度,纬度,坐标系,开放时间,服务设施,行政区划代码"]
    for i in range(n):
        adcode, lon, lat = rng.choice(COUNTIES)
        lon, lat = round(lon + rng.uniform(-0.4, 0.4), 6), round(lat + rng.uniform(-0.3, 0.3), 6)
        adcode = divisions.locate(lon, lat) or adcode  # the county the point lies in, as a clerk would write
        province = divisions.names(adcode)[0]
        amen = ";".join(rng.sample(AMENITIES, 3))
        lines.append(f"压测驿站{i:06d},户外劳动者服务站点,{province}示例路{i}号,{lon:.6f},"
                     f"{lat:.6f},WGS84,Mo-Su 08:00-20:00,{amen},{adcode}")
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def scratch_url(name: str = DBNAME) -> str:
    """The scratch database `name`, created and migrated if needed."""
    url = db.cluster_url(name)
    with psycopg.connect(db.libpq_url(db.cluster_url("postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(url=url)
    return url


def import_run(url: str, n: int) -> dict[str, Any]:
    """Dry run, then apply (mode valid: a few generated points fall just outside their county) of an n-row CSV."""
    content = make_csv(n)
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            limits = importer.Limits(max_rows=max(n, 1), max_bytes=len(content), seconds=3600)
            started = time.perf_counter()
            job = importer.dry_run(session=session, content=content, filename="bench.csv",
                                   options=importer.Options(crs=Crs.WGS84), actor="bench", scope="", limits=limits)
            checked = time.perf_counter()
            job = importer.apply(session=session, job_id=job.id, mode="valid", actor="bench", limits=limits)
            applied = time.perf_counter()
            created = job.report["created"]
    finally:
        engine.dispose()
    return {"rows": n, "created": created, "dry_run_s": round(checked - started, 2),
            "seconds": round(applied - checked, 2)}


def measure(count: int) -> dict[str, Any]:
    """Seeding `count` stations and applying min(count, 100,000) import rows, each with its target."""
    url = scratch_url()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
        started = time.perf_counter()
        with engine.begin() as connection:
            seed_demo(connection=connection, count=count, seed=db.SEED)
        seeded = time.perf_counter() - started
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    out = {"demo seeding": {"rows": count, "seconds": round(seeded, 2)},
           "import apply": import_run(url, min(count, IMPORT_TARGET[0]))}
    for name, (rows, seconds) in (("demo seeding", SEED_TARGET), ("import apply", IMPORT_TARGET)):
        s = out[name]
        s["rows_per_s"] = round(s["rows"] / s["seconds"]) if s["seconds"] else 0
        s["target"] = f"{rows:,} in <= {seconds:.0f} s (>= {rows / seconds:,.0f}/s)"
        s["met"] = s["rows_per_s"] >= rows / seconds
    return out
