"""Kind-filtered viewports from the cluster aggregates (migration 0027): before and after, alternated in one run.

Reads, on the bench database of `--count` stations (`bench.db.ensure_seeded`): the city and district viewports of
`bench.scale` with a kind filter, grouped live (before: `VIEWPORT_CLUSTERS`, what the service ran for them) and from
the cells (after: `viewport.clusters`), alternated statement by statement in one process.

Writes, on a scratch database (`stations_bench_kindcells`, emptied first): the cells' trigger function of migration
0022 (before), of 0027 (after) and none (the cells' triggers disabled), alternated round by round: demo seeding of
`--writes` stations (the bulk writer: COPY in batches, one transaction), then one UPDATE moving every station. Then the
triggers' grouped insert alone over every station of the scratch database, 0022's against 0027's, rolled back, and
the fold of the deltas one seeding left, 0022's statement against 0027's, rolled back.

Usage: python -m bench.kind_cells [--count 100000] [--writes 30000] [--rounds 3] [--repeat 40]
Results: bench/results/kindcells-<date>-<n>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from bench import db
from bench.run import RESULTS, code, machine
from bench.scale import CITY, DISTRICT
from bench.writes import scratch_url
from stations.db import viewport_sql as queries
from stations.reference import Kind
from stations.services.registry import viewport
from stations.services.registry.seed import seed_demo

VERSIONS = Path(__file__).resolve().parents[1] / "stations" / "migrations" / "versions"
SCRATCH = "stations_bench_kindcells"
KINDS = [Kind.OUTDOOR_STATION]  # as bench.scale asks


def _migration(name: str) -> ModuleType:
    path = next(VERSIONS.glob(f"*_{name}.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"n": len(times), "p50_ms": round(times[len(times) // 2], 2),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2)}


def reads(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url)
    out: dict[str, Any] = {}
    with Session(engine) as session:
        for name, bbox in (("city", CITY), ("district", DISTRICT)):
            box = viewport.parse_bbox(bbox)
            cell = max(box.east - box.west, box.north - box.south) / viewport.GRID_COLUMNS
            live = {**vars(box), "kinds": [k.value for k in KINDS], "amenities": [], "cell": cell,
                    "cap": viewport.MAX_MARKERS}
            before, after = [], []
            for i in range(repeat + 2):
                started = time.perf_counter()
                old = session.execute(queries.VIEWPORT_CLUSTERS, live).all()
                middle = time.perf_counter()
                new = viewport.clusters(session=session, viewport=box, kinds=KINDS)
                if i >= 2:  # the first two warm the caches
                    before.append((middle - started) * 1000)
                    after.append((time.perf_counter() - middle) * 1000)
            out[name] = {"live (before)": _stats(before), "cells (after)": _stats(after),
                         "stations": [sum(r.count for r in old), sum(r["count"] for r in new)],
                         "clusters": [len(old), len(new)]}
            print(f"  {name}: {json.dumps(out[name])}", file=sys.stderr, flush=True)
    engine.dispose()
    return out


def _scratch() -> Engine:
    return create_engine(scratch_url(SCRATCH))


def _use(engine: Engine, variant: str, old: ModuleType, new: ModuleType) -> None:
    with engine.begin() as connection:
        for event in ("insert", "update", "delete"):
            connection.execute(text(f"ALTER TABLE stations ENABLE TRIGGER station_cells_{event}"))
        if variant == "0022":
            connection.execute(text(old.CELLS_TRIGGER.split("$$;")[0] + "$$"))  # its function only
        elif variant == "0027":
            connection.execute(text(new.FOLLOW))
        else:
            for event in ("insert", "update", "delete"):
                connection.execute(text(f"ALTER TABLE stations DISABLE TRIGGER station_cells_{event}"))


def _folds(engine: Engine, count: int, rounds: int) -> dict[str, Any]:
    """The deltas one seeding of `count` left (0027's triggers), folded by 0022's statement and by 0027's, rolled
    back, alternated."""
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
    with engine.begin() as connection:
        seed_demo(connection=connection, count=count, seed=20261207)
    old_fold = text(f"""
        WITH moved AS (DELETE FROM station_cell_deltas RETURNING level, cx, cy, closed, count, sum_lon, sum_lat)
        INSERT INTO station_cells AS c (level, cx, cy, closed, count, sum_lon, sum_lat)
        SELECT level, cx, cy, closed, sum(count), sum(sum_lon), sum(sum_lat) FROM moved GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (level, cx, cy, closed) DO UPDATE SET {", ".join(f"{c} = c.{c} + excluded.{c}"
                                                                      for c in ("count", "sum_lon", "sum_lat"))}""")
    out: dict[str, Any] = {"0022": [], "0027": []}
    with engine.connect() as connection:
        out["delta rows"] = connection.execute(text("SELECT count(*) FROM station_cell_deltas")).scalar_one()
    for _ in range(rounds * 2):
        for variant, statement in (("0022", old_fold), ("0027", queries.FOLD_CELLS)):
            with engine.connect() as connection:
                connection.execute(queries.ALLOW_FOLD)
                started = time.perf_counter()
                connection.execute(statement)
                out[variant].append(round(time.perf_counter() - started, 3))
                connection.rollback()
    print(f"  folds: {json.dumps(out)}", file=sys.stderr, flush=True)
    return out


def writes(count: int, rounds: int) -> dict[str, Any]:
    old, new = _migration("scale_paths"), _migration("kind_cells")
    engine = _scratch()
    out: dict[str, Any] = {v: {"seed_s": [], "move_all_s": []} for v in ("0022", "0027", "none")}
    try:
        for _ in range(rounds):
            for variant in ("0022", "0027", "none"):
                _use(engine, variant, old, new)
                with engine.begin() as connection:
                    connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes "
                                            "RESTART IDENTITY CASCADE"))
                started = time.perf_counter()
                with engine.begin() as connection:
                    seed_demo(connection=connection, count=count, seed=20261207)
                seeded = time.perf_counter()
                with engine.begin() as connection:
                    connection.execute(text("UPDATE stations SET geom = ST_Translate(geom, 0.001, 0.001)"))
                moved = time.perf_counter()
                out[variant]["seed_s"].append(round(seeded - started, 2))
                out[variant]["move_all_s"].append(round(moved - seeded, 2))
                print(f"  {variant}: seed {seeded - started:.2f} s, move all {moved - seeded:.2f} s",
                      file=sys.stderr, flush=True)
        _use(engine, "0027", old, new)
        alone: dict[str, list[float]] = {"0022": [], "0027": []}
        for _ in range(rounds * 2):
            for variant, module in (("0022", old), ("0027", new)):
                statement = text(f"WITH delta AS ({module._ROWS.format(n=1, rows='stations')} "
                                 f"WHERE r.deleted_at IS NULL) {module._APPEND}")
                with engine.connect() as connection:
                    started = time.perf_counter()
                    connection.execute(statement)
                    alone[variant].append(round(time.perf_counter() - started, 3))
                    connection.rollback()
        out["trigger insert alone, every station (s)"] = alone
        print(f"  trigger insert alone: {json.dumps(alone)}", file=sys.stderr, flush=True)
        out["fold of one seeding's deltas (s)"] = _folds(engine, count, rounds)
    finally:
        engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--no-reads", dest="reads", action="store_false")
    parser.add_argument("--no-writes", dest="do_writes", action="store_false")
    args = parser.parse_args()
    result: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "code": code(),
                              "machine": machine(), "args": vars(args)}
    if args.reads:
        result["reads"] = reads(db.ensure_seeded(args.count), args.repeat)
    if args.do_writes:
        result["writes"] = writes(args.writes, args.rounds)
    RESULTS.mkdir(exist_ok=True)
    stem = f"kindcells-{dt.date.today().isoformat()}"
    n = 1 + sum(1 for _ in RESULTS.glob(f"{stem}-*.json"))
    path = RESULTS / f"{stem}-{n}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(path)


if __name__ == "__main__":
    main()
