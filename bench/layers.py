"""What each layer of a lookup costs the app under the bench's load: the real app, its nearest reply cut short.

`make bench` reads one figure for the app's CPU a request. This serves the same app (`stations.cli.serve`'s
worker factory, two uvicorn workers, no access log) with the nearest lookup stopped after a layer and answered
with a body of a usual reply's size, and runs wrk at the bench's points against each, alternating the order
every round so that the machine's drift hits every layer alike:

    http   a constant body: uvicorn, the fast path and sending the reply
    parse  + the query string parsed and validated
    fetch  + the statement run through the read pool and the rows read and sifted (opening, sites)
    shape  + the features built (dicts)
    full   + orjson: the real reply

What a layer adds is its app CPU a request minus the one before.

    python -m bench.layers [--count 1000000] [--rounds 2] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from bench import db, loadgen, servers
from stations.api import nearest_params
from stations.api.routes.nearest import PATH, answer, send_reply
from stations.cli.serve import worker_app
from stations.services.nearest_geojson import feature_collection

LAYERS = ("http", "parse", "fetch", "shape", "full")
LAYER_VARIABLE = "BENCH_LAYER"
BODY = b" " * 20_500
"""A usual reply's size (ten features at the bench's points: 20-21 KB)."""


class CutShort:
    """ASGI app that answers the nearest lookup itself, stopping after `layer`; the rest goes to `app`."""

    def __init__(self, app: FastAPI, layer: str) -> None:
        self.app, self.layer = app, layer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        inner: ASGIApp = self.app
        if scope["type"] != "http" or scope["path"] != PATH:
            await inner(scope, receive, send)
            return
        await send_reply(send, await self._body(scope["query_string"].decode("latin-1")))

    async def _body(self, query_string: str) -> bytes:
        if self.layer == "full":
            return await answer(self.app, query_string)
        if self.layer == "http":
            return BODY
        request = nearest_params.parse(query_string, now=self.app.state.clock(),
                                       calendar=self.app.state.calendar.current)
        if self.layer == "parse":
            return BODY
        results = await self.app.state.nearest_reader(query=request.query)
        if self.layer == "fetch":
            return BODY
        feature_collection(results, query=request.query, lang=request.lang, out_crs=request.out_crs)
        return BODY


def app() -> CutShort:
    """uvicorn's factory: the worker's app, cut short after the layer `BENCH_LAYER` names."""
    layer = os.environ[LAYER_VARIABLE]
    if layer not in LAYERS:
        raise SystemExit(f"{LAYER_VARIABLE} must be one of {', '.join(LAYERS)}, got {layer!r}")
    return CutShort(worker_app(), layer)


def main() -> None:
    """Each layer under wrk at c=8, `--rounds` times in alternating order; a Markdown table of medians."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    url, dbname = db.ensure_seeded(args.count), db.bench_dbname(args.count)
    base = f"http://127.0.0.1:{servers.OURS_PORT}"
    cells: dict[str, list[dict[str, Any]]] = {layer: [] for layer in LAYERS}
    for round_ in range(args.rounds):
        for layer in LAYERS if round_ % 2 == 0 else LAYERS[::-1]:
            with servers.factory(url, "bench.layers:app", {LAYER_VARIABLE: layer}) as pid:
                loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=2, app_pids={pid},
                                dbname=dbname)
                result = loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=args.seconds,
                                         app_pids={pid}, dbname=dbname).summary()
            cells[layer].append(result)
            print(f"{layer}: {json.dumps(result)}", file=sys.stderr, flush=True)
    print(f"{args.count:,} stations, c={args.clients}, {args.rounds} rounds (medians; app CPU per cell)\n")
    print("| layer | req/s | app CPU ms/req | added | each cell | DB CPU ms/req |\n|---|---:|---:|---:|---|---:|")
    before = 0.0
    for layer, results in cells.items():
        cpu = [r["app_cpu_ms_per_req"] for r in results]
        median = statistics.median(cpu)
        print(f"| {layer} | {statistics.median(r['rps'] for r in results):,.0f} | {median:.3f} | "
              f"{median - before:+.3f} | {', '.join(f'{c:.3f}' for c in cpu)} | "
              f"{statistics.median(r['db_cpu_ms_per_req'] for r in results):.3f} |")
        before = median


if __name__ == "__main__":
    main()
