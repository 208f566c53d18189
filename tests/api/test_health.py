"""Probes: healthz always, readyz only with a reachable PostGIS."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from stations.app import create_app
from stations.settings import Settings


def test_healthz_answers_without_database() -> None:
    app = create_app(Settings(database_url="postgresql://nobody:x@127.0.0.1:9/none"))
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_postgis_when_ready(client: TestClient) -> None:
    reply = client.get("/readyz")
    assert reply.status_code == 200
    assert reply.json()["status"] == "ready"
    assert reply.json()["postgis"].startswith("3.")


def test_readyz_is_503_database_unavailable_without_saying_where(caplog: pytest.LogCaptureFixture) -> None:
    """It told anyone the database's host and port and the driver's text; the log keeps them for us."""
    app = create_app(Settings(database_url="postgresql://nobody:x@127.0.0.1:9/none", log_format="console"))
    with caplog.at_level(logging.INFO), TestClient(app) as client:
        reply = client.get("/readyz")
    assert reply.status_code == 503
    assert reply.json() == {"detail": "database unavailable"}
    assert any("127.0.0.1" in str(getattr(r, "detail", "")) for r in caplog.records)


def test_opentelemetry_is_consulted_only_when_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """FastAPI's native telemetry looks up the global tracer provider on every request; `otel` decides whether."""
    from opentelemetry import trace

    lookups: list[int] = []
    real = trace.get_tracer_provider
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: lookups.append(1) or real())
    for otel, consulted in ((False, False), (True, True)):
        lookups.clear()
        app = create_app(Settings(database_url="postgresql://nobody:x@127.0.0.1:9/none", otel=otel))
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
        assert bool(lookups) is consulted


def test_every_route_answers_a_database_outage_with_a_503_in_the_usual_shape() -> None:
    """Not FastAPI's plain-text 500: the same `{"detail"}` and retry advice as the nearest lookup's fast path."""
    app = create_app(Settings(database_url="postgresql://nobody:x@127.0.0.1:9/none", read_pool_warm=False))
    with TestClient(app) as client:
        viewport = client.get("/api/v1/stations", params={"bbox": "103.8,36.0,103.9,36.1"})
        nearest = client.get("/api/v1/stations/nearest", params={"lon": 103.834, "lat": 36.061})
    assert viewport.status_code == nearest.status_code == 503
    assert viewport.json() == nearest.json() == {
        "detail": "the station database is not reachable right now; try again in a minute"}
