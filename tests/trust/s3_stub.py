"""A tiny S3-compatible server on 127.0.0.1 for the photo store's tests: PUT, GET, DELETE of objects in memory,
refusing (403) any request whose SigV4 signature, credential or payload hash does not check out."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stations.services.trust.s3 import sign

ACCESS, SECRET, BUCKET = "stub-access", "stub-secret-key", "photos"
_AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=(?P<ak>[^/]+)/(?P<scope>\S+), SignedHeaders=(?P<names>[^,]+), "
                   r"Signature=[0-9a-f]{64}$")


def stub_app(objects: dict[str, bytes], refused: list[str]) -> Starlette:
    """The stub: `objects` by key; `refused` collects why requests were turned away."""

    async def handle(request: Request) -> Response:
        body = await request.body()
        found = _AUTH.match(request.headers.get("authorization", ""))
        if found is None or found["ak"] != ACCESS:
            refused.append("credential")
            return Response(status_code=403)
        if request.headers.get("x-amz-content-sha256") != hashlib.sha256(body).hexdigest():
            refused.append("payload")
            return Response(status_code=403)
        names = found["names"].split(";")
        extra = {n: request.headers[n] for n in names if n not in ("host", "x-amz-date", "x-amz-content-sha256")}
        now = datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expected = sign(method=request.method, url=str(request.url), headers=extra, payload_sha256=hashlib.sha256(
            body).hexdigest(), access_key=ACCESS, secret_key=SECRET, region="us-east-1", now=now)["Authorization"]
        if expected != request.headers["authorization"]:
            refused.append("signature")
            return Response(status_code=403)
        key = request.path_params["key"]
        if request.method == "PUT":
            objects[key] = body
            return Response(status_code=200)
        if request.method == "DELETE":
            objects.pop(key, None)
            return Response(status_code=204)
        return Response(objects[key], media_type="image/jpeg") if key in objects else Response(status_code=404)

    return Starlette(routes=[Route(f"/{BUCKET}/{{key:path}}", handle, methods=["GET", "PUT", "DELETE"])])


@contextmanager
def running(objects: dict[str, bytes], refused: list[str]) -> Iterator[str]:
    """Serve the stub on a free local port; yield its endpoint."""
    import threading
    import time

    import uvicorn

    from tests.support import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(stub_app(objects, refused), host="127.0.0.1", port=port,
                                           log_config=None, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
