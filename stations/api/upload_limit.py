"""Import uploads past the size limit are refused before their body is buffered: by Content-Length at once, or, for
a body sent without one, as soon as the bytes received pass the limit.

A body announced too large is read and dropped (up to DRAIN_MAX) before the 413 goes out: a server that closes a
connection with unread data resets it, and most clients (browsers, httpx) then lose the reply while still sending.
A client that sends `Expect: 100-continue` (curl) is refused before it sends anything.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stations.services.importer.limits import MB

UPLOAD_PATHS = ("/api/v1/imports", "/staff/imports")
FORM_OVERHEAD = MB  # multipart boundaries and the small fields around the file
DRAIN_MAX = 256 * MB


class UploadLimit:
    """ASGI middleware: a POST to an import path whose body is larger than `max_bytes` gets a 413."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, paths: str | None = None, message: str | None = None) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.message = message or f"文件超过 {max_bytes // MB} MB：请拆分成较小的文件后再导入"
        self.paths = re.compile(paths) if paths else None  # a pattern of other upload paths (photos), else imports'

    def _watched(self, path: str) -> bool:
        return bool(self.paths.match(path)) if self.paths else path.startswith(UPLOAD_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass other requests through; refuse or watch the body of an upload."""
        if scope["type"] != "http" or scope["method"] != "POST" or not self._watched(scope["path"]):
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes + FORM_OVERHEAD
        length = Headers(scope=scope).get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > limit:
            if not Headers(scope=scope).get("expect", "").lower().startswith("100-continue"):
                await _drain(receive)
            await self._refuse(scope)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, self.message)  # FastAPI passes an HTTPException from the body through
            return message

        await self.app(scope, counted, send)

    def _refuse(self, scope: Scope) -> Response:
        if scope["path"].startswith("/staff/"):
            back = "/staff/imports" if self.paths is None else "/staff"
            page = f'<!doctype html><meta charset="utf-8"><p>{self.message}</p><p><a href="{back}">返回</a></p>'
            return HTMLResponse(page, status_code=413)
        return JSONResponse({"detail": self.message}, status_code=413)


async def _drain(receive: Receive) -> None:
    """Read and drop a request body, up to DRAIN_MAX bytes."""
    dropped = 0
    while dropped <= DRAIN_MAX:
        message = await receive()
        dropped += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return
