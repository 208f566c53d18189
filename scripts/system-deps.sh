#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Stations needs, only those missing (a second run does nothing).
# Usage: system-deps.sh [run|test]. `run` is what serving needs; `test` adds GDAL (a real OGC/MVT client),
# Debian's chromium for the browser tests and poppler-utils (pdftotext/pdftoppm read sign PDFs back).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
packages=("postgresql-${PG_VERSION}" "postgresql-${PG_VERSION}-postgis-3" "python3-venv" "nodejs" "npm" "fonts-wqy-zenhei")
if [ "${1:-test}" = "test" ]; then
  packages+=("gdal-bin" "chromium" "poppler-utils")
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# pyenv/other Pythons bring venv themselves: only ask for python3-venv when venv is really missing.
if python3 -c "import venv, ensurepip" 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
# A node from elsewhere (nodesource bundles npm; nvm) is enough: apt's npm would conflict with it.
command -v node >/dev/null 2>&1 && missing=("${missing[@]/nodejs}")
command -v npm >/dev/null 2>&1 && missing=("${missing[@]/npm}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
