"""The security headers of every page a person opens, in one place: the worker map's and the staff pages'.

Both get a Content-Security-Policy without 'unsafe-inline' (the map allows its inline blocks by hash, staff pages
have none), `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` and `frame-ancestors 'none'`; only
the map may be framed, by the union apps named in STATIONS_FRAME_ANCESTORS. Staff pages get theirs from
`StaffPageHeaders` (every reply under /staff, redirects and errors included); the map's come with its reply.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stations.services.pages.map_page import basemap
from stations.settings import Settings

_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)
STAFF_PREFIX = "/staff"


def tile_origin(url: str | None) -> str:
    """The origin of an XYZ tile URL for img-src (`{s}` subdomains as a wildcard); "" for none."""
    if not url:
        return ""
    return "/".join(re.sub(r"^(https?://)[^/]*\{s\}", r"\1*", url).split("/")[:3])


def policy(*, scripts: Iterable[str] = (), styles: Iterable[str] = (), images: Iterable[str] = (),
           frame_ancestors: Iterable[str] = ()) -> str:
    """A Content-Security-Policy: our own origin for everything, plus the given script/style hashes, image sources
    and framing origins (none: the page is never framed)."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return "; ".join([
        "default-src 'self'", " ".join(["script-src 'self'", *scripts]), " ".join(["style-src 'self'", *styles]),
        " ".join(["img-src 'self' data:", *(i for i in images if i)]), "connect-src 'self'", "worker-src 'self'",
        "manifest-src 'self'", "object-src 'none'", "base-uri 'none'", f"frame-ancestors {ancestors}",
        "form-action 'self'",
    ])


def headers(csp: str) -> dict[str, str]:
    """The security headers of a page with this policy (X-Frame-Options too when nobody may frame it, for
    webviews too old for frame-ancestors)."""
    found = {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    return found | {"X-Frame-Options": "DENY"} if "frame-ancestors 'none'" in csp else found


def map_policy(*, html: str, settings: Settings) -> str:
    """The map page's policy: hashes of its inline <script>/<style> blocks, the basemap's tiles and https photos,
    framing by the configured union apps only."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, body in _INLINE.findall(html):
        hashes[tag].append("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return policy(scripts=hashes["script"], styles=hashes["style"],
                  images=("https:", tile_origin(basemap(settings).url)), frame_ancestors=settings.frame_ancestors)


def staff_policy(settings: Settings) -> str:
    """The staff pages' policy: no inline code at all, the pin map's tiles, never framed."""
    return policy(images=(tile_origin(settings.staff_tile_url),))


class StaffPageHeaders:
    """ASGI middleware: every reply under /staff carries the staff pages' security headers (and `no-store`: they
    show people's names and phone numbers), unless the route set its own. The policy follows the app's settings."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(STAFF_PREFIX):
            await self.app(scope, receive, send)
            return
        settings: Settings = scope["app"].state.settings
        extra = headers(staff_policy(settings)) | {"Cache-Control": "no-store"}
        wanted = [(name.lower().encode(), value.encode()) for name, value in extra.items()]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in wanted if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
