"""Who is asking: the client address, believing X-Forwarded-For only from STATIONS_TRUSTED_PROXIES.

`stations serve` gives uvicorn the same list (forwarded_allow_ips), so either layer alone gives the same answer:
uvicorn rewrites the peer only when it is a trusted proxy, and a rewritten peer is an untrusted client here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in trusted)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a forwarded hop ('1.2.3.4', '1.2.3.4:5678', '[::1]:80', '::1'), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(text: str, networks: Sequence[Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in networks)


def client_address(request: Request, trusted: tuple[str, ...]) -> str:
    """The peer, or, when the peer is a trusted proxy, the nearest X-Forwarded-For hop that is not one."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(trusted)
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for value in request.headers.getlist("x-forwarded-for") for hop in value.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            address = _address(hop)
            return str(address) if address is not None else peer  # garbage where a proxy writes: trust nothing
    return peer
