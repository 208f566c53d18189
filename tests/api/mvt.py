"""A Mapbox Vector Tile reader for tests: layers of point features with their id, attributes and tile coordinates.

The protobuf wire format of the MVT 2.1 spec, enough for what ST_AsMVT writes for points (no dependency needed).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Feature:
    id: int | None
    properties: dict[str, Any]
    points: list[tuple[int, int]]


@dataclass
class Layer:
    name: str
    extent: int = 4096
    features: list[Feature] = field(default_factory=list)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) pairs of one message: varints as ints, length-delimited and fixed as bytes."""
    out: list[tuple[int, int | bytes]] = []
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
            out.append((number, value))
        elif wire == 2:
            size, at = _varint(data, at)
            out.append((number, data[at:at + size]))
            at += size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            out.append((number, data[at:at + size]))
            at += size
        else:
            raise ValueError(f"wire type {wire} is not in MVT")
    return out


def _packed(data: bytes) -> list[int]:
    values, at = [], 0
    while at < len(data):
        value, at = _varint(data, at)
        values.append(value)
    return values


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _value(data: bytes) -> Any:
    number, raw = _fields(data)[0]
    if number == 1:
        assert isinstance(raw, bytes)
        return raw.decode()
    if number in (2, 3):
        assert isinstance(raw, bytes)
        return struct.unpack("<f" if number == 2 else "<d", raw)[0]
    assert isinstance(raw, int)
    if number == 4:
        return raw - (1 << 64) if raw >= 1 << 63 else raw
    if number == 6:
        return _zigzag(raw)
    return bool(raw) if number == 7 else raw


def _points(commands: list[int]) -> list[tuple[int, int]]:
    points, x, y, at = [], 0, 0, 0
    while at < len(commands):
        command, count = commands[at] & 7, commands[at] >> 3
        at += 1
        assert command == 1, "only MoveTo (points) expected"
        for _ in range(count):
            x, y = x + _zigzag(commands[at]), y + _zigzag(commands[at + 1])
            points.append((x, y))
            at += 2
    return points


def decode(data: bytes) -> dict[str, Layer]:
    """The tile's layers by name."""
    layers: dict[str, Layer] = {}
    for number, raw in _fields(data):
        assert number == 3 and isinstance(raw, bytes)
        parts = _fields(raw)
        keys = [v.decode() for n, v in parts if n == 3 and isinstance(v, bytes)]
        values = [_value(v) for n, v in parts if n == 4 and isinstance(v, bytes)]
        name = next(v.decode() for n, v in parts if n == 1 and isinstance(v, bytes))
        layer = Layer(name, extent=next((v for n, v in parts if n == 5 and isinstance(v, int)), 4096))
        for n, v in parts:
            if n != 2 or not isinstance(v, bytes):
                continue
            feature = Feature(id=None, properties={}, points=[])
            for fn, fv in _fields(v):
                if fn == 1 and isinstance(fv, int):
                    feature.id = fv
                elif fn == 2 and isinstance(fv, bytes):
                    tags = _packed(fv)
                    feature.properties = {keys[tags[i]]: values[tags[i + 1]] for i in range(0, len(tags), 2)}
                elif fn == 4 and isinstance(fv, bytes):
                    feature.points = _points(_packed(fv))
            layer.features.append(feature)
        assert name not in layers, f"layer {name} twice"
        layers[name] = layer
    return layers
