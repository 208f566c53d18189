"""The client address believes X-Forwarded-For only from trusted proxies, nearest untrusted hop first."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from stations.api.clients import client_address


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 5000), "headers": headers, "method": "GET", "path": "/"})


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("127.0.0.1", ("6.6.6.6",), (), "127.0.0.1"),  # nothing trusted: the header is ignored, even from loopback
        ("203.0.113.9", ("6.6.6.6",), ("127.0.0.1",), "203.0.113.9"),  # an untrusted peer
        ("127.0.0.1", ("6.6.6.6",), ("127.0.0.1",), "6.6.6.6"),
        ("10.0.0.2", ("1.1.1.1, 6.6.6.6, 10.0.0.3",), ("10.0.0.0/8",), "6.6.6.6"),  # forged left part ignored
        ("10.0.0.2", ("1.1.1.1", "6.6.6.6"), ("10.0.0.0/8",), "6.6.6.6"),  # two header lines
        ("10.0.0.2", ("6.6.6.6:4711",), ("10.0.0.0/8",), "6.6.6.6"),
        ("10.0.0.2", ("[2001:db8::7]:443",), ("10.0.0.0/8",), "2001:db8::7"),
        ("10.0.0.2", ("1.1.1.1, not-an-address",), ("10.0.0.0/8",), "10.0.0.2"),  # garbage where a proxy writes
        ("10.0.0.2", ("10.0.0.5",), ("10.0.0.0/8",), "10.0.0.2"),  # only proxies: the peer
        ("::1", ("6.6.6.6",), ("::1",), "6.6.6.6"),
    ],
)
def test_client_address(peer: str, forwarded: tuple[str, ...], trusted: tuple[str, ...], expected: str) -> None:
    assert client_address(_request(peer, *forwarded), trusted) == expected
