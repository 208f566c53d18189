#!/bin/bash
# Bulk writes before/after, alternated in one run: BEFORE and AFTER are two source trees (e.g. `git archive <commit>
# | tar -x -C DIR`), URL a scratch database (emptied). Usage: URL=... bench/writes_ab.sh BEFORE AFTER [N] [rounds]
# Optional SQL_BEFORE / SQL_AFTER: a statement run before each of that tree's runs (e.g. a migration's storage change:
# SQL_BEFORE="ALTER TABLE station_changes ALTER COLUMN after SET COMPRESSION pglz").
set -u
n=${3:-100000}
rounds=${4:-2}
run() {
    [ -n "${4:-}" ] && .venv/bin/python -c "import os, sys, sqlalchemy as sa
with sa.create_engine(os.environ['URL']).begin() as c: c.execute(sa.text(sys.argv[1]))" "$4"
    echo "# $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) $1 $2"
    PYTHONPATH=$2 .venv/bin/python "$1" "$n" 2>&1 | tail -1
}
for round in $(seq "$rounds"); do
    run bench/writes_digest.py "$1" "" "${SQL_BEFORE:-}"; run bench/writes_digest.py "$2" "" "${SQL_AFTER:-}"
    run bench/writes_import.py "$1" "" "${SQL_BEFORE:-}"; run bench/writes_import.py "$2" "" "${SQL_AFTER:-}"
done
