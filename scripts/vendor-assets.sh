#!/usr/bin/env bash
# Install the map's pinned npm libraries and copy what the pages load into web/static/vendor
# (served by us: workers' phones must never depend on a public CDN). Used by `make assets` and the Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --ignore-scripts
rm -rf static/vendor && mkdir -p static/vendor/leaflet
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
  node_modules/leaflet/dist/images static/vendor/leaflet/
touch static/vendor/.installed
