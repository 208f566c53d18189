"""Schemathesis against the live app (uvicorn on 127.0.0.1, its own migrated database), anonymous and as an admin:
no input gives a 5xx, and every reply conforms to the OpenAPI document.

The budget is fixed and small so `make test` stays within minutes on two cores: per operation and identity,
`POSITIVE` cases valid by the schema and `NEGATIVE` cases that break it, derandomized (the same cases every run;
change `SEED_NOTE` below to explore others). No operation is excluded.

Checks, and why these:
- `not_a_server_error`: the point of issue 16, no 5xx from any input;
- `status_code_conformance`: every status sent is documented (stations.api.responses);
- `content_type_conformance`, `response_schema_conformance`: the documented shape is the one sent, `{"detail":
  string}` for every error, 422 included;
- `response_headers_conformance`: documented headers are sent as documented.
Not run: `positive_data_acceptance` (a schema-valid adcode, hours string or point outside China is rightly a 422:
the rules live in the services, not the schema), `negative_data_rejection` and `missing_required_header` (the
nearest lookup and the OGC items parse their own query strings, and FastAPI ignores undeclared parameters, so some
schema-invalid requests are fine to answer 200), `use_after_free`/`ensure_resource_availability` (stateful checks that
need links between operations, which the document does not declare), `ignored_auth` (it would need the security
scheme to carry the token; the admin run sends it itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, create_engine, update
from sqlalchemy.orm import Session

from stations.db.models import ApiKey, Role, StaffUser, TokenKind
from stations.schemas.staff import StaffUserCreate
from stations.services.feeds import apikeys
from stations.services.registry import stations as station_service
from stations.services.staff import auth, users
from stations.settings import Settings
from tests.factories import station_create
from tests.support import live_app, migrated_database

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance)
BUDGET = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 1}
"""Cases per operation and identity: at most 48 operations x 2 identities x 4 = 384 requests."""
ADMIN = "fuzz-admin"


@dataclass
class Live:
    """The served app, its database and settings."""

    url: str
    engine: Engine
    settings: Settings


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """The app served on a free port over a database of its own (what the fuzzer writes stays there), with three
    stations (ids 1-3, which generated ids often hit) and an admin."""
    with migrated_database("stations_fuzz") as url:
        settings = Settings(database_url=url, log_format="console", password_hash_cost="test", read_pool_warm=False)
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            for name in ("示例驿站一", "示例驿站二", "示例驿站三"):
                station_service.create(session=session, data=station_create(name=name))
            users.create(session=session, cost="test", data=StaffUserCreate(
                username=ADMIN, password="fuzz-admin-password", role=Role.ADMIN, display_name="fuzz"))
        with live_app(settings) as base:
            yield Live(url=base, engine=engine, settings=settings)
        engine.dispose()


def admin_headers(live: Live) -> dict[str, str]:
    """A fresh bearer token and API key for the admin, who is made an active admin again first: a fuzzed logout,
    account change or key revocation in the previous case must not turn the rest into 401s."""
    with Session(live.engine) as session, session.begin():
        session.execute(update(StaffUser).where(StaffUser.username == ADMIN).values(
            is_active=True, role=Role.ADMIN, region_prefix="", locked_until=None, failed_logins=0))
        session.execute(update(ApiKey).values(revoked_at=None))
        admin = session.query(StaffUser).filter_by(username=ADMIN).one()
        token, _ = auth.issue_token(session=session, settings=live.settings, user=admin, kind=TokenKind.API)
        key, _ = apikeys.create(session=session, name="fuzz", rate_per_minute=1_000_000)
    return {"Authorization": f"Bearer {token}", "X-API-Key": key}


def fuzz(live: Live, *, as_admin: bool) -> tuple[list[str], dict[str, set[int]]]:
    """Run the budget over every operation: the failures, each with how to reproduce it, and the statuses seen per
    operation."""
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    failures: list[str] = []
    seen: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, count in BUDGET.items():

            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis.settings(max_examples=count, derandomize=True, database=None, deadline=None,
                                 phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                headers = admin_headers(live) if as_admin else None
                response = case.call(base_url=live.url, headers=headers, timeout=30)
                seen.setdefault(case.operation.label, set()).add(response.status_code)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:  # nothing in it can break the schema (no parameters, or text)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # every failure is listed, not only the first
                failures.append(f"{operation.label} ({mode.value}): {str(exc).strip()[:1500]}")
    return failures, seen


def test_anonymous_fuzzing_finds_no_5xx_and_no_undocumented_reply(live: Live) -> None:
    failures, seen = fuzz(live, as_admin=False)
    assert not failures, "\n\n".join(failures)
    assert seen["GET /api/v1/staff/users"] == {401}


def test_admin_fuzzing_finds_no_5xx_and_no_undocumented_reply(live: Live) -> None:
    failures, seen = fuzz(live, as_admin=True)
    assert not failures, "\n\n".join(failures)
    assert 200 in seen["GET /api/v1/staff/users"]  # the admin's token worked, so the writes were really tried
