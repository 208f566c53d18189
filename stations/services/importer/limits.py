"""How big an import may be, and what its worker process may spend: checked before and while a file is read."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from stations.errors import TooLarge
from stations.services.importer.messages import too_large
from stations.settings import Settings

MB = 2**20


@dataclass(frozen=True)
class Limits:
    """Upload, sheet and zip limits, and the worker's wall time and address space."""

    max_bytes: int = 64 * MB
    max_rows: int = 200_000
    max_columns: int = 256
    max_unpacked: int = 512 * MB
    max_members: int = 1000
    max_ratio: int = 200  # unpacked / packed size of one zip member past RATIO_FLOOR: a zip bomb beyond it
    max_shared_strings: int = 4_000_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    seconds: float = 600.0
    memory_mb: int = 2048

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the settings ask for."""
        return cls(
            max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows,
            max_columns=settings.import_max_columns, max_unpacked=settings.import_max_unpacked_mb * MB,
            max_shared_strings=max(settings.import_max_rows * 20, 10_000), seconds=settings.import_worker_seconds,
            memory_mb=settings.import_worker_memory_mb,
        )

    def as_dict(self) -> dict[str, Any]:
        """The limits as JSON-ready values (sent to the worker process)."""
        return asdict(self)

    def too_many_rows(self) -> TooLarge:
        """The error for a file past the row cap."""
        return too_large("too_many_rows", most=self.max_rows)

    def too_many_columns(self, row: int, column: int) -> TooLarge:
        """The error for a cell with a value past the column cap."""
        return too_large("too_many_columns", row=row, column=column, most=self.max_columns)

    def too_big_file(self) -> TooLarge:
        """The error for an upload past the byte cap."""
        return too_large("too_big_file", most=self.max_bytes // MB)

    def too_long_cell(self, row: int) -> TooLarge:
        """The error for a cell holding more text than Excel itself allows."""
        return too_large("too_long_cell", row=row, most=self.max_cell_chars)


RATIO_FLOOR = 4 * MB  # smaller members may compress as well as they like: they cost nothing to unpack
