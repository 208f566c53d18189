# Stations app image. The database is a separate container (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY stations ./stations
COPY web ./web
COPY data ./data
# Editable, so the package finds web/ and data/ beside it exactly as in a checkout.
RUN pip install -e .

RUN useradd --system --uid 10001 --home-dir /app stations
USER stations

EXPOSE 8000
# Migrations run before the server starts; STATIONS_DATABASE_URL must be set (no embedded database here).
CMD ["sh", "-c", "stations db migrate && stations serve --host 0.0.0.0 --port 8000"]
