# Stations app image. The database is a separate container (see docker-compose.yml).

# The map's pinned npm libraries, vendored so no page loads from a public CDN.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY scripts/vendor-assets.sh scripts/
COPY web/package.json web/package-lock.json web/
RUN bash scripts/vendor-assets.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# CJK font embedded in printed sign plates (sign PDFs refuse to render without one).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The locked, hashed runtime versions (no test or bench extras), in a layer of their own that a code change reuses.
COPY requirements/runtime.lock requirements/
RUN pip install --require-hashes -r requirements/runtime.lock
COPY pyproject.toml README.md ./
COPY stations ./stations
COPY web ./web
COPY data ./data
COPY --from=assets /app/web/static/vendor ./web/static/vendor
# Editable, so the package finds web/ and data/ beside it exactly as in a checkout; setuptools comes from the lock.
RUN pip install --no-deps --no-build-isolation -e . && pip check

RUN useradd --system --uid 10001 --home-dir /app stations
USER stations

# STATIONS_DATABASE_URL must be set (no embedded database here). Migrations are a step of their own, run once before
# app containers start (`stations db migrate`: the `migrate` service of docker-compose.yml): app containers started
# together must not race on them, so `serve` here never migrates.
ENV STATIONS_MIGRATE_ON_START=false
EXPOSE 8000
CMD ["stations", "serve", "--host", "0.0.0.0", "--port", "8000"]
