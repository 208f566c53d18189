"""Response classes for our media types."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class GeoJSONResponse(JSONResponse):
    """RFC 7946 GeoJSON."""

    media_type = "application/geo+json"
