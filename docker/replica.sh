#!/bin/bash
# A streaming replica of `primary`: cloned once with pg_basebackup -R (which writes standby.signal and the
# connection to stream from, through the slot `replica1` so the primary keeps the WAL it has not received yet),
# then started as a hot standby. Runs as the postgres user; PGPASSWORD is the replicator's password.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pg_basebackup --host=primary --username=replicator --pgdata="$PGDATA" --write-recovery-conf \
    --checkpoint=fast --wal-method=stream --slot=replica1 --create-slot
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
