"""The compact boundary file: polygons as zigzag varint deltas of 1e-5 degree integers, gzip-compressed.

Layout (before gzip): the magic line, one JSON line (what the file is and its index: code -> [offset, length,
west, south, east, north]), then the body. A code's record is varints: polygons, and per polygon its rings,
and per ring its points as (dx, dy) deltas from the previous point (the first point of a record from 0, 0).
Rings are open (the closing point is not stored). The writer (scripts/build_divisions.py) and the reader
(stations/divisions/boundaries.py) both use this module, so the format is written down once.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from typing import Any

MAGIC = b"STATIONS-DIVISIONS-1\n"
SCALE = 100_000
"""Stored coordinates are integers of 1e-5 degree (about 1.1 m)."""

Ring = Sequence[tuple[float, float]]
Polygon = Sequence[Ring]
"""The shell first, then any holes; each ring open (first point not repeated)."""


def _put(value: int, out: bytearray) -> None:
    """Append a non-negative int as a little-endian base-128 varint."""
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def encode_record(polygons: Sequence[Polygon]) -> bytes:
    """One code's polygons as bytes (coordinates rounded to 1e-5 degree)."""
    out = bytearray()
    _put(len(polygons), out)
    last_x = last_y = 0
    for polygon in polygons:
        _put(len(polygon), out)
        for ring in polygon:
            _put(len(ring), out)
            for lon, lat in ring:
                x, y = round(lon * SCALE), round(lat * SCALE)
                _put(_zigzag(x - last_x), out)
                _put(_zigzag(y - last_y), out)
                last_x, last_y = x, y
    return bytes(out)


def decode_record(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """The polygons of one record (each a list of open rings of (lon, lat))."""
    position = 0

    def take() -> int:
        nonlocal position
        value = shift = 0
        while True:
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def signed() -> int:
        value = take()
        return value >> 1 if not value & 1 else -(value >> 1) - 1

    polygons: list[list[list[tuple[float, float]]]] = []
    x = y = 0
    for _ in range(take()):
        rings = []
        for _ in range(take()):
            ring = []
            for _ in range(take()):
                x += signed()
                y += signed()
                ring.append((x / SCALE, y / SCALE))
            rings.append(ring)
        polygons.append(rings)
    return polygons


def write_file(header: dict[str, Any], records: dict[str, tuple[bytes, tuple[float, float, float, float]]]) -> bytes:
    """The whole gzip-compressed file: header (with the index added) and the records in code order."""
    body, index = bytearray(), {}
    for code in sorted(records):
        data, (west, south, east, north) = records[code]
        index[code] = [len(body), len(data), west, south, east, north]
        body += data
    head = json.dumps(header | {"index": index}, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(MAGIC + head + b"\n" + bytes(body), compresslevel=9, mtime=0)


def read_file(blob: bytes) -> tuple[dict[str, Any], bytes]:
    """(header with its index, body) of a file written by `write_file`; ValueError if it is not one."""
    raw = gzip.decompress(blob)
    if not raw.startswith(MAGIC):
        raise ValueError("not a stations divisions boundary file")
    end = raw.index(b"\n", len(MAGIC))
    header: dict[str, Any] = json.loads(raw[len(MAGIC):end])
    return header, raw[end + 1:]
