"""Unified sign codes: region + kind letter + serial, allocated atomically and never reused."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.reference import SIGN_KIND_LETTER, Kind

_ALLOCATE = text(
    """
    INSERT INTO sign_serials (adcode, kind, last_serial) VALUES (:adcode, :kind, :count)
    ON CONFLICT (adcode, kind) DO UPDATE SET last_serial = sign_serials.last_serial + :count
    RETURNING last_serial
    """
)


def format_sign_code(*, adcode: str, kind: Kind, serial: int) -> str:
    """The printed code, e.g. 620102-Y-00017."""
    return f"{adcode}-{SIGN_KIND_LETTER[kind]}-{serial:05d}"


def allocate(*, session: Session, adcode: str, kind: Kind, count: int = 1) -> list[str]:
    """Reserve `count` consecutive new sign codes for a region and kind (row-locked, so race-free)."""
    last = session.execute(_ALLOCATE, {"adcode": adcode, "kind": kind.value, "count": count}).scalar_one()
    return [format_sign_code(adcode=adcode, kind=kind, serial=s) for s in range(last - count + 1, last + 1)]
