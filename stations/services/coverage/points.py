"""Demand points staff import (delivery hubs, sanitation depots, markets): read in a confined worker process, stored
with the county they fall in, each weighing as that many lookups in every hour of the week."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import demand_queries as queries
from stations.errors import InvalidInput
from stations.geo.crs import Crs
from stations.services.importer.limits import Limits


def read_upload(content: bytes, filename: str, *, limits: Limits, crs: Crs) -> dict[str, Any]:
    """The points and refused rows of an uploaded CSV/XLSX, read by `points_worker` in its own process (killed
    at `limits.seconds`). Blocking: run it in a thread."""
    task = json.dumps({"limits": limits.as_dict(), "filename": filename, "crs": crs.value}).encode() + b"\n"
    try:
        done = subprocess.run([sys.executable, "-m", "stations.services.coverage.points_worker"],
                              input=task + content, capture_output=True, timeout=limits.seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise InvalidInput(f"读取文件超过 {limits.seconds:.0f} 秒：请拆分成较小的文件") from exc
    if done.returncode != 0:
        raise InvalidInput("文件无法读取（可能过大或已损坏）：请检查后重新上传")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def store(*, session: Session, points: list[dict[str, Any]], actor: str, scope: str) -> tuple[int, list[str]]:
    """Insert the points inside `scope` (adcode prefix); (stored, refusals for points outside it)."""
    rows, refused = [], []
    for point in points:
        adcode = divisions.locate(point["lon"], point["lat"])
        if scope and not (adcode or "").startswith(scope):
            refused.append(f"{point['name']}：不在您的辖区 {scope} 内")
            continue
        rows.append(point | {"adcode": adcode, "actor": actor})
    queries.add_points(session=session, rows=rows)
    return len(rows), refused


def remove(*, session: Session, region: str) -> int:
    """Delete a region's demand points; how many."""
    return queries.remove_points(session=session, region=region)
