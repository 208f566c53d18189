#!/usr/bin/env bash
# Point-in-time recovery drill with PostgreSQL's own tools, on a throwaway cluster: WAL archiving, a base backup
# (pg_basebackup, checked by pg_verifybackup), good writes, a mistake, then recovery to the moment before the
# mistake (restore_command + recovery_target_time) into a new data directory, and a count to show it worked.
#
#   bash scripts/pitr_drill.sh [PORT]      (PORT: default STATIONS_LOCAL_DB_PORT + 24; the recovered copy uses PORT+1)
#
# Everything lives in /tmp/stations-pitr-PORT and is removed at the end, however the drill ends. Run as root or as
# the postgres user (the servers run as postgres, as the embedded cluster's do). docs/operations.md shows its output.
set -euo pipefail

PORT=${1:-$(( ${STATIONS_LOCAL_DB_PORT:-54329} + 24 ))}
ROOT=/tmp/stations-pitr-$PORT
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
HERE=$(cd "$(dirname "$0")/.." && pwd)
STATIONS=${STATIONS_CLI:-$HERE/.venv/bin/stations}

PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=$PASSWORD

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { "$BIN/psql" -X -q -A -t -p "$1" -d stations -c "$2"; }
stop_all() {
  for data in "$ROOT/recovered" "$ROOT/data"; do
    [ -f "$data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1 || true
  done
  rm -rf "$ROOT"
}
say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

stop_all
trap stop_all EXIT
mkdir -p "$ROOT/archive"
chmod 755 "$ROOT"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$ROOT"

say "initdb; archive_mode=on, archive_command copies each finished WAL segment to $ROOT/archive"
echo "$PASSWORD" > "$ROOT/password"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$ROOT/password"
as_pg "$BIN/initdb" -D "$ROOT/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 \
  --pwfile="$ROOT/password" >/dev/null
cat >> "$ROOT/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$ROOT'
shared_buffers = 64MB
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ROOT/archive/%f && cp %p $ROOT/archive/%f'
EOF
as_pg "$BIN/pg_ctl" start -D "$ROOT/data" -o "-p $PORT" -l "$ROOT/data.log" -w >/dev/null
"$BIN/createdb" -p "$PORT" stations
export STATIONS_DATABASE_URL="postgresql://postgres:$PASSWORD@127.0.0.1:$PORT/stations" STATIONS_LOG_LEVEL=WARNING
"$STATIONS" db migrate >/dev/null
"$STATIONS" seed --demo --count 2000 --seed 7 >/dev/null
say "registry before the backup: $(sql "$PORT" 'SELECT count(*) FROM stations') stations"

say "pg_basebackup (tar, compressed, its WAL streamed along), then pg_verifybackup"
as_pg "$BIN/pg_basebackup" -h "$ROOT" -p "$PORT" -D "$ROOT/base" -Ft -z -X stream -c fast  # over the socket
as_pg mkdir "$ROOT/verify" && as_pg tar -xzf "$ROOT/base/base.tar.gz" -C "$ROOT/verify"
as_pg cp "$ROOT/base/backup_manifest" "$ROOT/verify/"
as_pg "$BIN/pg_verifybackup" --no-parse-wal "$ROOT/verify" | sed 's/^/            /'
say "base backup: $(du -sh "$ROOT/base" | cut -f1)"

"$STATIONS" seed --demo --count 500 --seed 8 >/dev/null
GOOD=$(sql "$PORT" 'SELECT count(*) FROM stations')
sleep 1
TARGET=$(sql "$PORT" "SELECT to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US TZH')")
sleep 1
say "good writes after the backup: $GOOD stations at $TARGET"
sql "$PORT" "DELETE FROM stations WHERE adcode LIKE '11%'"
say "the mistake: DELETE of Beijing's stations leaves $(sql "$PORT" 'SELECT count(*) FROM stations')"
sql "$PORT" 'SELECT pg_switch_wal()' >/dev/null
sleep 2  # let the archiver copy the last segment
say "archived WAL segments: $(ls "$ROOT/archive" | grep -c -v '\.')"

say "recover the base backup to $TARGET into a new data directory, on port $((PORT + 1))"
as_pg mkdir -m 700 "$ROOT/recovered"
as_pg tar -xzf "$ROOT/base/base.tar.gz" -C "$ROOT/recovered"
as_pg tar -xzf "$ROOT/base/pg_wal.tar.gz" -C "$ROOT/recovered/pg_wal"
cat >> "$ROOT/recovered/postgresql.conf" <<EOF
archive_mode = off
restore_command = 'cp $ROOT/archive/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
EOF
as_pg touch "$ROOT/recovered/recovery.signal"
as_pg "$BIN/pg_ctl" start -D "$ROOT/recovered" -o "-p $((PORT + 1))" -l "$ROOT/recovered.log" -w -t 120 >/dev/null
for _ in $(seq 1 120); do
  [ "$(sql $((PORT + 1)) 'SELECT pg_is_in_recovery()')" = "f" ] && break
  sleep 0.5
done
grep -E "recovery stopping|starting point-in-time recovery|archive recovery complete" "$ROOT/recovered.log" \
  | sed -E 's/^.*(LOG|INFO): +/            /'
RECOVERED=$(sql $((PORT + 1)) 'SELECT count(*) FROM stations')
BEIJING=$(sql $((PORT + 1)) "SELECT count(*) FROM stations WHERE adcode LIKE '11%'")
say "recovered: $RECOVERED stations ($BEIJING in Beijing); before the mistake: $GOOD"
if [ "$RECOVERED" = "$GOOD" ]; then say "point-in-time recovery drill passed"; else say "DRILL FAILED"; exit 1; fi
