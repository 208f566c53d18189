"""X-Forwarded-For counts only from STATIONS_TRUSTED_PROXIES (none by default): rotating it no longer resets the
report limiter or lets "I was here" refresh verified_at at will. Served by uvicorn as `stations serve` sets it up."""

from __future__ import annotations

from contextlib import AbstractContextManager

import httpx
from sqlalchemy.orm import Session, sessionmaker

from stations.cli.serve import server_options
from stations.settings import Settings
from tests.support import live_app
from tests.sync import writes

PER_HOUR = 3


def serving(settings: Settings) -> AbstractContextManager[str]:
    """uvicorn with `stations serve`'s options (proxy headers from the settings) on a free port of 127.0.0.1."""
    return live_app(settings, options=server_options(settings))


def _report(url: str, station: int, forwarded: str, kind: str = "was_here") -> int:
    reply = httpx.post(f"{url}/api/v1/stations/{station}/reports", json={"kind": kind},
                       headers={"X-Forwarded-For": forwarded}, timeout=10)
    return reply.status_code


def _station(live_sessions: sessionmaker[Session]) -> int:
    with live_sessions() as session, session.begin():
        return writes.create(session).id


def test_rotating_x_forwarded_for_does_not_reset_the_limit_by_default(
    live_sessions: sessionmaker[Session], live_database_url: str
) -> None:
    settings = Settings(database_url=live_database_url, log_format="console", reports_per_hour=PER_HOUR)
    assert settings.trusted_proxies == ()
    station = _station(live_sessions)
    with serving(settings) as url:
        codes = [_report(url, station, f"203.0.113.{n}") for n in range(PER_HOUR + 2)]
    assert codes == [201] * PER_HOUR + [429, 429]


def test_a_trusted_proxy_is_believed_and_its_nearest_untrusted_hop_is_the_client(
    live_sessions: sessionmaker[Session], live_database_url: str
) -> None:
    settings = Settings(database_url=live_database_url, log_format="console", reports_per_hour=PER_HOUR,
                        trusted_proxies="127.0.0.1, 10.0.0.0/8")
    station = _station(live_sessions)
    with serving(settings) as url:
        spread = [_report(url, station, f"198.51.100.{n}") for n in range(PER_HOUR + 1)]  # four real clients
        # One client forging the left of the chain: the proxies (10.0.0.2, then us) add what they saw on the right.
        forged = [_report(url, station, f"192.0.2.{n}, 198.51.100.200, 10.0.0.2") for n in range(PER_HOUR + 1)]
    assert spread == [201] * (PER_HOUR + 1)
    assert forged == [201] * PER_HOUR + [429]
