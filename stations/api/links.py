"""The origin of every absolute link we print (OGC links, sign QR codes, the feed's next link): configured, never
taken from the request's Host header, which any client can set."""

from __future__ import annotations

from stations.settings import Settings


def public_base(settings: Settings) -> str:
    """STATIONS_PUBLIC_BASE_URL, else the configured listen address (http://STATIONS_HOST:STATIONS_PORT)."""
    if settings.public_base_url:
        return settings.public_base_url
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"
