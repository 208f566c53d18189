"""What an upload chooses for the whole file: its coordinate system, the sheet to read and the kind of its rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stations.geo.crs import Crs
from stations.reference import Kind


@dataclass(frozen=True)
class Options:
    """The coordinate system of the file's points (None: the upload did not say), the sheet to read (None: the
    first usable one), the kind of rows without one (None: from the title or the names)."""

    crs: Crs | None = None
    sheet: str | None = None
    kind: Kind | None = None

    @classmethod
    def stored(cls, crs: str | None, options: dict[str, Any]) -> Options:
        """The options as a job keeps them (its `crs` column and `options` JSON)."""
        kind = options.get("kind")
        return cls(crs=Crs(crs) if crs else None, sheet=options.get("sheet"), kind=Kind(kind) if kind else None)

    def as_json(self) -> dict[str, Any]:
        """The sheet and kind as a job's `options` JSON keeps them."""
        return {k: v for k, v in (("sheet", self.sheet), ("kind", self.kind.value if self.kind else None)) if v}
