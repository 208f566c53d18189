"""Settings, read only here, from the environment with the STATIONS_ prefix."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def normalise_database_url(url: str) -> str:
    """Return a PostgreSQL URL using the psycopg 3 driver, or raise ValueError with the reason."""
    url = url.strip()
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(
        f"STATIONS_DATABASE_URL must be a PostgreSQL URL like postgresql://user:pass@host:5432/db, got {url!r}"
    )


def parse_networks(value: object) -> tuple[str, ...]:
    """IP addresses or CIDR networks, comma- or space-separated (or a list), normalised; ValueError names a bad one."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
    networks = []
    for item in items:
        try:
            networks.append(str(ipaddress.ip_network(str(item).strip(), strict=False)))
        except ValueError as exc:
            raise ValueError(f"{item!r} is not an IP address or network such as 10.0.0.5 or 10.0.0.0/24") from exc
    return tuple(networks)


_FRAME_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


def parse_origins(value: object) -> tuple[str, ...]:
    """Origins like https://app.example.cn or https://*.example.cn, comma- or space-separated (or a list);
    ValueError names a bad one."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
    origins = tuple(str(item).strip().rstrip("/") for item in items)
    for origin in origins:
        if not _FRAME_ORIGIN.fullmatch(origin):
            raise ValueError(f"{origin!r} is not an origin such as https://app.example.cn or https://*.example.cn")
    return origins


class Settings(BaseSettings):
    """Everything configurable about a Stations process."""

    model_config = SettingsConfigDict(env_prefix="STATIONS_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None, description="PostgreSQL URL; unset means the embedded local PostGIS"
    )
    read_database_urls: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="streaming replicas (PostgreSQL URLs, comma-separated) that serve riders' reads"
    )
    replica_max_lag_seconds: float = Field(
        default=10.0, gt=0, description="a replica further behind the primary than this is skipped"
    )
    replica_check_seconds: float = Field(
        default=2.0, gt=0, description="how often each process checks that its replicas answer and keep up"
    )
    connect_timeout_seconds: int = Field(
        default=5, ge=2, le=60, description="how long opening a database connection may take before it is given up"
    )
    migrate_on_start: bool = Field(
        default=True,
        description="`serve` migrates and loads demo data into an empty database; off where migrations are a step",
    )
    migration_lock_timeout_seconds: float = Field(
        default=10.0, ge=0, description="how long a migration waits for a table's lock before it gives up (0: forever)"
    )
    data_dir: Path = Field(default=Path("var"), description="where the embedded cluster and files live")
    local_db_port: int = Field(default=54329, ge=1024, le=65535)
    local_db_name: str = "stations"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    pool_size: int = Field(default=5, ge=1, le=100)
    read_pool_size: int = Field(
        default=8, ge=1, le=100, description="connections per process for the nearest lookup (about 4 per core)"
    )
    read_pool_warm: bool = Field(
        default=True,
        description="open the nearest lookup's and station pages' connections at startup, in the background",
    )
    otel: bool = Field(
        default=False, description="FastAPI's native OpenTelemetry spans, metrics and logs (needs an OTel SDK set up)"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    web_dir: Path = Field(default=Path(__file__).resolve().parent.parent / "web")
    demo_count: int = Field(default=3000, ge=0, description="stations `serve` seeds into an empty database")
    password_hash_cost: Literal["default", "test"] = Field(
        default="default", description="Argon2 cost: RFC 9106 low-memory profile; `test` is for test suites only"
    )
    api_token_minutes: int = Field(default=30, ge=1, le=24 * 60, description="lifetime of an API bearer token")
    staff_session_hours: int = Field(default=8, ge=1, le=72, description="lifetime of a staff page login")
    login_max_failures: int = Field(default=5, ge=1, description="failed logins before the account locks")
    login_lockout_minutes: int = Field(default=15, ge=1, description="first lockout; doubles on each repeat")
    cookie_secure: bool = Field(default=False, description="send the staff cookie over HTTPS only")
    public_base_url: str | None = Field(
        default=None,
        description="public origin (scheme://host[:port][/path]) of every absolute link: OGC, sign QR codes, feed",
    )
    signs_allow_local_http: bool = Field(
        default=False, description="print signs whose QR code opens http://127.0.0.1 or localhost (tests only)"
    )
    frame_ancestors: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="origins of union apps allowed to show the worker map in a frame (https://app.example.cn, "
                    "comma-separated; *.example.cn allowed); none by default, staff pages never",
    )
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed; none by default",
    )
    staff_tile_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="WGS-84 XYZ tile URL for the staff map pin; empty shows no basemap",
    )
    import_max_rows: int = Field(default=200_000, ge=1, description="rows one import file may hold")
    import_max_bytes: int = Field(default=64 * 2**20, ge=1024, description="largest import upload, refused unread")
    import_max_columns: int = Field(default=256, ge=20, description="columns one import sheet may use")
    import_max_unpacked_mb: int = Field(default=512, ge=1, description="an XLSX's parts unpacked, in total")
    import_worker_seconds: float = Field(default=600.0, gt=0, description="wall time of one import check or apply")
    import_worker_memory_mb: int = Field(default=2048, ge=256, description="address space of an import's process")
    import_workers: int = Field(default=2, ge=1, description="import checks or applies at once, per app process")

    require_api_key: bool = Field(default=True, description="feed and export clients must send X-API-Key")
    tile_cache_seconds: int = Field(default=300, ge=0, description="Cache-Control max-age of vector tiles")
    tile_server_cache_seconds: float = Field(
        default=5.0, ge=0, description="how long each process reuses a tile it made (0 = never); at most "
        "tile_cache_seconds, which caches downstream may hold it for anyway")
    webhook_max_attempts: int = Field(default=8, ge=1, description="tries before a webhook delivery is dead")
    webhook_backoff_seconds: float = Field(default=30.0, gt=0, description="first retry delay; doubles each try")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, description="per-POST timeout of a webhook")
    webhook_poll_seconds: float = Field(default=5.0, gt=0, description="pause between `webhooks deliver` runs")
    webhook_worker_in_app: bool = Field(default=False, description="also deliver webhooks from `serve` (one process)")
    webhook_allow_networks: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="non-public networks webhooks may go to anyway (CIDRs, comma-separated); none by default",
    )

    map_tiles: Literal["osm", "tianditu", "amap", "none"] = Field(
        default="osm", description="worker map basemap; amap tiles are GCJ-02, so markers are shifted to match"
    )
    map_tile_url: str | None = Field(default=None, description="XYZ URL overriding the preset of `map_tiles`")
    tianditu_key: str | None = Field(default=None, description="Tianditu browser key (tk), needed for tianditu")
    reports_per_hour: int = Field(default=20, ge=1, description="worker reports one client may send per hour")
    calendar_refresh_seconds: float = Field(
        default=60.0, gt=0, description="how often a process re-reads the holiday calendar another process may load"
    )

    # Issue 22: rider check-ins and station photos (docs/quality.md)
    checkins_per_hour: int = Field(default=30, ge=1, description="check-ins one client may send per hour")
    photo_storage: Literal["file", "s3"] = Field(default="file", description="where photos are stored")
    photo_dir: Path | None = Field(default=None, description="photo files (file storage); default <data_dir>/photos")
    photo_max_bytes: int = Field(default=10 * 2**20, ge=1024, description="largest photo upload, refused unread")
    photo_max_pixels: int = Field(default=40_000_000, ge=10_000, description="pixels a photo may have (decoded)")
    s3_endpoint: str | None = Field(default=None, description="S3-compatible endpoint, e.g. http://minio:9000")
    s3_bucket: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"

    # Issue 24: weather alerts pushed as signed CAP 1.2 (docs/alerts.md)
    alert_push_secret: str | None = Field(
        default=None, min_length=16, description="HMAC secret of CAP pushes to /api/v1/alerts/cap; unset refuses them")
    alert_push_tolerance_seconds: int = Field(default=300, ge=30, description="how old a signed push may be")
    alert_cache_seconds: float = Field(default=15.0, gt=0, description="how long lookups reuse the active alerts")
    # Issue 23: demand from lookups and coverage (docs/coverage.md)
    demand_recording: bool = Field(
        default=True, description="count lookups by ~500 m cell and hour of the week (no coordinates, no identifiers)"
    )
    demand_flush_seconds: float = Field(default=30.0, gt=0, description="how often a process writes its demand counts")
    demand_retention_days: int = Field(default=91, ge=7, le=731, description="weeks of demand counts kept, in days")
    demand_max_cells: int = Field(
        default=100_000, ge=100, description="(cell, hour) counts one process holds between writes; more are dropped"
    )

    @model_validator(mode="after")
    def _tianditu_needs_key(self) -> Settings:
        if self.map_tiles == "tianditu" and not self.tianditu_key and not self.map_tile_url:
            raise ValueError("STATIONS_MAP_TILES=tianditu needs STATIONS_TIANDITU_KEY (a Tianditu browser key)")
        return self

    @field_validator("trusted_proxies", "webhook_allow_networks", mode="before")
    @classmethod
    def _networks(cls, value: object) -> tuple[str, ...]:
        return parse_networks(value)

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _framing_origins(cls, value: object) -> tuple[str, ...]:
        return parse_origins(value)

    @field_validator("public_base_url")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        origin = value.strip().rstrip("/")
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc or parts.query \
                or parts.fragment or " " in origin:
            raise ValueError(f"STATIONS_PUBLIC_BASE_URL must look like https://stations.example.cn, got {value!r}")
        return origin

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str | None) -> str | None:
        return normalise_database_url(value) if value else None

    @field_validator("read_database_urls", mode="before")
    @classmethod
    def _normalise_urls(cls, value: object) -> tuple[str, ...]:
        items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
        try:
            return tuple(normalise_database_url(str(item)) for item in items)
        except ValueError as exc:
            raise ValueError(str(exc).replace("STATIONS_DATABASE_URL", "each of STATIONS_READ_DATABASE_URLS")) from exc

    @model_validator(mode="after")
    def _replicas_need_a_primary(self) -> Settings:
        if self.read_database_urls and not self.database_url:
            raise ValueError("STATIONS_READ_DATABASE_URLS needs STATIONS_DATABASE_URL (the primary they replicate)")
        return self

    @model_validator(mode="after")
    def _absolute_data_dir(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        return self

    @property
    def uses_local_db(self) -> bool:
        """True when no external database is configured and the embedded cluster is used."""
        return self.database_url is None
