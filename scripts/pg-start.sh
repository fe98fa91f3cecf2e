#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests and print its URL.
# Data lives in $NEWSLEDGER_PGDATA (default /tmp/newsledger-pg); port $NEWSLEDGER_PGPORT (default 54329).
# Idempotent: an already running server is reused. Stop it with scripts/pg-stop.sh.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$PGBIN" ] || { echo "pg-start: PostgreSQL server not installed (scripts/system-deps.sh)" >&2; exit 1; }
DATA=${NEWSLEDGER_PGDATA:-/tmp/newsledger-pg}
PORT=${NEWSLEDGER_PGPORT:-54329}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -s "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi
as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='newsledger_test'" | grep -q 1 \
  || as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres newsledger_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/newsledger_test"
