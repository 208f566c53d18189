"""Signed CAP pushes: the same HMAC-SHA256 our webhooks send (`sha256=` + hex of `{timestamp}.{body}`), checked in
constant time, with the timestamp inside a tolerance so a captured push cannot be sent again later (a push sent
again within it names a CAP identifier already stored, and is refused as a conflict)."""

from __future__ import annotations

import hmac
from datetime import datetime

from stations.errors import NotConfigured, Unauthorized
from stations.services.feeds.webhooks_delivery import sign


def verify(*, secret: str | None, signature: str | None, timestamp: str | None, body: bytes, now: datetime,
           tolerance_seconds: int) -> None:
    """Return if the push is signed with `secret` at a time within the tolerance; else NotConfigured (no secret
    set) or Unauthorized saying what was wrong (never what the right signature would be)."""
    if not secret:
        raise NotConfigured("CAP pushes are off: the operator sets STATIONS_ALERT_PUSH_SECRET to turn them on")
    if not signature or not timestamp:
        raise Unauthorized("a CAP push needs the headers X-Stations-Timestamp (Unix seconds) and "
                           "X-Stations-Signature (sha256=<hex HMAC-SHA256 of '{timestamp}.{body}'>)")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Unauthorized(f"X-Stations-Timestamp must be Unix seconds, got {timestamp[:40]!r}") from None
    if abs(now.timestamp() - sent) > tolerance_seconds:
        raise Unauthorized(f"X-Stations-Timestamp is more than {tolerance_seconds} s from our clock: sign each push "
                           "when it is sent (an old push is not accepted again)")
    if not hmac.compare_digest(sign(secret=secret, timestamp=sent, body=body), signature.strip()):
        raise Unauthorized("X-Stations-Signature does not match the body: sign '{timestamp}.{body}' with the shared "
                           "secret")
