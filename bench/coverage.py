"""Coverage queries at bench scale (issue 23): `planning.coverage` and `planning.suggest` on the 100k bench database,
over the demand that `bench.demand`'s lookups recorded there (wrk's points around the demo cities), optionally
multiplied into more weeks and hours with `--spread`.

`.venv/bin/python -m bench.coverage [--count 100000] [--spread]`; prints rows and wall seconds per call.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench import db
from stations.services.coverage import planning

T = TypeVar("T")
SPREAD = text(
    """
    INSERT INTO demand_cells (week, cell_row, cell_col, hour_of_week, adcode, geom, lookups, served, open_m_sum,
                              open_n)
    SELECT c.week, c.cell_row, c.cell_col, h.hour, c.adcode, c.geom, c.lookups, c.served, c.open_m_sum, c.open_n
    FROM demand_cells AS c CROSS JOIN generate_series(0, 167) AS h(hour)
    ON CONFLICT DO NOTHING
    """
)


def timed(label: str, call: Callable[[], T]) -> T:
    """Run `call()` and print its wall time."""
    started = time.perf_counter()
    out = call()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return out


def main() -> None:
    """Time national, province and city coverage and ten suggestions for the busiest province."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--spread", action="store_true", help="copy each cell's counts into all 168 hours first")
    args = parser.parse_args()
    engine = create_engine(db.ensure_seeded(args.count))
    today = date.today()
    with Session(engine) as session:
        if args.spread:
            session.execute(SPREAD)
            session.commit()
        cells, rows, lookups = session.execute(text(
            "SELECT count(DISTINCT (cell_row, cell_col)), count(*), coalesce(sum(lookups), 0) FROM demand_cells")).one()
        print(f"demand: {cells:,} cells, {rows:,} rows, {lookups:,} lookups")
        whole = timed("coverage, China by province", lambda: planning.coverage(
            session=session, region="", level="province", hour=None, today=today, retention_days=91))
        top = max(whole.regions, key=lambda s: s.demand).region
        timed(f"coverage, province {top} by county", lambda: planning.coverage(
            session=session, region=top, level="county", hour=None, today=today, retention_days=91))
        timed(f"coverage, province {top} at hour 12", lambda: planning.coverage(
            session=session, region=top, level="county", hour=12, today=today, retention_days=91))
        _, found = timed(f"10 suggestions, province {top}", lambda: planning.suggest(
            session=session, region=top, hour=None, k=10, today=today, retention_days=91))
        print("first suggestions:", [(s.place, round(s.covers)) for s in found[:3]])
    engine.dispose()


if __name__ == "__main__":
    main()
