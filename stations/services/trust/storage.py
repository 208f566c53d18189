"""Where photo files live, behind one small interface: the filesystem by default, S3 (MinIO, OSS...) when set.

Keys are ours (`photos/<public id>.jpg`, never a client's file name), so no path can leave the store's root.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[a-z]+/[A-Za-z0-9]+(\.thumb)?\.jpg$")


class PhotoStore(Protocol):
    """Put, get and delete whole objects by key."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key` (replacing any)."""

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or None if there is none."""

    def delete(self, key: str) -> None:
        """Remove the object (no error if it is gone)."""


def check_key(key: str) -> str:
    """A key we made, or ValueError (defence in depth: callers never pass user text)."""
    if not _KEY.match(key):
        raise ValueError(f"not a photo key: {key!r}")
    return key


class FileStore:
    """Objects as files under `root`, written atomically (a temporary file renamed into place)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file atomically."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)

    def get(self, key: str) -> bytes | None:
        """The file's bytes, or None."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        """Remove the file if it exists."""
        self._path(key).unlink(missing_ok=True)

