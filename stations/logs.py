"""Structured logging: one JSON object per line (or plain lines for a console)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """Render a record and its `extra=` fields as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON with time, level, logger, event and extras."""
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


_WHERE = re.compile(r"([?&](?:lon|lat)=)[^&#]*", re.IGNORECASE)


class HideWhereRidersAre(logging.Filter):
    """Access log lines keep the path and parameters but not a lookup's `lon`/`lat`: next to the client address they
    would say where a rider was (the lookup itself stores no position: docs/coverage.md)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Blank the coordinates in uvicorn's (client, method, path, version, status) arguments."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], _WHERE.sub(r"\1-", args[2]), args[3], args[4])
        return True


def configure(*, level: str = "INFO", fmt: str = "json") -> None:
    """Send all logs to stderr in the chosen format, replacing earlier handlers; access lines without positions."""
    logging.getLogger("uvicorn.access").addFilter(HideWhereRidersAre())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
