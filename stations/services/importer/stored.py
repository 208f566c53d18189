"""The dry run's file checks kept with the job, so the apply need not read and check the whole file again.

What is kept is `checking.read`'s outcome (rows read and checked, duplicates within the file): it depends only on
the file, the options and the scope, which a job never changes. It is pickled (the job's row is written only by this
service) and compressed; a blob from another release's format, or one that fails to load, is treated as absent and
the apply checks the file again, as it did before blobs were kept. It is read back by an unpickler that builds only
our own classes and a few of the standard library's value types: a blob written into the database by anyone else
cannot call anything else (pickle's "restricting globals").
"""

from __future__ import annotations

import io
import logging
import pickle
import zlib
from typing import Any

from stations.services.importer.report import Checked
from stations.services.registry.bulk_rows import gc_paused

log = logging.getLogger(__name__)
FORMAT = b"stations-import-checked-1\n"
"""Bump when `Checked` or what it holds changes shape: older blobs are then ignored."""


def dump(checked: Checked) -> bytes:
    """`checked` as the bytes to keep in the job (~80 bytes a row)."""
    with gc_paused():  # ~10^6 objects walked: the collector would run over and over for nothing
        return FORMAT + zlib.compress(pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL), 1)


def load(blob: bytes | None) -> Checked | None:
    """The `Checked` kept by `dump`, or None (nothing kept, another format, or unreadable)."""
    if not blob or not blob.startswith(FORMAT):
        return None
    try:
        with gc_paused():  # unpickling 100,000 rows: 0.5 s with the collector paused, 3.4 s without (measured)
            checked = _OurClasses(io.BytesIO(zlib.decompress(blob[len(FORMAT):]))).load()
    except Exception:  # a blob this release cannot read: check the file again
        log.warning("import_checked_unreadable", exc_info=True)
        return None
    return checked if isinstance(checked, Checked) else None


_VALUE_TYPES = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
                ("datetime", "timezone"), ("decimal", "Decimal"), ("builtins", "set"), ("builtins", "frozenset"),
                ("zoneinfo", "ZoneInfo")}


_BUILTINS = {("builtins", "iter")}
"""What pickle itself names to rebuild an iterator a row holds; harmless with every other callable refused."""


class _OurClasses(pickle.Unpickler):
    """An unpickler that refuses every global but a class of ours (`stations.*`), a value type above or `iter`."""

    def find_class(self, module: str, name: str) -> Any:
        named = (module, name)
        if named in _BUILTINS or named in _VALUE_TYPES or module.startswith("stations."):  # before importing it
            found = super().find_class(module, name)
            if named in _BUILTINS or isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"an import's checks hold no {module}.{name}")
