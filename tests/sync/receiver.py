"""A webhook receiver on 127.0.0.1 in a thread: checks signatures, records bodies, replies as scripted."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = -1
"""A scripted reply that holds the request until `release` is set (an endpoint that never answers)."""


@dataclass
class Post:
    """One request as received."""

    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def entry(self) -> dict[str, Any]:
        """The body as JSON."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """Where a test's webhooks go and what arrived there."""

    url: str
    secret: str
    replies: list[int] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    got_request: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Check X-Stations-Signature as a subscriber would: HMAC-SHA256 of `{timestamp}.{body}`."""
    signed = headers["X-Stations-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Stations-Signature", ""))


@contextmanager
def receiving(secret: str, replies: list[int] | None = None) -> Iterator[Receiver]:
    """Serve a receiver until the block ends; `replies` are status codes used in order, then 200."""
    receiver = Receiver(url="", secret=secret, replies=list(replies or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = dict(self.headers.items())
            receiver.posts.append(Post(headers, body, verify(receiver.secret, headers, body)))
            receiver.got_request.set()
            status = receiver.replies.pop(0) if receiver.replies else 200
            if status == HANG:
                receiver.release.wait(30)
                status = 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/stations"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/dead"
