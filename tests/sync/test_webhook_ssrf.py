"""At delivery the host is resolved again and checked before connecting; what a subscriber answers stays out of
the log admins read. Resolvers are stubs; the only sockets opened are to receivers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import Role
from stations.services.feeds.webhooks_delivery import Message, Policy, post, run_once
from tests.sync import writes
from tests.sync.receiver import receiving
from tests.sync.staff import bearer
from tests.sync.test_webhooks import LOCAL, SECRET, T0, Clock, _log, _subscribe, _tx


def _to_loopback(host: str, port: int) -> Sequence[str]:
    """DNS rebinding: the name that was public at registration now answers 127.0.0.1."""
    return ["127.0.0.1"]


def test_a_host_that_rebinds_to_loopback_is_refused_at_delivery_and_nothing_is_sent(
    live_sessions: sessionmaker[Session],
) -> None:
    with receiving(SECRET) as receiver:
        port = httpx.URL(receiver.url).port
        sub = _subscribe(live_sessions, f"http://hooks.example.com:{port}/hooks/stations")  # public when registered
        _tx(live_sessions, writes.create)
        clock = Clock()
        refused = run_once(sessions=live_sessions, policy=Policy(timeout_seconds=5.0), clock=clock,
                           resolver=_to_loopback)
        assert (refused.delivered, refused.failed) == (0, 1)
        assert receiver.posts == []
        entry = _log(live_sessions, sub)[0]
        assert entry.last_status_code is None and entry.last_error is not None
        assert "127.0.0.1 is a loopback address" in entry.last_error
        clock.now = T0 + timedelta(minutes=5)  # past the first retry delay
        allowed = run_once(sessions=live_sessions, policy=Policy(timeout_seconds=5.0, allow_networks=LOCAL),
                           clock=clock, resolver=_to_loopback)
    assert allowed.delivered == 1 and len(receiver.posts) == 1
    assert receiver.posts[0].headers["Host"] == f"hooks.example.com:{port}"  # connected to the checked address


def test_admins_cannot_register_private_or_metadata_urls(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    for url in ("http://169.254.169.254/latest/meta-data/", "http://localhost:5432/", "http://2130706433/",
                "http://[::1]/", "http://metadata.google.internal/"):
        reply = client.post("/api/v1/admin/webhooks", headers=admin, json={"url": url})
        assert reply.status_code == 422 and "webhook host" in reply.json()["detail"], url


MESSAGE = Message(delivery_id=1, change_id=1, attempt=1, url="https://hooks.example.com/in", secret=SECRET, body=b"{}")


def test_the_delivery_log_keeps_the_status_not_what_the_subscriber_said() -> None:
    answer = httpx.MockTransport(lambda request: httpx.Response(500, text="db password is hunter2 <script>"))
    with httpx.Client(transport=answer) as client:
        outcome = post(client=client, message=MESSAGE, now=T0)
    assert (outcome.status_code, outcome.error) == (500, "HTTP 500 Internal Server Error")
    odd = httpx.MockTransport(lambda request: httpx.Response(599, text="whatever"))
    with httpx.Client(transport=odd) as client:
        assert post(client=client, message=MESSAGE, now=T0).error == "HTTP 599"


def test_redirects_are_not_followed() -> None:
    seen: list[str] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    with httpx.Client(transport=httpx.MockTransport(redirect), follow_redirects=False) as client:
        outcome = post(client=client, message=MESSAGE, now=T0)
    assert (outcome.status_code, outcome.error, seen) == (302, "HTTP 302 Found", [MESSAGE.url])
