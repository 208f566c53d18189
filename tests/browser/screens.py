"""Where browser screenshots go: a temporary folder, or the README's docs/screenshots when asked.

`make screenshots` runs the browser tests with `--screenshots docs/screenshots`; a plain `make test`
leaves the committed pictures alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class _Folder:
    path: Path | None = None


FOLDER = _Folder()


def save(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save the page as `<folder>/<name>.png` and return the path."""
    assert FOLDER.path is not None, "the browser conftest sets the screenshot folder"
    FOLDER.path.mkdir(parents=True, exist_ok=True)
    path = FOLDER.path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
