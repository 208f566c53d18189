"""Webhook hosts that resolve to loopback, private, link-local, multicast, reserved, unspecified or metadata
addresses are refused; checked with stub resolvers, nothing is ever connected to."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from stations.services.feeds.webhooks_guard import Guard, WebhookRefused

PUBLIC = "93.184.215.14"


class Stub:
    """A resolver answering from a table and remembering what it was asked."""

    def __init__(self, table: dict[str, Sequence[str]]) -> None:
        self.table, self.asked = table, list[str]()

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError("no such host")
        return self.table[host]


STUB = Stub({"hooks.example.com": [PUBLIC], "intranet.example.com": ["10.0.0.7"],
             "rebind.example.com": [PUBLIC, "127.0.0.1"], "v6.example.com": ["2001:db8::1"],
             "mapped.example.com": ["::ffff:169.254.169.254"]})


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://localhost:5432/", "local or metadata name"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://10.0.0.1/", "private"),
        ("http://[::1]/", "loopback"),
        ("http://2130706433/", "127.0.0.1 is a loopback"),
        ("http://0x7f000001/", "127.0.0.1 is a loopback"),
        ("http://0177.0.0.1/", "127.0.0.1 is a loopback"),
        ("http://127.1/", "127.0.0.1 is a loopback"),
        ("http://metadata.google.internal/computeMetadata/v1/", "local or metadata name"),
        ("http://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback"),
        ("http://[::ffff:a9fe:a9fe]/", "metadata"),
        ("http://[64:ff9b::a00:1]/", "10.0.0.1 is a private"),  # NAT64
        ("http://[2002:7f00:1::]/", "127.0.0.1 is a loopback"),  # 6to4
        ("http://0.0.0.0:8000/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not a public"),  # carrier-grade NAT
        ("http://100.100.100.200/latest/meta-data/", "metadata"),  # Alibaba Cloud
        ("http://192.168.1.1/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::1]/", "private"),
        ("http://intranet.example.com/hook", "10.0.0.7 is a private"),
        ("http://rebind.example.com/hook", "127.0.0.1 is a loopback"),  # one bad answer of several
        ("http://v6.example.com/", "2001:db8::1"),  # documentation range
        ("http://mapped.example.com/", "metadata"),
        ("http://router.local/", "local or metadata name"),
        ("http://nowhere.example.org/", "does not resolve"),
    ],
)
def test_refused_at_registration(url: str, why: str) -> None:
    with pytest.raises(WebhookRefused, match=why):
        Guard(resolver=STUB).check_url(url)


def test_public_hosts_pass_and_only_the_stub_is_asked() -> None:
    stub = Stub({"hooks.example.com": [PUBLIC]})
    Guard(resolver=stub).check_url("https://hooks.example.com/stations")
    Guard(resolver=stub).check_url(f"http://{PUBLIC}:8080/in")
    assert stub.asked == ["hooks.example.com"]


def test_allowed_networks_open_only_themselves_and_never_metadata() -> None:
    guard = Guard(allow=("10.0.0.0/8", "169.254.0.0/16"), resolver=STUB)
    guard.check_url("http://intranet.example.com/hook")
    guard.check_url("http://10.1.2.3/")
    for url in ("http://192.168.1.1/", "http://169.254.169.254/", "http://127.0.0.1/"):
        with pytest.raises(WebhookRefused):
            guard.check_url(url)
