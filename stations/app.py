"""The application factory: create_app(settings) -> FastAPI."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from stations import __version__, divisions, periodic
from stations.api import ratelimit
from stations.api.deps import LoginRequired, refuse_control_characters
from stations.api.errors import install_error_handlers
from stations.api.links import startup_notices
from stations.api.responses import document_responses
from stations.api.routes import (
    alerts,
    apikeys,
    auth,
    calendar,
    checkins,
    coverage,
    duplicates,
    exports,
    feed,
    health,
    history,
    imports,
    inspections,
    listings,
    ogc,
    pages,
    photos,
    reports,
    signs,
    staff_alert_pages,
    staff_calendar_pages,
    staff_coverage_pages,
    staff_edit_pages,
    staff_import_pages,
    staff_pages,
    staff_report_pages,
    staff_trust_pages,
    station_writes,
    stations,
    tiles,
    viewport,
    webhooks,
)
from stations.api.security import StaffPageHeaders
from stations.api.staff_web import to_login
from stations.api.upload_limit import UploadLimit
from stations.db.engine import database_url, make_engine, make_session_factory
from stations.db.replicas import ReadRoute
from stations.hours import SHANGHAI
from stations.nearest import Nearest
from stations.nearest import http as nearest_http
from stations.services import holidays
from stations.services.coverage.recorder import DemandRecorder
from stations.services.feeds.tile_cache import TileCache
from stations.services.feeds.webhooks_delivery import start_webhook_worker
from stations.services.importer.limits import Limits
from stations.services.importer.runner import ImportRunner
from stations.services.registry import cells
from stations.services.trust.stores import store_from_settings
from stations.settings import Settings

log = logging.getLogger(__name__)
PHOTO_UPLOADS = r"^/(api/v1|staff)/stations/[0-9]+/(photos|inspect)$"


async def _warm(reads: ReadRoute, app: FastAPI) -> None:
    """Open the nearest lookup's connections ahead of the first lookups, each with the usual lookup's statement
    prepared; on failure they open on demand."""
    sql, args = app.state.nearest.warming(now=app.state.clock(), calendar=app.state.calendar.current)
    try:
        await reads.warm(sql, *args)
    except Exception as exc:  # the database may be starting or down: /readyz reports that, lookups retry
        log.warning("read_pool_not_warmed", extra={"detail": str(exc)})


def _load_calendar(app: FastAPI) -> None:
    """Top the registry's holiday calendar up from chinesecalendar, read it, and say if a year is missing."""
    try:
        with app.state.session_factory() as session, session.begin():
            added = app.state.calendar.sync(session=session)
    except Exception as exc:  # the database may be starting: lookups use chinesecalendar's years until it answers
        log.warning("holiday_calendar_not_loaded", extra={"detail": str(exc)})
        return
    if added:
        log.info("holiday_years_added", extra={"years": added})
    notice = holidays.missing_schedule_notice(app.state.calendar.current, app.state.clock().date())
    if notice:
        log.warning("holiday_schedule_missing", extra={"detail": notice})


def _beijing_now() -> datetime:
    return datetime.now(SHANGHAI)


def create_app(settings: Settings, *, clock: Callable[[], datetime] = _beijing_now) -> FastAPI:
    """Build the app; the database pool opens in the lifespan, not at import or build time. `clock` is the time
    lookups without `open_at` ask about (Beijing time; tests give their own)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(database_url(settings, start_local=False), pool_size=settings.pool_size,
                             connect_timeout=settings.connect_timeout_seconds)
        url = engine.url.render_as_string(False)
        app.state.session_factory = make_session_factory(engine)
        limits = ratelimit.limits_engine(url, connect_timeout=settings.connect_timeout_seconds)
        app.state.report_limiter = ratelimit.RateLimiter(limits, namespace="report")  # worker reports per device
        app.state.key_limiter = ratelimit.RateLimiter(limits, namespace="key")  # feed and export requests per key
        await asyncio.to_thread(_load_calendar, app)  # the calendar and everything else written: on the primary
        for event, words in startup_notices(settings):
            log.warning(event, extra={"detail": words})
        background = [
            asyncio.create_task(app.state.calendar.follow(app.state.session_factory,
                                                          every=settings.calendar_refresh_seconds)),
            asyncio.create_task(periodic.every(ratelimit.PRUNE_SECONDS, partial(ratelimit.prune, limits),
                                               failed="rate_limits_not_pruned")),
            asyncio.create_task(periodic.every(cells.FOLD_SECONDS, partial(cells.fold_committed, engine),
                                               failed="station_cells_not_folded")),  # migration 0022's cells
        ]
        app.state.import_runner = ImportRunner(database_url=url, sessions=app.state.session_factory,
                                               limits=Limits.from_settings(settings), workers=settings.import_workers)
        reads = ReadRoute.build(primary_engine=engine, replica_urls=settings.read_database_urls,
                                pool_size=settings.pool_size, read_pool_size=settings.read_pool_size,
                                max_lag=settings.replica_max_lag_seconds,
                                connect_timeout=settings.connect_timeout_seconds)
        app.state.reads = reads
        app.state.demand = DemandRecorder(clock=app.state.clock, retention_days=settings.demand_retention_days,
                                          max_cells=settings.demand_max_cells)  # issue 23
        app.state.nearest = Nearest(reads, demand=app.state.demand if settings.demand_recording else None)
        background.append(asyncio.create_task(app.state.demand.run(app.state.session_factory,
                                                                   every=settings.demand_flush_seconds)))
        if settings.demand_recording:  # its flushes locate each new cell's county: boundaries decoded now, not then
            background.append(asyncio.create_task(asyncio.to_thread(divisions.load_boundaries)))
        app.state.nearest.caches.alerts.seconds = settings.alert_cache_seconds  # issue 24
        if settings.read_database_urls:
            background.append(asyncio.create_task(reads.watch(every=settings.replica_check_seconds)))
        if settings.read_pool_warm:
            background.append(asyncio.create_task(_warm(reads, app)))
        stop_webhooks = start_webhook_worker(settings, app.state.session_factory)
        # Everything loaded so far (FastAPI, pydantic, SQLAlchemy... about 180k objects) lives as long as the
        # process: out of the collector's sight, a full collection is short enough not to stall lookups
        # (docs/performance.md).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            for task in background:
                task.cancel()
            await app.state.demand.flush(app.state.session_factory)  # what this process counted since the last
            stop_webhooks()
            await reads.close()
            limits.dispose()
            engine.dispose()

    # FastAPI's native telemetry looks up the global OTel providers on every request even when none is set up.
    # Off unless an operator asks for it.
    otel = settings.otel
    app = FastAPI(title="Stations", version=__version__, lifespan=lifespan,
                  telemetry={"tracing": otel, "metrics": otel, "logs": otel},
                  dependencies=[Depends(refuse_control_characters)])
    app.state.settings = settings
    app.state.clock = clock
    app.state.calendar = holidays.LiveCalendar()
    app.state.tile_cache = TileCache(seconds=min(settings.tile_server_cache_seconds, settings.tile_cache_seconds))
    app.add_middleware(UploadLimit, max_bytes=settings.import_max_bytes)  # before the body is read (issue 16)
    app.state.photo_store = store_from_settings(settings)  # issue 22: photos, refused unread past their limit too
    app.add_middleware(UploadLimit, max_bytes=settings.photo_max_bytes, paths=PHOTO_UPLOADS,
                       message=f"照片超过 {settings.photo_max_bytes // 2**20} MB：请压缩后再上传")
    app.add_middleware(StaffPageHeaders)  # inside the fast path: lookups never pass it
    app.add_middleware(nearest_http.NearestFastPath)  # the hot path skips FastAPI's routing and validation
    app.add_exception_handler(LoginRequired, to_login)  # staff pages: the login form, not a 401
    install_error_handlers(app)  # outermost: answers what the fast path or a streamed body raises
    staff = (auth, station_writes, history, imports, signs, staff_pages, staff_edit_pages, staff_import_pages,
             staff_report_pages, calendar, staff_calendar_pages)
    for module in (feed, ogc, tiles, exports, listings, apikeys, webhooks, health, nearest_http, viewport, stations,
                   pages, *staff):
        app.include_router(module.router)
    app.include_router(reports.router)
    for module in (checkins, inspections, photos, duplicates, staff_trust_pages):  # issue 22
        app.include_router(module.router)
    for module in (alerts, staff_alert_pages, coverage, staff_coverage_pages):  # issues 24 (alerts), 23 (coverage)
        app.include_router(module.router)
    document_responses(app)
    # Scripts and styles are compressed (Leaflet 148 KB -> ~42 KB for riders on weak mobile data); the API is
    # not, so the nearest lookup's hot path spends no CPU on it.
    static = StaticFiles(directory=settings.web_dir / "static", check_dir=False)
    app.mount("/static", GZipMiddleware(static, minimum_size=1024), name="static")
    return app
