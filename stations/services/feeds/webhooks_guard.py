"""Where webhooks may go: public addresses only, checked after DNS, at registration and again at every delivery.

A subscriber's host is resolved and every address it resolves to must be global unicast: loopback, private,
link-local, shared (100.64/10), multicast, reserved, unspecified and documentation ranges are refused, and so are
IPv4 addresses hidden in IPv6 (::ffff:127.0.0.1, 6to4, NAT64, Teredo), legacy numeric hosts (2130706433,
0x7f000001, 0177.0.0.1) and cloud metadata names and addresses. Delivery connects to the address that was checked
(TLS still verifies the host name), so a DNS answer that changes between check and connect cannot redirect it.
Networks in STATIONS_WEBHOOK_ALLOW_NETWORKS (none by default) are allowed on purpose, e.g. an intranet subscriber;
metadata addresses never are.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from stations.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> the addresses it resolves to, as text; raises OSError when it does not resolve."""

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "metadata.tencentyun.com"})
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "169.254.169.253",
))
"""AWS, GCP, Azure, Alibaba Cloud and Tencent Cloud instance metadata, refused even inside an allowed network."""
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")
_LEGACY_NUMERIC = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class WebhookRefused(InvalidInput):
    """A webhook URL whose host is, or resolves to, an address we must not send to."""


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer (getaddrinfo), each address once."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IPAddress, allow: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> str | None:
    """Why a webhook must not go to this address (None: it may)."""
    inner = _embedded_ipv4(ip)
    if ip in METADATA_ADDRESSES or (inner is not None and inner in METADATA_ADDRESSES):
        return f"{ip} is a cloud metadata address"
    if any(ip in network for network in allow):
        return None
    if inner is not None:
        return refusal(inner, allow)
    if ip.is_global and not ip.is_multicast:
        return None
    kinds = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")
    kind = next((k for k in kinds if getattr(ip, f"is_{k}")), "not public")
    return f"{ip} is a {kind.replace('_', '-')} address" if kind != "not public" else f"{ip} is not a public address"


def _literal(host: str) -> IPAddress | None:
    """The address a host names literally: IPv4/IPv6 text, or the legacy numeric forms inet_aton reads."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_NUMERIC.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            raise WebhookRefused(f"webhook host {host!r} is neither a host name nor an IP address") from None
    return None


@dataclass(frozen=True)
class Guard:
    """Resolves a webhook host and refuses forbidden addresses; `resolver` None means the system's."""

    allow: tuple[str, ...] = ()
    resolver: Resolver | None = None

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address the host stands for, all checked; WebhookRefused naming the first forbidden one."""
        name = host.lower().rstrip(".")
        if name in METADATA_HOSTS or name == "localhost" or name.endswith(_LOCAL_SUFFIXES):
            raise WebhookRefused(f"webhook host {host} is a local or metadata name: use the subscriber's public name")
        literal = _literal(name)
        if literal is not None:
            found = [literal]
        else:
            try:
                found = [ipaddress.ip_address(a.split("%")[0]) for a in self._resolve(name, port)]
            except (OSError, UnicodeError, ValueError) as exc:
                raise WebhookRefused(f"webhook host {host} does not resolve ({type(exc).__name__})") from None
        if not found:
            raise WebhookRefused(f"webhook host {host} does not resolve")
        networks = [ipaddress.ip_network(n, strict=False) for n in self.allow]
        for ip in found:
            if (why := refusal(ip, networks)) is not None:
                raise WebhookRefused(f"webhook host {host} is refused: {why} (only public addresses receive webhooks)")
        return found

    def _resolve(self, host: str, port: int) -> Sequence[str]:
        return (self.resolver or system_resolver)(host, port)

    def check_url(self, url: str) -> None:
        """WebhookRefused unless the URL's host resolves to allowed addresses only."""
        parts = urlsplit(url)
        if not parts.hostname:
            raise WebhookRefused("webhook URL has no host name, e.g. https://example.com/hooks/stations")
        self.addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that resolves and checks the host itself, then connects to the checked address."""

    def __init__(self, guard: Guard, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.guard = guard

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request to the first checked address of its host (Host header and TLS name unchanged)."""
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            address = self.guard.addresses(host, port)[0]
        except WebhookRefused as exc:
            raise httpx.ConnectError(exc.message, request=request) from exc
        request.url = request.url.copy_with(host=str(address))
        request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)
