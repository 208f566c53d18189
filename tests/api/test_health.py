"""Probes: healthz always, readyz only with a reachable PostGIS."""

from __future__ import annotations

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


def test_readyz_is_503_with_reason_when_database_unreachable() -> None:
    app = create_app(Settings(database_url="postgresql://nobody:x@127.0.0.1:9/none"))
    with TestClient(app) as client:
        reply = client.get("/readyz")
    assert reply.status_code == 503
    assert reply.json()["detail"].startswith("database not ready:")
    assert "127.0.0.1" in reply.json()["detail"] or "refused" in reply.json()["detail"]


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
