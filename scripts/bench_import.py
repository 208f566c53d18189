"""Benchmark: generate an N-row clerk CSV (GB18030, Chinese headers) and time dry run and apply.

Usage: STATIONS_DATABASE_URL=... python scripts/bench_import.py [N]  (use a scratch database: it writes)
"""

from __future__ import annotations

import random
import sys
import time

from stations import divisions
from stations.db import migrate
from stations.db.engine import database_url, make_engine, make_session_factory
from stations.geo.crs import Crs
from stations.services import importer
from stations.settings import Settings

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


def main(n: int) -> None:
    """Time the dry run and the apply of an N-row file."""
    settings = Settings()
    url = database_url(settings)
    migrate.upgrade(url=url)
    content = make_csv(n)
    engine = make_engine(url, pool_size=1)
    with make_session_factory(engine)() as session, session.begin():
        start = time.perf_counter()
        limits = importer.Limits(max_rows=max(n, 1), max_bytes=len(content))
        job = importer.dry_run(session=session, content=content, filename="bench.csv",
                               options=importer.Options(crs=Crs.WGS84),
                               actor="bench", scope="", limits=limits)
        checked = time.perf_counter()
        job = importer.apply(session=session, job_id=job.id, mode="valid", actor="bench", limits=limits)
        done = time.perf_counter()
    print(f"{n} rows: dry run {checked - start:.1f} s, apply (re-check + insert) {done - checked:.1f} s, "
          f"created {job.report['created']}, duplicates {job.report['duplicates']}")
    engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
