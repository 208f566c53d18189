#!/bin/bash
# Bulk writes before/after, alternated in one run: BEFORE and AFTER are two source trees (e.g. `git archive <commit>
# | tar -x -C DIR`), URL a scratch database (emptied). Usage: URL=... bench/writes_ab.sh BEFORE AFTER [N]
set -u
n=${3:-100000}
run() {
    echo "# $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) $1 $2"
    PYTHONPATH=$2 .venv/bin/python "$1" "$n" 2>&1 | tail -1
}
for round in 1 2; do
    run bench/writes_digest.py "$1"; run bench/writes_digest.py "$2"
    run bench/writes_import.py "$1"; run bench/writes_import.py "$2"
done
