"""The lookup away from city centres, two versions of the code in one run (issue 21).

`python -m bench.away --before <commit>` serves the package of `<commit>` (`git archive`) and of the working tree in
turn on the bench database, and drives each workload (`bench.workload`: centres, suburban, rural) at c=8 against
each, alternating the two `--rounds` times: on a shared machine only ratios within one run compare.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bench import db, loadgen, servers, workload


def _archive(commit: str, into: Path) -> Path:
    """The `stations` package of `commit` and its `data/` (the sign page reads data/demo_cities.json beside the
    package: without it every `/s/` of the old code was a 500), unpacked under `into` (a PYTHONPATH entry)."""
    tar = into / "code.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(tar), commit, "stations", "data"], cwd=servers.ROOT,
                   check=True)
    with tarfile.open(tar) as archive:
        archive.extractall(into, filter="data")
    versions = Path("stations", "migrations", "versions")
    for newer in (servers.ROOT / versions).glob("*.py"):  # the app migrates on start: it must know the database's head
        if not (into / versions / newer.name).exists():
            shutil.copy(newer, into / versions / newer.name)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="commit to compare the working tree with")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = db.ensure_seeded(args.count)
    dbname = db.bench_dbname(args.count)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"before": _archive(args.before, Path(tmp)), "after": None}
        for round_ in range(args.rounds):
            order = list(versions) if round_ % 2 == 0 else list(reversed(versions))
            for version in order:
                with servers.ours(url, servers.SERVED, code=versions[version]) as pid:
                    base = f"http://127.0.0.1:{servers.OURS_PORT}"
                    for name in workload.WORKLOADS:
                        cell = {"clients": args.clients, "app_pids": {pid}, "dbname": dbname, "workload_name": name}
                        loadgen.run_wrk(base, servers.OURS_PATH, seconds=2, **cell)
                        summary = loadgen.run_wrk(base, servers.OURS_PATH, seconds=args.seconds,
                                                  **cell).summary()
                        out.setdefault(name, {}).setdefault(version, []).append(summary)
                        print(f"round {round_} {version:<6} {name:<8} {json.dumps(summary)}", file=sys.stderr,
                              flush=True)
    print(f"| workload (c={args.clients}, {args.count:,}) | version | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---:|---:|---:|---:|")
    for name, by_version in out.items():
        for version, cells in by_version.items():
            for s in cells:
                print(f"| {name} | {version} | {s['rps']:,.0f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} "
                      f"| {s['errors']} |")


if __name__ == "__main__":
    main()
